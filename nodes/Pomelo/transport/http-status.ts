import type { Failure } from '../helpers/pomelo-error';
import { asRecord, extractApiError } from './error-body';
import { parseRetryAfter } from './retry';

const MODERATION_PATTERN = /moderat|content[ _-]?policy|usage[ _-]?polic|safety|unsafe|nsfw/i;

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
 * A failure after which the generation may have run: Pomelo bills it, so it is not sent again
 * unless "Retry When Outcome Is Unknown" is on.
 */
export function outcomeUnknown(
	activity: string,
	what: string,
	known: Pick<Failure, 'httpStatus' | 'generationId' | 'apiMessage' | 'apiCode' | 'description'> = {},
): Failure {
	const id = known.generationId ? ` (generation ${known.generationId})` : '';
	return {
		...known,
		errorClass: 'outcome_unknown',
		message: `${activity}: ${what}; the generation may have run and may have been billed${id}`,
		description: `${known.description ? `${known.description} ` : ''}It was not sent again, so that it is not billed twice. Check your Pomelo account before running it again, or turn on "Retry When Outcome Is Unknown".`,
	};
}

/**
 * Maps a non-2xx answer of the generation endpoints to a failure with its class. The message
 * takes the API's own message when the body has one, otherwise the HTTP status text.
 */
export function failureFromHttpStatus(
	status: number,
	body: unknown,
	headers: unknown,
	activity: string,
	statusText?: string,
	secret = '',
): Failure {
	const api = extractApiError(body, secret);
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
			message: `The prompt was refused by Pomelo's content moderation (${http})${detail}`,
			description:
				'The request breaks the usage policy (explicit, violent, hateful, infringing or private content). Change the prompt; retrying will not help.',
		};
	}
	if (status === 401 || status === 403) {
		return {
			...base,
			errorClass: 'authentication',
			message: `Pomelo rejected the API key (${http})${detail}`,
			description: 'Check the API key and Base URL in the "Pomelo API" credential used by this node.',
		};
	}
	if (status === 429) {
		return {
			...base,
			errorClass: 'rate_limit',
			retryable: true,
			retryAfterMs: parseRetryAfter(headerValue(headers, 'retry-after')),
			message: `Pomelo rate limit reached (${http})${detail}`,
			description: 'Lower the node\'s "Concurrency" option, or raise "Max Retries" and "Max Retry Wait".',
		};
	}
	if (status === 408) {
		return {
			...base,
			errorClass: 'timeout',
			retryable: true,
			message: `Pomelo timed out while handling ${activity} (${http})${detail}`,
		};
	}
	if (status === 503) {
		return {
			...base,
			errorClass: 'server',
			retryable: true,
			// A 503 may say when to come back; a wait it asks for is honoured like a 429's.
			retryAfterMs: parseRetryAfter(headerValue(headers, 'retry-after')),
			message: `Pomelo is unavailable for ${activity} (${http})${detail}`,
			description: 'The service refused the request before working on it; the node retried as configured.',
		};
	}
	if (status >= 500) {
		// A 500, or a gateway (502, 504) between the node and a backend that may be generating.
		return outcomeUnknown(activity, `Pomelo had a server error (${http})${detail}`, base);
	}
	const paramText = api.param ? ` Parameter "${api.param}" was refused.` : '';
	const namesParam = api.param !== undefined && !(api.message ?? '').includes(api.param);
	return {
		...base,
		errorClass: 'invalid_request',
		message: `Pomelo refused the request (${http})${detail}${namesParam ? ` (parameter "${api.param}")` : ''}`,
		description: `Check the node's parameters.${paramText}`,
	};
}
