import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { redactSecret } from './redact';

/** What went wrong, in terms a workflow can branch on (`details.errorClass` in error items). */
export type ErrorClass =
	| 'input'
	| 'limit'
	| 'authentication'
	| 'invalid_request'
	| 'moderation'
	| 'rate_limit'
	| 'server'
	| 'timeout'
	| 'network'
	| 'outcome_unknown'
	| 'cancelled'
	| 'invalid_response'
	| 'generation_failed'
	| 'download';

/** A failure as the code that understood it describes it. */
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
	/** Whether trying again can help without risking a second bill. */
	retryable?: boolean;
	/** Server-requested wait (Retry-After), in milliseconds. */
	retryAfterMs?: number;
}

const API_FIELDS = ['httpStatus', 'apiMessage', 'apiCode', 'param', 'generationId', 'generationStatus'] as const;

/**
 * The node's one error type: built once, where the failure is understood, with the API key
 * removed from every text it carries. Retries read `retryable` and `retryAfterMs`; the router's
 * error item reads `details`.
 */
export class PomeloError extends NodeApiError {
	readonly errorClass: ErrorClass;

	readonly retryable: boolean;

	readonly retryAfterMs?: number;

	/** `errorClass` and the API's fields that are known, for the error item's `details`. */
	readonly details: IDataObject;

	constructor(node: INode, failure: Failure, secret = '', itemIndex?: number) {
		const clean = (text: string) => redactSecret(text, secret);
		const message = clean(failure.message);
		const details: JsonObject = { errorClass: failure.errorClass };
		for (const name of API_FIELDS) {
			const value = failure[name];
			if (value !== undefined) details[name] = typeof value === 'string' ? clean(value) : value;
		}
		super(node, { message, ...details }, {
			message,
			description: failure.description ? clean(failure.description) : undefined,
			httpCode: failure.httpStatus !== undefined ? String(failure.httpStatus) : undefined,
			itemIndex,
		});
		this.errorClass = failure.errorClass;
		this.retryable = failure.retryable === true;
		this.retryAfterMs = failure.retryAfterMs;
		this.details = details;
	}
}

/** A field's value is invalid: nothing was sent for this item. */
export function inputError(node: INode, message: string, itemIndex: number, description?: string): PomeloError {
	return new PomeloError(node, { errorClass: 'input', message, description }, '', itemIndex);
}
