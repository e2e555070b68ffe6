import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { redactSecret } from './redact';

/** What went wrong, in terms a workflow can branch on (`errorClass` in error items). */
export type ErrorClass =
	| 'input'
	| 'authentication'
	| 'invalid_request'
	| 'moderation'
	| 'rate_limit'
	| 'server'
	| 'timeout'
	| 'network'
	| 'cancelled'
	| 'invalid_response'
	| 'generation_failed'
	| 'download';

export interface Failure {
	errorClass: ErrorClass;
	message: string;
	description?: string;
	httpStatus?: number;
	apiMessage?: string;
	apiCode?: string;
	param?: string;
	generationId?: string;
	generationStatus?: string;
	/** Transient failures are retried; refusals never are. */
	retryable: boolean;
	/** Server-requested wait (Retry-After), in milliseconds. */
	retryAfterMs?: number;
}

/**
 * A failure on its way up from the transport: retried there if it is retryable, turned into a
 * NodeApiError for its item by the router.
 */
export class AttemptFailure extends Error {
	constructor(readonly failure: Failure) {
		super(failure.message);
	}
}

/** The AttemptFailure behind an error that may have wrapped it (as `cause`), if any. */
export function findAttemptFailure(error: unknown): AttemptFailure | undefined {
	for (let current = error, depth = 0; current && depth < 5; depth++) {
		if (current instanceof AttemptFailure) return current;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

interface ApiErrorDetails {
	message?: string;
	code?: string;
	param?: string;
}

const MODERATION_PATTERN = /moderat|content[ _-]?policy|usage[ _-]?polic|safety|unsafe|nsfw/i;
const MAX_API_MESSAGE_LENGTH = 500;

function asRecord(value: unknown): Record<string, unknown> | undefined {
	return value !== null && typeof value === 'object' && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: undefined;
}

function firstString(...values: unknown[]): string | undefined {
	for (const value of values) {
		if (typeof value === 'string' && value.trim() !== '') return value.trim();
	}
	return undefined;
}

function looksLikeHtml(text: string): boolean {
	return /^\s*</.test(text);
}

function parseBody(body: unknown): unknown {
	if (Buffer.isBuffer(body)) body = body.toString('utf8');
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body) as unknown;
	} catch {
		return body;
	}
}

/**
 * The error format is not documented: take the message from whichever of `error.message`,
 * `error` (string), `message` or `detail` is present. HTML pages and stacks are never shown.
 */
export function extractApiError(rawBody: unknown): ApiErrorDetails {
	const body = parseBody(rawBody);
	const record = asRecord(body);
	if (!record) return {};
	const nested = asRecord(record.error);
	const detail = record.detail;
	const detailEntry = Array.isArray(detail) ? asRecord(detail[0]) : asRecord(detail);
	const detailLocation = Array.isArray(detailEntry?.loc) ? detailEntry?.loc : undefined;
	let message = firstString(
		nested?.message,
		record.error,
		record.message,
		detail,
		detailEntry?.msg,
		detailEntry?.message,
	);
	if (message && looksLikeHtml(message)) message = undefined;
	if (message && message.length > MAX_API_MESSAGE_LENGTH) {
		message = `${message.slice(0, MAX_API_MESSAGE_LENGTH)}…`;
	}
	return {
		message,
		code: firstString(nested?.code, nested?.type, record.code, record.type),
		param: firstString(
			nested?.param,
			nested?.parameter,
			nested?.field,
			record.param,
			record.parameter,
			record.field,
			detailLocation ? detailLocation[detailLocation.length - 1] : undefined,
		),
	};
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	if (typeof text !== 'string' && typeof text !== 'number') return undefined;
	const trimmed = String(text).trim();
	if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
	// An HTTP date names its day and month; "-5" or "12abc" are not dates, whatever Date.parse says.
	if (!/^[A-Za-z]{3,9},? /.test(trimmed)) return undefined;
	const date = Date.parse(trimmed);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}

function headerValue(headers: unknown, name: string): unknown {
	const record = asRecord(headers);
	if (!record) return undefined;
	const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === name);
	return key === undefined ? undefined : record[key];
}

/** A reason phrase fit for a message: printable, short, never markup. */
function cleanStatusText(statusText: unknown): string | undefined {
	if (typeof statusText !== 'string') return undefined;
	const text = statusText.trim();
	if (text === '' || text.length > 60 || /[<>{}]/.test(text) || !/^[\x20-\x7e]+$/.test(text)) return undefined;
	return text;
}

/**
 * Maps a non-2xx answer of the generation endpoints to a failure with its class. The message
 * takes the API's own message when the body has one, otherwise the HTTP status text.
 */
export function failureFromHttpStatus(
	status: number,
	body: unknown,
	headers: unknown,
	what: string,
	statusText?: string,
): Failure {
	const api = extractApiError(body);
	const detail = api.message ? `: ${api.message}` : '';
	const reason = api.message ? undefined : cleanStatusText(statusText);
	const http = `HTTP ${status}${reason ? ` ${reason}` : ''}`;
	const base = { httpStatus: status, apiMessage: api.message, apiCode: api.code, param: api.param };

	// A refusal that speaks of moderation, policy or safety is a moderation refusal, also as a
	// 403; a 401 is always about the key, a 408 or 429 always transient.
	if (
		status >= 400 &&
		status < 500 &&
		![401, 408, 429].includes(status) &&
		MODERATION_PATTERN.test(`${api.code ?? ''} ${api.message ?? ''}`)
	) {
		return {
			...base,
			errorClass: 'moderation',
			retryable: false,
			message: `The prompt was refused by Pomelo's content moderation (${http})${detail}`,
			description:
				'The request breaks the usage policy (explicit, violent, hateful, infringing or private content). Change the prompt; retrying will not help.',
		};
	}
	if (status === 401 || status === 403) {
		return {
			...base,
			errorClass: 'authentication',
			retryable: false,
			message: `Pomelo rejected the API key (${http})${detail}`,
			description:
				'Check the API key and Base URL in the "Pomelo API" credential used by this node.',
		};
	}
	if (status === 429) {
		return {
			...base,
			errorClass: 'rate_limit',
			retryable: true,
			retryAfterMs: parseRetryAfter(headerValue(headers, 'retry-after')),
			message: `Pomelo rate limit reached (${http})${detail}`,
			description:
				'Lower the node\'s "Concurrency" option, or raise "Max Retries" and "Max Retry Wait".',
		};
	}
	if (status === 408) {
		return {
			...base,
			errorClass: 'timeout',
			retryable: true,
			message: `Pomelo timed out while handling ${what} (${http})${detail}`,
		};
	}
	if (status >= 500) {
		return {
			...base,
			errorClass: 'server',
			retryable: true,
			// A 503 may say when to come back; a wait it asks for is honoured like a 429's.
			retryAfterMs: parseRetryAfter(headerValue(headers, 'retry-after')),
			message: `Pomelo had a server error during ${what} (${http})${detail}`,
			description: 'The service failed or is unavailable; the node retried as configured.',
		};
	}
	const paramText = api.param ? ` Parameter "${api.param}" was refused.` : '';
	const namesParam = api.param !== undefined && !(api.message ?? '').includes(api.param);
	return {
		...base,
		errorClass: 'invalid_request',
		retryable: false,
		message: `Pomelo refused the request (${http})${detail}${namesParam ? ` (parameter "${api.param}")` : ''}`,
		description: `Check the node's parameters.${paramText}`,
	};
}

/** "300 s", or "250 ms" below a second: how long a timeout waited, for messages. */
export function formatWait(ms: number): string {
	return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms)} ms`;
}

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);
const CANCEL_CODES = new Set(['ERR_CANCELED', 'ABORT_ERR']);

function errorChain(error: unknown): Array<Record<string, unknown>> {
	const chain: Array<Record<string, unknown>> = [];
	let current: unknown = error;
	while (chain.length < 5) {
		const record = asRecord(current);
		if (!record) break;
		chain.push(record);
		current = record.cause;
	}
	return chain;
}

/** Maps a request that got no HTTP answer (reset, refused, timed out, cancelled). */
export function failureFromTransportError(error: unknown, what: string, timeoutMs: number): Failure {
	const chain = errorChain(error);
	const codes = chain.map((entry) => entry.code).filter((code): code is string => typeof code === 'string');
	const names = chain.map((entry) => entry.name);
	const messages = chain.map((entry) => String(entry.message ?? '')).join(' ');

	if (codes.some((code) => CANCEL_CODES.has(code)) || names.includes('AbortError') || names.includes('CanceledError')) {
		return { errorClass: 'cancelled', retryable: false, message: `${what} was cancelled` };
	}
	if (codes.some((code) => TIMEOUT_CODES.has(code)) || /timeout/i.test(messages)) {
		return {
			errorClass: 'timeout',
			retryable: true,
			message: `${what} timed out after ${formatWait(timeoutMs)} without an answer`,
			description:
				'Raise the node\'s "Request Timeout" option if this persists: generation can take minutes.',
		};
	}
	const code = codes.find((candidate) => /^E[A-Z]+$/.test(candidate));
	return {
		errorClass: 'network',
		retryable: true,
		// The code stays out of the message: n8n would replace a message naming it with a generic text.
		message: `${what} failed: the connection was refused, reset or closed before an answer arrived`,
		description: `Network error${code ? ` ${code}` : ''}; the node retried as configured.`,
	};
}

/** Error carrying a Failure, so that the router can expose its class in error items. */
export function toNodeError(node: INode, failure: Failure, itemIndex: number, secret: string) {
	const clean = (text: string) => redactSecret(text, secret);
	const message = clean(failure.message);
	const description = failure.description ? clean(failure.description) : undefined;
	const optional = {
		httpStatus: failure.httpStatus,
		apiMessage: failure.apiMessage,
		apiCode: failure.apiCode,
		param: failure.param,
		generationId: failure.generationId,
		generationStatus: failure.generationStatus,
	};
	const response: JsonObject = { message, errorClass: failure.errorClass };
	for (const [name, value] of Object.entries(optional)) {
		if (value !== undefined) response[name] = typeof value === 'string' ? clean(value) : value;
	}
	const error = new NodeApiError(node, response, {
		message,
		description,
		httpCode: failure.httpStatus !== undefined ? String(failure.httpStatus) : undefined,
		itemIndex,
	});
	error.context.pomelo = response;
	return error;
}

export function inputError(node: INode, message: string, itemIndex: number, description?: string) {
	const error = new NodeOperationError(node, message, { itemIndex, description });
	error.context.pomelo = { message, errorClass: 'input' };
	return error;
}
