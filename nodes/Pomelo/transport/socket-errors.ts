import type { Failure } from '../helpers/pomelo-error';
import { asRecord } from './error-body';

/** "300 s", or "250 ms" below a second: how long a timeout waited, for messages. */
export function formatWait(ms: number): string {
	return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms)} ms`;
}

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);
const CANCEL_CODES = new Set(['ERR_CANCELED', 'ABORT_ERR']);

/** The HTTP client's error and the ones n8n wrapped around it (as `cause`). */
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

/** Failures that happen before a request leaves: no connection, no name, no TLS session. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPROTO']);
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/;

/** Whether the request provably never reached the server, so that sending it again cannot bill twice. */
export function requestWasNotSent(error: unknown): boolean {
	return errorChain(error).some(
		({ code }) => typeof code === 'string' && (NOT_SENT_CODES.has(code) || TLS_CODE.test(code)),
	);
}

/** Maps a request that got no HTTP answer (reset, refused, timed out, cancelled). */
export function failureFromTransportError(error: unknown, activity: string, timeoutMs: number): Failure {
	const chain = errorChain(error);
	const codes = chain.map((entry) => entry.code).filter((code): code is string => typeof code === 'string');
	const names = chain.map((entry) => entry.name);
	const messages = chain.map((entry) => String(entry.message ?? '')).join(' ');

	if (codes.some((code) => CANCEL_CODES.has(code)) || names.includes('AbortError') || names.includes('CanceledError')) {
		return { errorClass: 'cancelled', message: `${activity} was cancelled` };
	}
	if (codes.some((code) => TIMEOUT_CODES.has(code)) || /timeout/i.test(messages)) {
		return {
			errorClass: 'timeout',
			retryable: true,
			message: `${activity} timed out after ${formatWait(timeoutMs)} without an answer`,
			description: 'Raise the node\'s "Request Timeout" option if this persists: generation can take minutes.',
		};
	}
	const code = codes.find((candidate) => /^E[A-Z]+$/.test(candidate));
	return {
		errorClass: 'network',
		retryable: true,
		// The code stays out of the message: n8n would replace a message naming it with a generic text.
		message: `${activity} failed: the connection was refused, reset or closed before an answer arrived`,
		description: `Network error${code ? ` ${code}` : ''}; the node retried as configured.`,
	};
}
