import type { IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { AttemptFailure, type Failure } from '../helpers/errors';
import type { TransportSettings } from './settings';

/**
 * How long to wait before retry number `attempt` (0-based): Retry-After when the server gave one,
 * otherwise exponential backoff with full jitter; never more than the configured maximum.
 */
export function retryDelayMs(failure: Failure, attempt: number, settings: TransportSettings): number {
	const cap = settings.maxRetryWaitMs;
	if (failure.retryAfterMs !== undefined) return Math.min(failure.retryAfterMs, cap);
	const ceiling = Math.min(cap, settings.retryBaseDelayMs * 2 ** attempt);
	return Math.round(Math.random() * ceiling);
}

/**
 * Runs `attempt` until it succeeds, fails with a refusal, or the retries are used up. Waiting
 * stops as soon as the execution is cancelled.
 */
export async function withRetries<T>(
	context: IExecuteFunctions,
	settings: TransportSettings,
	describe: string,
	attempt: (attemptNumber: number) => Promise<T>,
	toFailure: (error: unknown) => Failure,
): Promise<T> {
	for (let attemptNumber = 0; ; attemptNumber++) {
		let failure: Failure;
		try {
			return await attempt(attemptNumber);
		} catch (error) {
			failure = error instanceof AttemptFailure ? error.failure : toFailure(error);
		}
		const signal = context.getExecutionCancelSignal();
		if (!failure.retryable || attemptNumber >= settings.maxRetries || signal?.aborted) {
			throw new AttemptFailure({
				...failure,
				...(attemptNumber > 0 && {
					description: `${failure.description ?? ''} Gave up after ${attemptNumber + 1} attempts.`.trim(),
				}),
			});
		}
		const waitMs = retryDelayMs(failure, attemptNumber, settings);
		context.logger.debug(
			`Pomelo: ${describe} failed (${failure.errorClass}${failure.httpStatus ? ` ${failure.httpStatus}` : ''}); retry ${attemptNumber + 1}/${settings.maxRetries} in ${waitMs} ms`,
		);
		const cancelled = await sleep(waitMs, signal).then(
			() => false,
			() => true,
		);
		if (cancelled) {
			throw new AttemptFailure({
				errorClass: 'cancelled',
				retryable: false,
				message: `${describe} was cancelled while waiting to retry`,
			});
		}
	}
}
