import type { IDataObject, INode } from 'n8n-workflow';

import { inputError } from './errors';

/** One row of the API's parameter table, as the node exposes it. */
export interface ParameterSpec {
	/** The API's name (the seed's table), sent in the request body. */
	apiName: string;
	/** The node property holding it. */
	property: string;
	/** The label the user sees, so that errors name the field as shown. */
	label: string;
	type: 'string' | 'integer';
	required?: boolean;
	min?: number;
	max?: number;
	pattern?: { regex: RegExp; hint: string };
	maxLength?: number;
}

function describeValue(value: unknown): string {
	if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
	if (value === null || value === undefined) return 'nothing';
	if (typeof value === 'object') return Array.isArray(value) ? 'a list' : 'an object';
	return String(value);
}

function rangeText(spec: ParameterSpec): string {
	if (spec.min !== undefined && spec.max !== undefined) return ` from ${spec.min} to ${spec.max}`;
	if (spec.min !== undefined) return ` of at least ${spec.min}`;
	if (spec.max !== undefined) return ` of at most ${spec.max}`;
	return '';
}

/**
 * Checks the values of one item against the parameter table and builds the request body:
 * API names, integers as numbers, and optional parameters only when they are set.
 */
export function buildRequestBody(
	node: INode,
	itemIndex: number,
	specs: ParameterSpec[],
	values: IDataObject,
): IDataObject {
	const body: IDataObject = {};
	for (const spec of specs) {
		const raw = values[spec.property];
		const field = `"${spec.label}" (${spec.apiName})`;
		const fail = (requirement: string) =>
			inputError(
				node,
				`Item ${itemIndex}: ${field} ${requirement}; got ${describeValue(raw)}`,
				itemIndex,
				`Fix the "${spec.label}" field, or the expression that fills it, for item ${itemIndex}.`,
			);
		const unset = raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
		if (unset) {
			if (spec.required) throw fail('is required and must not be empty');
			continue;
		}
		if (spec.type === 'string') {
			if (typeof raw !== 'string' && typeof raw !== 'number') throw fail('must be text');
			const text = String(raw).trim();
			if (spec.maxLength !== undefined && text.length > spec.maxLength) {
				throw fail(`must be at most ${spec.maxLength} characters`);
			}
			if (spec.pattern && !spec.pattern.regex.test(text)) throw fail(`must look like ${spec.pattern.hint}`);
			body[spec.apiName] = text;
			continue;
		}
		const number = typeof raw === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : raw;
		const inRange =
			typeof number === 'number' &&
			Number.isSafeInteger(number) &&
			(spec.min === undefined || number >= spec.min) &&
			(spec.max === undefined || number <= spec.max);
		if (!inRange) throw fail(`must be a whole number${rangeText(spec)}`);
		body[spec.apiName] = number;
	}
	return body;
}
