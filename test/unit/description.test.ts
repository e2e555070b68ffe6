import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { PomeloApi } from '../../credentials/PomeloApi.credentials';
import * as flux from '../../nodes/Pomelo/actions/image/flux.operation';
import * as midjourney from '../../nodes/Pomelo/actions/image/midjourney.operation';
import { requestBody } from '../../nodes/Pomelo/helpers/fields';
import { PomeloError } from '../../nodes/Pomelo/helpers/pomelo-error';
import { Pomelo } from '../../nodes/Pomelo/Pomelo.node';
import { loadApiSpec } from '../helpers/api-spec';
import { pomeloNodeRef } from '../helpers/node-ref';

const spec = loadApiSpec();
const node = new Pomelo().description;
const nodeRef = pomeloNodeRef;

/** The API table's operation keys, mapped to the node's operation values and modules. */
const operations = [
	{ specKey: 'midjourney', value: 'midjourney', module: midjourney },
	{ specKey: 'flux.1', value: 'flux', module: flux },
];

/** The node names a field after its API parameter, in n8n's camelCase: num_outputs → numOutputs. */
const fieldName = (apiName: string) => apiName.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

function visibleFor(operation: string): INodeProperties[] {
	return node.properties.filter((property) => {
		const show = property.displayOptions?.show;
		return !show?.operation || (show.operation as string[]).includes(operation);
	});
}

/** The operation's request fields as the user sees them: top-level, or under "Additional Fields". */
function fieldsOf(operation: string): Array<{ property: INodeProperties; required: boolean }> {
	return visibleFor(operation).flatMap((property) => {
		if (property.name === 'additionalFields') {
			return (property.options as INodeProperties[]).map((option) => ({ property: option, required: false }));
		}
		if (['resource', 'operation', 'options'].includes(property.name)) return [];
		return [{ property, required: property.required === true }];
	});
}

/** Every row of both tables, with the field that holds it. */
const rows = operations.flatMap(({ specKey, value, module }) =>
	spec.operations[specKey].params.map((param) => {
		const field = fieldsOf(value).find(({ property }) => property.name === fieldName(param.name));
		if (!field) throw new Error(`${specKey}: no field for ${param.name}`);
		return { specKey, module, param, ...field };
	}),
);
const rowsWith = (has: (row: (typeof rows)[number]) => boolean) => rows.filter(has);

/** The input error a request body with this one value gets, for the row's operation. */
function refusal(row: (typeof rows)[number], value: number): PomeloError {
	try {
		requestBody(nodeRef, 0, row.module.properties, { prompt: 'x', [row.property.name]: value });
	} catch (error) {
		return error as PomeloError;
	}
	throw new Error(`${row.param.name} = ${value} was accepted`);
}

describe.each(operations)('the $specKey operation mirrors the API table', ({ specKey, value, module }) => {
	const table = spec.operations[specKey];

	test('the table has this operation, with its path and method', () => {
		expect(module.PATH).toBe(table.path);
		expect(table.method).toBe('POST');
	});

	test('every row of the table is exactly one field, and there is no other field', () => {
		expect(fieldsOf(value).map(({ property }) => property.name).sort()).toEqual(
			table.params.map((param) => fieldName(param.name)).sort(),
		);
	});
});

describe('each parameter of the API tables', () => {
	test.each(rows)('$specKey $param.name: its description names the API parameter', ({ property, param }) => {
		expect(property.description).toContain(param.name);
	});

	test.each(rows)('$specKey $param.name: required exactly when the table says so', ({ required, param }) => {
		expect(required).toBe(param.required);
	});

	test.each(rowsWith((row) => row.param.type === 'integer'))(
		'$specKey $param.name: an integer is a whole number field',
		({ property }) => {
			expect(property.type).toBe('number');
			expect(property.typeOptions?.numberPrecision).toBe(0);
		},
	);

	test.each(rowsWith((row) => row.param.type === 'string'))('$specKey $param.name: a string is text or options', ({ property }) => {
		expect(['string', 'options']).toContain(property.type);
	});

	test.each(rowsWith((row) => row.param.default !== undefined))(
		'$specKey $param.name: has the default of the table',
		({ property, param }) => {
			expect(property.default).toBe(param.default);
		},
	);

	test.each(rowsWith((row) => row.param.min !== undefined))(
		'$specKey $param.name: the minimum of the table, in the UI and when checking a value',
		(row) => {
			const min = row.param.min!;
			expect(row.property.typeOptions?.minValue).toBe(min);
			expect(refusal(row, min - 1)).toMatchObject({ errorClass: 'input' });
			expect(refusal(row, min - 1).message).toContain(`(${row.param.name}) must be a whole number from ${min}`);
		},
	);

	test.each(rowsWith((row) => row.param.max !== undefined))(
		'$specKey $param.name: the maximum of the table, in the UI and when checking a value',
		(row) => {
			const max = row.param.max!;
			expect(row.property.typeOptions?.maxValue).toBe(max);
			expect(refusal(row, max + 1).message).toContain(`(${row.param.name}) must be a whole number`);
			expect(refusal(row, max + 1).message).toContain(`to ${max}; got ${max + 1}`);
		},
	);

	test.each(rowsWith((row) => row.param.examples !== undefined))(
		'$specKey $param.name: offers the examples of the table as options',
		({ property, param }) => {
			expect(property.type).toBe('options');
			const values = (property.options as INodePropertyOptions[]).map((option) => option.value);
			expect(values).toEqual(expect.arrayContaining(param.examples!));
		},
	);
});

describe('node and credential descriptions', () => {
	test('one operation per endpoint of the spec', () => {
		const operation = node.properties.find((property) => property.name === 'operation')!;
		const values = (operation.options as INodePropertyOptions[]).map((option) => option.value).sort();
		expect(values).toEqual(operations.map((entry) => entry.value).sort());
		expect(Object.keys(spec.operations).sort()).toEqual(operations.map((entry) => entry.specKey).sort());
	});

	test('is usable as an AI tool, has a subtitle and themed icons', () => {
		// The tool variant (n8n-nodes-pomelo.pomeloTool) describes itself to a model: what it returns.
		expect(node.usableAsTool).toEqual({ replacements: { description: expect.stringMatching(/returns.*URL/i) } });
		expect(node.subtitle).toContain('$parameter["operation"]');
		expect(node.icon).toEqual({ light: 'file:pomelo.svg', dark: 'file:pomelo.dark.svg' });
		expect(node.credentials).toEqual([{ name: 'pomeloApi', required: true }]);
	});

	test('the credential sends the bearer key and defaults to the API document host', () => {
		const credential = new PomeloApi();
		expect(credential.name).toBe('pomeloApi');
		const apiKey = credential.properties.find((property) => property.name === 'apiKey')!;
		expect(apiKey.typeOptions?.password).toBe(true);
		const baseUrl = credential.properties.find((property) => property.name === 'baseUrl')!;
		expect(baseUrl.default).toBe(spec.baseUrl);
		// The key as stored, without a space or newline pasted around it.
		expect(credential.authenticate).toEqual({
			type: 'generic',
			properties: { headers: { [spec.auth.header]: `=${spec.auth.scheme} {{$credentials.apiKey.trim()}}` } },
		});
	});
});
