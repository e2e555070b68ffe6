import { redactSecret } from '../helpers/redact';

/** What an error answer says about itself; its format is not documented. */
export interface ApiErrorDetails {
	message?: string;
	code?: string;
	param?: string;
}

const MAX_API_MESSAGE_LENGTH = 500;

export function asRecord(value: unknown): Record<string, unknown> | undefined {
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
 * Takes the message from whichever of `error.message`, `error` (string), `message` or `detail` is
 * present. HTML pages and stacks are never shown. The key is removed before the message is cut,
 * so that a cut cannot leave part of it behind.
 */
export function extractApiError(rawBody: unknown, secret = ''): ApiErrorDetails {
	const record = asRecord(parseBody(rawBody));
	if (!record) return {};
	const nested = asRecord(record.error);
	const detail = record.detail;
	const detailEntry = Array.isArray(detail) ? asRecord(detail[0]) : asRecord(detail);
	const detailLocation = Array.isArray(detailEntry?.loc) ? detailEntry?.loc : undefined;
	let message = firstString(nested?.message, record.error, record.message, detail, detailEntry?.msg, detailEntry?.message);
	if (message && /^\s*</.test(message)) message = undefined;
	if (message) message = redactSecret(message, secret);
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
