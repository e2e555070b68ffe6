import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import type { z } from 'zod';

import type { RunLimits } from '../helpers/concurrency';
import type { ByteStream } from '../helpers/image-format';
import { PomeloError, type Failure } from '../helpers/pomelo-error';
import { redactSecret } from '../helpers/redact';
import { parseAnswer } from './answer';
import type { PomeloCredentials } from './credentials';
import { BACKSTOP_MS, deadline } from './deadline';
import { failureFromHttpStatus, outcomeUnknown } from './http-status';
import { withRetries } from './retry';
import type { TransportSettings } from './settings';
import { failureFromTransportError, formatWait, requestWasNotSent } from './socket-errors';

/** A generation answer is a few kilobytes; beyond this it is not read (nor held in memory). */
const MAX_ANSWER_BYTES = 5 * 1024 * 1024;
/** Same-origin redirects a generation POST may follow before it counts as a redirect loop. */
const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** What every item of one node run shares: the credential and the limits of the run. */
export interface RunShared {
	credentials: PomeloCredentials;
	limits: RunLimits;
	/** True once the run stops (a fatal error or a cancelled execution): nothing new is sent. */
	stopped: () => boolean;
}

interface StreamResponse {
	body: ByteStream;
	headers: Record<string, string | string[] | undefined>;
	statusCode: number;
	statusMessage?: string;
}

export interface GenerationRequest<Schema extends z.ZodTypeAny> {
	path: string;
	body: IDataObject;
	/** "Midjourney generation": what is being done, for messages. */
	activity: string;
	/** The documented answer, and the status of a finished generation. */
	answer: Schema;
	finishedStatus: string;
}

/** Reads a body up to `maxBytes`; `complete` is false when it was longer (the rest is not read). */
async function readBody(body: ByteStream, maxBytes: number): Promise<{ bytes: Buffer; complete: boolean }> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of body) {
		size += chunk.length;
		if (size > maxBytes) {
			body.destroy();
			return { bytes: Buffer.concat(chunks), complete: false };
		}
		chunks.push(chunk);
	}
	return { bytes: Buffer.concat(chunks), complete: true };
}

/** The generation id, when even a cut answer shows it: the user can look the generation up. */
function visibleGenerationId(text: string): string | undefined {
	return /"id"\s*:\s*"([A-Za-z0-9_.:-]{1,100})"/.exec(text)?.[1];
}

function singleHeader(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}

/** The Pomelo API as one item sees it: its settings, the run's credential and limits. */
export class PomeloClient {
	constructor(
		readonly context: IExecuteFunctions,
		readonly itemIndex: number,
		readonly settings: TransportSettings,
		readonly run: RunShared,
	) {}

	/**
	 * The one way the transport reports a failure: with the key removed, for this item. A failure
	 * after which the generation may have run is retried only when the user allowed it.
	 */
	fail(failure: Failure): PomeloError {
		const retryable =
			failure.errorClass === 'outcome_unknown' ? this.settings.retryUnknownOutcome : failure.retryable;
		return new PomeloError(
			this.context.getNode(),
			{ ...failure, retryable },
			this.run.credentials.storedApiKey,
			this.itemIndex,
		);
	}

	/** Text without the key, in any form it was given. */
	redact(text: string): string {
		return redactSecret(text, this.run.credentials.storedApiKey);
	}

	/** The bearer header, for the API's own origin only. */
	authorization(): Record<string, string> {
		return { Authorization: `Bearer ${this.run.credentials.apiKey}` };
	}

	/**
	 * POSTs a generation request and returns its checked answer. Waits for one of the run's
	 * generation slots, and gives it back as soon as the API has answered.
	 */
	async generate<Schema extends z.ZodTypeAny>(request: GenerationRequest<Schema>): Promise<z.infer<Schema>> {
		const { activity, answer, finishedStatus } = request;
		const body = await this.run.limits.generations.run(async () => {
			if (this.run.stopped()) {
				throw this.fail({ errorClass: 'cancelled', message: `${activity} was not sent: the run stopped` });
			}
			return await withRetries(
				this.context,
				this.settings,
				activity,
				async () => await this.attempt(request),
				(error) => this.fail(failureFromTransportError(error, activity, this.settings.timeoutMs)),
			);
		});
		return parseAnswer(body, answer, finishedStatus, activity, (failure) => this.fail(failure));
	}

	/**
	 * One attempt, within Request Timeout as a deadline for the answer's headers and body. A
	 * failure after the request may have reached Pomelo is `outcome_unknown`: the generation may
	 * have run and been billed.
	 */
	private async attempt(request: GenerationRequest<z.ZodTypeAny>): Promise<unknown> {
		const { activity } = request;
		const timer = deadline(this.settings.timeoutMs, [this.context.getExecutionCancelSignal()]);
		const { signal } = timer;
		let status: number | undefined;
		let seen = '';
		try {
			const response = await this.post(request, signal);
			status = response.statusCode;
			const onAbort = () => response.body.destroy(new Error('aborted'));
			signal.addEventListener('abort', onAbort, { once: true });
			const { bytes, complete } = await readBody(response.body, MAX_ANSWER_BYTES).finally(() =>
				signal.removeEventListener('abort', onAbort),
			);
			seen = bytes.toString('utf8', 0, Math.min(bytes.length, 4096));
			const success = status >= 200 && status <= 299;
			if (!success) {
				throw this.fail(
					failureFromHttpStatus(
						status,
						bytes,
						response.headers,
						activity,
						response.statusMessage,
						this.run.credentials.storedApiKey,
					),
				);
			}
			if (!complete) {
				throw this.fail({
					errorClass: 'invalid_response',
					httpStatus: status,
					message: `${activity}: Pomelo's answer is larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MB, far more than a generation answer; it was not read`,
					description: 'A generation may have been billed for it; check your Pomelo account.',
				});
			}
			const declared = Number(singleHeader(response.headers['content-length']));
			if (Number.isFinite(declared) && bytes.length < declared) {
				throw this.fail(
					outcomeUnknown(activity, `its answer was cut short after ${bytes.length} of ${declared} bytes`, {
						httpStatus: status,
						generationId: visibleGenerationId(seen),
					}),
				);
			}
			return this.parseJson(bytes);
		} catch (error) {
			const known = { httpStatus: status, generationId: visibleGenerationId(seen) };
			throw this.attemptFailure(error, activity, known, timer.expired());
		} finally {
			timer.end();
		}
	}

	/** What an attempt that threw means for the bill. */
	private attemptFailure(
		error: unknown,
		activity: string,
		known: Pick<Failure, 'httpStatus' | 'generationId'>,
		expired: boolean,
	): PomeloError {
		if (error instanceof PomeloError) return error;
		if (this.context.getExecutionCancelSignal()?.aborted) {
			return this.fail({ errorClass: 'cancelled', message: `${activity} was cancelled` });
		}
		if (expired) {
			return this.fail(
				outcomeUnknown(activity, `no complete answer came within ${formatWait(this.settings.timeoutMs)}`, {
					...known,
					description: 'Raise the node\'s "Request Timeout" option if this persists: generation can take minutes.',
				}),
			);
		}
		if (known.httpStatus === undefined && requestWasNotSent(error)) {
			return this.fail(failureFromTransportError(error, activity, this.settings.timeoutMs));
		}
		const what =
			known.httpStatus === undefined
				? 'the connection broke before an answer came'
				: 'the connection broke while its answer was read';
		return this.fail(outcomeUnknown(activity, what, known));
	}

	/** A complete 2xx body: JSON when it parses; otherwise the text, which the answer check refuses. */
	private parseJson(bytes: Buffer): unknown {
		const text = bytes.toString('utf8');
		try {
			return JSON.parse(text) as unknown;
		} catch {
			return text;
		}
	}

	/**
	 * POSTs to the API origin, following a redirect only within that origin (the key and the
	 * prompt go nowhere else) and at most MAX_REDIRECTS times.
	 */
	private async post(request: GenerationRequest<z.ZodTypeAny>, signal: AbortSignal): Promise<StreamResponse> {
		const { activity } = request;
		const apiOrigin = new URL(this.run.credentials.baseUrl).origin;
		let url = new URL(`${this.run.credentials.baseUrl}${request.path}`);
		for (let redirects = 0; ; redirects++) {
			const options: IHttpRequestOptions = {
				method: 'POST',
				url: url.toString(),
				headers: this.authorization(),
				body: request.body,
				json: true,
				encoding: 'stream',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				disableFollowRedirect: true,
				// The deadline (signal) ends the attempt; the client's own idle timeout only backs it up.
				timeout: this.settings.timeoutMs + BACKSTOP_MS,
				abortSignal: signal,
			};
			// The HTTP client still sends a request whose signal was aborted before it started.
			signal.throwIfAborted();
			const response = (await this.context.helpers.httpRequest(options)) as StreamResponse;
			if (!REDIRECT_STATUSES.has(response.statusCode)) return response;
			response.body.destroy();
			const location = singleHeader(response.headers.location);
			let next: URL | undefined;
			try {
				next = location ? new URL(location, url) : undefined;
			} catch {
				next = undefined;
			}
			if (!next || next.origin !== apiOrigin) {
				throw this.fail({
					errorClass: 'invalid_response',
					httpStatus: response.statusCode,
					message: `${activity}: Pomelo answered with a redirect to ${next ? `another origin (${next.host})` : 'an unusable address'}; it was not followed, and neither the key nor the prompt was sent there`,
					description: 'Check the Base URL of the "Pomelo API" credential: it should be the API\'s own address.',
				});
			}
			if (redirects >= MAX_REDIRECTS) {
				throw this.fail({
					errorClass: 'invalid_response',
					httpStatus: response.statusCode,
					message: `${activity}: Pomelo answered with a redirect loop (more than ${MAX_REDIRECTS} redirects)`,
					description: 'Check the Base URL of the "Pomelo API" credential.',
				});
			}
			url = next;
		}
	}
}
