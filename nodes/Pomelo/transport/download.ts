import type { IHttpRequestOptions } from 'n8n-workflow';

import type { ByteStream, ImageStream } from '../helpers/image-format';
import { PomeloError, type Failure } from '../helpers/pomelo-error';
import type { PomeloClient } from './client';
import { BACKSTOP_MS, deadline } from './deadline';
import { isPrivateHost } from './hosts';
import { guardImageStream } from './image-guard';
import { parseRetryAfter, withRetries } from './retry';
import { failureFromTransportError, formatWait } from './socket-errors';

interface StreamResponse {
	body: ByteStream;
	headers: Record<string, string | string[] | undefined>;
	statusCode: number;
}

const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** A failure of an image download: `download`, unless another class is given (timeout, cancelled). */
export type DownloadFailure = Omit<Failure, 'errorClass'> & Partial<Pick<Failure, 'errorClass'>>;

function downloadFailure(client: PomeloClient, failure: DownloadFailure): PomeloError {
	return client.fail({ errorClass: 'download', ...failure });
}

/**
 * Parses an image URL (relative to `base` for a redirect). Only http(s) URLs are fetched, and a
 * loopback, private or link-local host only when it is the API's own host or the user allowed it.
 */
function checkedUrl(client: PomeloClient, url: string, activity: string, base?: URL): URL {
	let parsed: URL;
	try {
		parsed = new URL(url, base);
	} catch {
		throw downloadFailure(client, {
			message: `${activity}: ${base ? 'the image host redirected to' : 'the API returned'} an invalid image URL`,
		});
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw downloadFailure(client, {
			message: `${activity}: refused to fetch a ${parsed.protocol.replace(':', '')} URL${base ? ' (redirect)' : ''}; only http and https image URLs are downloaded`,
		});
	}
	const apiHost = new URL(client.run.credentials.baseUrl).hostname;
	if (isPrivateHost(parsed.hostname) && parsed.hostname !== apiHost && !client.settings.allowPrivateImageHosts) {
		throw downloadFailure(client, {
			message: `${activity}: refused to fetch an image from ${parsed.host}${base ? ' (redirect)' : ''}, a loopback, private or link-local address; turn on "Allow Private Image Hosts" if images really are served from your own network`,
			description: 'Image URLs come from the API\'s answer; nothing was fetched from this host.',
		});
	}
	return parsed;
}

function singleHeader(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}

/**
 * GETs an image, following redirects one hop at a time so that each hop is checked. The bearer
 * key goes only to the API's own origin, and only on a chain that never left it: a request that
 * started without the key (an image host) never gains it through a redirect, even one pointing
 * at the API origin, and a redirect away from the API origin drops it.
 */
async function requestImage(
	client: PomeloClient,
	url: URL,
	activity: string,
	abortSignal: AbortSignal | undefined,
): Promise<StreamResponse> {
	const { context, settings } = client;
	const apiOrigin = new URL(client.run.credentials.baseUrl).origin;
	let current = url;
	let authenticated = current.origin === apiOrigin;
	for (let redirects = 0; ; redirects++) {
		const request: IHttpRequestOptions = {
			method: 'GET',
			url: current.toString(),
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: settings.timeoutMs + BACKSTOP_MS,
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
			// The key is set here rather than by n8n's authenticated helper, which would replace
			// this signal (deadline, stall, sibling failure) with the execution's own.
			...(authenticated && { headers: client.authorization() }),
			abortSignal,
		};
		// The HTTP client still sends a request whose signal was aborted before it started.
		abortSignal?.throwIfAborted();
		const response = (await context.helpers.httpRequest(request)) as StreamResponse;
		if (!REDIRECT_STATUSES.has(response.statusCode)) return response;

		response.body.destroy();
		const location = singleHeader(response.headers.location);
		if (!location) {
			throw downloadFailure(client, {
				httpStatus: response.statusCode,
				message: `${activity}: the image host answered HTTP ${response.statusCode} without saying where to`,
			});
		}
		if (redirects >= MAX_REDIRECTS) {
			throw downloadFailure(client, {
				httpStatus: response.statusCode,
				message: `${activity}: the image host redirected more than ${MAX_REDIRECTS} times`,
			});
		}
		current = checkedUrl(client, location, activity, current);
		authenticated = authenticated && current.origin === apiOrigin;
	}
}

/**
 * Downloads one image and hands its checked stream to `consume` (which stores it). Download and
 * storing are retried together, so a download cut short is fetched again, as configured.
 */
export async function downloadImage<T>(
	client: PomeloClient,
	imageUrl: string,
	activity: string,
	consume: (image: ImageStream) => Promise<T>,
	itemFailed?: AbortSignal,
): Promise<T> {
	const { context, settings } = client;
	const url = checkedUrl(client, imageUrl, activity);
	const attempt = async () => {
		// Request Timeout is a deadline for the whole download, headers and body, so a body that
		// stalls fails by it too. Cancelling the execution or a sibling's failure ends it at once.
		const timer = deadline(settings.timeoutMs, [context.getExecutionCancelSignal(), itemFailed]);
		try {
			return await attemptWithin(timer.signal);
		} catch (error) {
			throw expiredOr(error, timer.expired());
		} finally {
			timer.end();
		}
	};
	/** A download the deadline ended is a timeout, whatever error its abort caused on the way. */
	const expiredOr = (error: unknown, expired: boolean): unknown =>
		expired && !(error instanceof PomeloError && !['cancelled', 'timeout'].includes(error.errorClass))
			? client.fail({
					errorClass: 'timeout',
					retryable: true,
					message: `${activity} timed out after ${formatWait(settings.timeoutMs)} without a complete answer`,
					description: 'Raise the node\'s "Request Timeout" option if this persists.',
				})
			: error;
	const attemptWithin = async (abortSignal: AbortSignal) => {
		const response = await requestImage(client, url, activity, abortSignal);
		const { statusCode, headers, body } = response;
		if (statusCode < 200 || statusCode > 299) {
			body.destroy();
			const transient = statusCode === 429 || statusCode >= 500 || statusCode === 408;
			throw downloadFailure(client, {
				httpStatus: statusCode,
				retryable: transient,
				...(transient && { retryAfterMs: parseRetryAfter(headers['retry-after']) }),
				message: `${activity}: the image host answered HTTP ${statusCode}`,
			});
		}
		const declared = Number(singleHeader(headers['content-length']));
		const encoded = singleHeader(headers['content-encoding']);
		const expectedBytes = Number.isFinite(declared) && !encoded ? declared : undefined;
		if (expectedBytes !== undefined && expectedBytes > settings.maxImageBytes) {
			body.destroy();
			throw downloadFailure(client, {
				message: `${activity}: the image is ${(expectedBytes / 1024 / 1024).toFixed(1)} MB, larger than the limit of ${(settings.maxImageBytes / 1024 / 1024).toFixed(1)} MB`,
				description: 'Raise the node\'s "Max Image Size" option to accept larger images.',
			});
		}
		const guarded = guardImageStream(body, {
			maxBytes: settings.maxImageBytes,
			expectedBytes,
			declaredType: singleHeader(headers['content-type']),
			timeoutMs: settings.timeoutMs,
			activity,
			fail: (failure) => downloadFailure(client, failure),
		});
		let stored = false;
		try {
			const explain = (error: unknown) => {
				throw guarded.explain(error);
			};
			const format = await guarded.format.catch(explain);
			const result = await consume({ ...format, stream: guarded.stream, byteCount: guarded.byteCount }).catch(explain);
			stored = true;
			return result;
		} finally {
			// Whatever failed, the connection is not left open behind it.
			if (!stored) guarded.close();
		}
	};
	return await withRetries(context, settings, activity, attempt, (error) => {
		const failure = failureFromTransportError(error, activity, settings.timeoutMs);
		// A timeout or a cancellation keeps its class; anything else failed the download.
		return failure.errorClass === 'cancelled' || failure.errorClass === 'timeout'
			? client.fail(failure)
			: downloadFailure(client, { ...failure, errorClass: 'download' });
	});
}
