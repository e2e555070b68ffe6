import type { z } from 'zod';

import { AttemptFailure, extractApiError } from './errors';
import { describeZodError, generationStatusSchema } from './schemas';

/**
 * Checks a 2xx answer against its documented format. A generation that is not finished is a
 * `generation_failed` error carrying its id and status; anything else that does not match is
 * `invalid_response`, naming what was missing.
 */
export function parseGenerationResponse<Schema extends z.ZodTypeAny>(
	body: unknown,
	schema: Schema,
	finishedStatus: string,
	what: string,
): z.infer<Schema> {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		throw new AttemptFailure({
			errorClass: 'invalid_response',
			retryable: false,
			message: `${what}: Pomelo answered with a body that is not a JSON object`,
			description: 'The answer was malformed or cut short; nothing was generated into the output.',
		});
	}
	const status = generationStatusSchema.safeParse(body);
	if (status.success && status.data.status !== finishedStatus) {
		const { id, status: generationStatus } = status.data;
		const api = extractApiError(body);
		throw new AttemptFailure({
			errorClass: 'generation_failed',
			retryable: false,
			generationId: id,
			generationStatus,
			apiMessage: api.message,
			message: `${what} did not finish: status "${generationStatus}"${id ? ` (generation ${id})` : ''}${api.message ? `: ${api.message}` : ''}`,
		});
	}
	const parsed = schema.safeParse(body);
	if (!parsed.success) {
		throw new AttemptFailure({
			errorClass: 'invalid_response',
			retryable: false,
			message: `${what}: Pomelo's answer does not match the documented format: ${describeZodError(parsed.error)}`,
		});
	}
	return parsed.data;
}
