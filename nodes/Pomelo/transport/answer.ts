import { z } from 'zod';

import type { Failure, PomeloError } from '../helpers/pomelo-error';
import { extractApiError } from './error-body';

/** Just enough to tell an unfinished or failed generation from a malformed answer. */
const generationStatusSchema = z.object({ status: z.string(), id: z.string().optional() }).passthrough();

/** "images[0].url is missing; status should be a string": names what was wrong, for the user. */
function describeZodError(error: z.ZodError): string {
	return error.issues
		.slice(0, 5)
		.map((issue) => {
			const path = issue.path.length
				? issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${part}`)).join('').replace(/^\./, '')
				: 'the body';
			if (issue.code === 'invalid_type' && issue.received === 'undefined') return `"${path}" is missing`;
			if (issue.code === 'invalid_type') return `"${path}" should be ${issue.expected}, got ${issue.received}`;
			if (issue.code === 'invalid_literal') {
				return issue.received === undefined
					? `"${path}" is missing`
					: `"${path}" should be ${JSON.stringify(issue.expected)}, got ${JSON.stringify(issue.received)}`;
			}
			return `"${path}" ${issue.message}`;
		})
		.join('; ');
}

/**
 * Checks a 2xx answer against its documented format. A generation that is not finished is a
 * `generation_failed` error carrying its id and status; anything else that does not match is
 * `invalid_response`, naming what was missing.
 */
export function parseAnswer<Schema extends z.ZodTypeAny>(
	body: unknown,
	schema: Schema,
	finishedStatus: string,
	activity: string,
	fail: (failure: Failure) => PomeloError,
): z.infer<Schema> {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		throw fail({
			errorClass: 'invalid_response',
			message: `${activity}: Pomelo answered with a body that is not a JSON object`,
			description: 'The answer was malformed or cut short; nothing was generated into the output.',
		});
	}
	const status = generationStatusSchema.safeParse(body);
	if (status.success && status.data.status !== finishedStatus) {
		const { id, status: generationStatus } = status.data;
		const api = extractApiError(body);
		throw fail({
			errorClass: 'generation_failed',
			generationId: id,
			generationStatus,
			apiMessage: api.message,
			message: `${activity} did not finish: status "${generationStatus}"${id ? ` (generation ${id})` : ''}${api.message ? `: ${api.message}` : ''}`,
		});
	}
	const parsed = schema.safeParse(body);
	if (!parsed.success) {
		throw fail({
			errorClass: 'invalid_response',
			message: `${activity}: Pomelo's answer does not match the documented format: ${describeZodError(parsed.error)}`,
		});
	}
	return parsed.data;
}
