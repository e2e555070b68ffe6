import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { failureFromTransportError, type Failure } from '../helpers/errors';
import type { ImageFormat } from '../helpers/image-format';
import { CREDENTIAL_TYPE, type PomeloCredentials } from './api';
import { guardImageStream, type ByteStream } from './image-guard';
import { AttemptFailure, withRetries } from './retry';
import type { TransportSettings } from './settings';

export interface ImageStream extends ImageFormat {
	/** The checked image bytes; fails instead of ending if the download breaks. */
	stream: ByteStream;
}

interface StreamResponse {
	body: ByteStream;
	headers: Record<string, string | string[] | undefined>;
	statusCode: number;
}

const MAX_REDIRECTS = 5;

function downloadFailure(failure: Omit<Failure, 'errorClass'>): AttemptFailure {
	return new AttemptFailure({ errorClass: 'download', ...failure });
}

function findAttemptFailure(error: unknown): AttemptFailure | undefined {
	for (let current = error, depth = 0; current && depth < 5; depth++) {
		if (current instanceof AttemptFailure) return current;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

function checkedUrl(url: string, describe: string): URL {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw downloadFailure({ retryable: false, message: `${describe}: the API returned an invalid image URL` });
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw downloadFailure({
			retryable: false,
			message: `${describe}: refused to fetch a ${parsed.protocol.replace(':', '')} URL; only http and https image URLs are downloaded`,
		});
	}
	return parsed;
}

async function requestImage(
	context: IExecuteFunctions,
	credentials: PomeloCredentials,
	settings: TransportSettings,
	url: URL,
): Promise<StreamResponse> {
	const request: IHttpRequestOptions = {
		method: 'GET',
		url: url.toString(),
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: settings.timeoutMs,
		maxRedirects: MAX_REDIRECTS,
		sendCredentialsOnCrossOriginRedirect: false,
		abortSignal: context.getExecutionCancelSignal(),
	};
	// The bearer key goes only to the API's own origin; image hosts get a plain request.
	const apiOrigin = new URL(credentials.baseUrl).origin;
	if (url.origin === apiOrigin) {
		return (await context.helpers.httpRequestWithAuthentication.call(
			context,
			CREDENTIAL_TYPE,
			request,
		)) as StreamResponse;
	}
	return (await context.helpers.httpRequest(request)) as StreamResponse;
}

function singleHeader(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}

/**
 * Downloads one image and hands its checked stream to `consume` (which stores it). Download and
 * storing are retried together, so a download cut short is fetched again, as configured.
 */
export async function downloadImage<T>(
	context: IExecuteFunctions,
	credentials: PomeloCredentials,
	settings: TransportSettings,
	imageUrl: string,
	describe: string,
	consume: (image: ImageStream) => Promise<T>,
): Promise<T> {
	const url = checkedUrl(imageUrl, describe);
	return await withRetries(
		context,
		settings,
		describe,
		async () => {
			const response = await requestImage(context, credentials, settings, url);
			const { statusCode, headers, body } = response;
			if (statusCode < 200 || statusCode > 299) {
				body.destroy();
				throw downloadFailure({
					httpStatus: statusCode,
					retryable: statusCode === 429 || statusCode >= 500 || statusCode === 408,
					message: `${describe}: the image host answered HTTP ${statusCode}`,
				});
			}
			const declared = Number(singleHeader(headers['content-length']));
			const encoded = singleHeader(headers['content-encoding']);
			const expectedBytes = Number.isFinite(declared) && !encoded ? declared : undefined;
			if (expectedBytes !== undefined && expectedBytes > settings.maxImageBytes) {
				body.destroy();
				throw downloadFailure({
					retryable: false,
					message: `${describe}: the image is ${(expectedBytes / 1024 / 1024).toFixed(1)} MB, larger than the limit of ${(settings.maxImageBytes / 1024 / 1024).toFixed(1)} MB`,
					description: 'Raise the node\'s "Max Image Size" option to accept larger images.',
				});
			}
			const guarded = guardImageStream(body, { maxBytes: settings.maxImageBytes, expectedBytes, describe });
			const format = await guarded.format;
			return await consume({ ...format, stream: guarded.stream });
		},
		(error) => {
			const inner = findAttemptFailure(error);
			if (inner) return inner.failure;
			const failure = failureFromTransportError(error, describe, settings.timeoutMs);
			return failure.errorClass === 'cancelled' ? failure : { ...failure, errorClass: 'download' };
		},
	);
}
