import type { IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { PomeloError } from '../helpers/pomelo-error';
import type { TransportSettings } from './settings';
import { formatWait } from './socket-errors';

/** First backoff step; doubled per retry, with full jitter. */
const BACKOFF_BASE_MS = 500;

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

/** Most a Retry-After wait is lengthened, so that items told the same wait do not return at once. */
const RETRY_AFTER_JITTER_MS = 1000;

/**
 * How long to wait before retry number `attempt` (0-based): Retry-After when the server gave one
 * (never less, up to 20 % or 1 s more), otherwise exponential backoff with full jitter; never more
 * than the configured maximum.
 */
export function retryDelayMs(
	error: Pick<PomeloError, 'retryAfterMs'>,
	attempt: number,
	settings: Pick<TransportSettings, 'maxRetryWaitMs'>,
): number {
	const cap = settings.maxRetryWaitMs;
	if (error.retryAfterMs !== undefined) {
		const jitter = Math.random() * Math.min(RETRY_AFTER_JITTER_MS, error.retryAfterMs * 0.2);
		return Math.min(cap, Math.round(error.retryAfterMs + jitter));
	}
	const ceiling = Math.min(cap, BACKOFF_BASE_MS * 2 ** attempt);
	return Math.round(Math.random() * ceiling);
}

/** A Retry-After longer than Max Retry Wait is not waited for, nor retried early: the item says when. */
function waitTooLong(error: PomeloError, maxRetryWaitMs: number): boolean {
	if (error.retryAfterMs === undefined || error.retryAfterMs <= maxRetryWaitMs) return false;
	const at = new Date(Date.now() + error.retryAfterMs).toISOString();
	error.message = `${error.message}. Pomelo asks to try again in ${formatWait(error.retryAfterMs)} (after ${at})`;
	error.description = `${error.description ?? ''} That is longer than "Max Retry Wait" (${formatWait(maxRetryWaitMs)}), so the node did not wait.`.trim();
	return true;
}

/**
 * Runs `attempt` until it succeeds, fails with an error that is not retryable, or the retries
 * are used up. `toError` names whatever the attempt threw that is not a PomeloError yet. Waiting
 * stops as soon as the execution is cancelled.
 */
export async function withRetries<T>(
	context: IExecuteFunctions,
	settings: Pick<TransportSettings, 'maxRetries' | 'maxRetryWaitMs'>,
	activity: string,
	attempt: (attemptNumber: number) => Promise<T>,
	toError: (error: unknown) => PomeloError,
): Promise<T> {
	for (let attemptNumber = 0; ; attemptNumber++) {
		let error: PomeloError;
		try {
			return await attempt(attemptNumber);
		} catch (caught) {
			error = caught instanceof PomeloError ? caught : toError(caught);
		}
		const signal = context.getExecutionCancelSignal();
		if (
			!error.retryable ||
			attemptNumber >= settings.maxRetries ||
			signal?.aborted ||
			waitTooLong(error, settings.maxRetryWaitMs)
		) {
			if (attemptNumber > 0) {
				error.description = `${error.description ?? ''} Gave up after ${attemptNumber + 1} attempts.`.trim();
			}
			throw error;
		}
		const waitMs = retryDelayMs(error, attemptNumber, settings);
		const status = error.details.httpStatus;
		context.logger.debug(
			`Pomelo: ${activity} failed (${error.errorClass}${status ? ` ${String(status)}` : ''}); retry ${attemptNumber + 1}/${settings.maxRetries} in ${waitMs} ms`,
		);
		const cancelled = await sleep(waitMs, signal).then(
			() => false,
			() => true,
		);
		if (cancelled) {
			throw new PomeloError(context.getNode(), {
				errorClass: 'cancelled',
				message: `${activity} was cancelled while waiting to retry`,
			});
		}
	}
}
