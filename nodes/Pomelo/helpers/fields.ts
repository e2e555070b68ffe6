import type { IDataObject, IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';

import { inputError } from './pomelo-error';

/** The API's name for a node field: `numOutputs` → `num_outputs`. */
export function apiName(fieldName: string): string {
	return fieldName.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** The fields of an operation: its top-level properties and its "Additional Fields" options. */
export function requestFields(properties: INodeProperties[]): INodeProperties[] {
	return properties.flatMap((property) =>
		property.type === 'collection' ? ((property.options ?? []) as INodeProperties[]) : [property],
	);
}

/** One item's values of the operation's fields, the added optional ones included. */
export function readFieldValues(
	context: IExecuteFunctions,
	itemIndex: number,
	properties: INodeProperties[],
): IDataObject {
	const values: IDataObject = {};
	for (const property of properties) {
		if (property.type === 'collection') {
			Object.assign(values, context.getNodeParameter(property.name, itemIndex, {}) as IDataObject);
		} else {
			values[property.name] = context.getNodeParameter(property.name, itemIndex, '') as IDataObject[string];
		}
	}
	return values;
}

function describeValue(value: unknown): string {
	if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
	if (value === null || value === undefined) return 'nothing';
	if (typeof value === 'object') return Array.isArray(value) ? 'a list' : 'an object';
	return String(value);
}

function rangeText(min: number | undefined, max: number | undefined): string {
	if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
	if (min !== undefined) return ` of at least ${min}`;
	if (max !== undefined) return ` of at most ${max}`;
	return '';
}

/** "Item 3: "Number of Images" (num_outputs) must be …; got 7", naming the field as the user sees it. */
export function fieldError(
	node: INode,
	itemIndex: number,
	property: INodeProperties,
	requirement: string,
	value: unknown,
	technicalName = apiName(property.name),
) {
	return inputError(
		node,
		`Item ${itemIndex}: "${property.displayName}" (${technicalName}) ${requirement}; got ${describeValue(value)}`,
		itemIndex,
		`Fix the "${property.displayName}" field, or the expression that fills it, for item ${itemIndex}.`,
	);
}

/**
 * Checks one item's values against the operation's properties and builds the request body: API
 * names, whole numbers as numbers within the property's `minValue`/`maxValue`, text trimmed, and
 * optional fields only when they are set.
 */
export function requestBody(
	node: INode,
	itemIndex: number,
	properties: INodeProperties[],
	values: IDataObject,
): IDataObject {
	const body: IDataObject = {};
	for (const property of requestFields(properties)) {
		const raw = values[property.name];
		const fail = (requirement: string) => fieldError(node, itemIndex, property, requirement, raw);
		const unset = raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
		if (unset) {
			if (property.required) throw fail('is required and must not be empty');
			continue;
		}
		if (property.type !== 'number') {
			if (typeof raw !== 'string' && typeof raw !== 'number') throw fail('must be text');
			body[apiName(property.name)] = String(raw).trim();
			continue;
		}
		const min = property.typeOptions?.minValue;
		const max = property.typeOptions?.maxValue;
		const number = typeof raw === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : raw;
		const inRange =
			typeof number === 'number' &&
			Number.isSafeInteger(number) &&
			(min === undefined || number >= min) &&
			(max === undefined || number <= max);
		if (!inRange) throw fail(`must be a whole number${rangeText(min, max)}`);
		body[apiName(property.name)] = number;
	}
	return body;
}
