import { z } from 'zod';

/** The answer formats of the seed document; extra fields are tolerated and ignored. */
export const midjourneyResponseSchema = z
	.object({
		status: z.literal('success'),
		images: z
			.array(
				z.object({ url: z.string().min(1), id: z.string().optional(), created_at: z.string().optional() }),
			)
			.min(1, 'contains no images'),
		prompt: z.string().optional(),
		model: z.string().optional(),
	})
	.passthrough();

export const fluxResponseSchema = z
	.object({
		id: z.string().optional(),
		created: z.number().optional(),
		images: z
			.array(
				z.object({
					url: z.string().min(1),
					width: z.number().int().positive().optional(),
					height: z.number().int().positive().optional(),
				}),
			)
			.min(1, 'contains no images'),
		prompt: z.string().optional(),
		model: z.string().optional(),
		seed: z.number().int().optional(),
		status: z.literal('complete'),
	})
	.passthrough();

/** Just enough to tell an unfinished or failed generation from a malformed answer. */
export const generationStatusSchema = z
	.object({
		status: z.string(),
		id: z.string().optional(),
	})
	.passthrough();

/** "images[0].url is missing; status should be a string" — names what was wrong, for the user. */
export function describeZodError(error: z.ZodError): string {
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
