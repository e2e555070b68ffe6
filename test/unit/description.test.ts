import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { PomeloApi } from '../../credentials/PomeloApi.credentials';
import * as flux from '../../nodes/Pomelo/actions/image/flux.operation';
import * as midjourney from '../../nodes/Pomelo/actions/image/midjourney.operation';
import { Pomelo } from '../../nodes/Pomelo/Pomelo.node';
import { loadApiSpec } from '../helpers/api-spec';

const spec = loadApiSpec();
const node = new Pomelo().description;

/** The seed's operation keys, mapped to the node's operation values and modules. */
const operations = [
	{ specKey: 'midjourney', value: 'midjourney', module: midjourney },
	{ specKey: 'flux.1', value: 'flux', module: flux },
];

function visibleFor(operation: string): INodeProperties[] {
	return node.properties.filter((property) => {
		const show = property.displayOptions?.show;
		return !show?.operation || (show.operation as string[]).includes(operation);
	});
}

/** The top-level property or the "Additional Fields" option that holds an API parameter. */
function findField(operation: string, apiName: string): { property: INodeProperties; required: boolean } {
	const { module } = operations.find((entry) => entry.value === operation)!;
	const mapping = module.parameters.find((parameter) => parameter.apiName === apiName);
	if (!mapping) throw new Error(`no parameter spec maps ${apiName}`);
	const visible = visibleFor(operation);
	const top = visible.find((property) => property.name === mapping.property);
	if (top) return { property: top, required: top.required === true };
	const additional = visible.find((property) => property.name === 'additionalFields');
	const option = (additional?.options as INodeProperties[] | undefined)?.find(
		(candidate) => candidate.name === mapping.property,
	);
	if (!option) throw new Error(`${operation}: no field for ${apiName}`);
	return { property: option, required: false };
}

describe.each(operations)('the $specKey operation mirrors the seed table', ({ specKey, value, module }) => {
	const table = spec.operations[specKey];

	test('the spec file has this operation', () => {
		expect(table).toBeDefined();
		expect(module.endpoint.path).toBe(table.path);
		expect(table.method).toBe('POST');
	});

	test('every row of the table is exactly one parameter mapping, and nothing else', () => {
		expect(module.parameters.map((parameter) => parameter.apiName).sort()).toEqual(
			table.params.map((param) => param.name).sort(),
		);
	});

	describe.each(table.params)('parameter $name', (param) => {
		const { property, required } = findField(value, param.name);
		const mapping = module.parameters.find((parameter) => parameter.apiName === param.name)!;

		test('names the API parameter in its description', () => {
			expect(property.description).toContain(param.name);
		});

		test('has the type of the table', () => {
			expect(mapping.type).toBe(param.type);
			if (param.type === 'integer') {
				expect(property.type).toBe('number');
				expect(property.typeOptions?.numberPrecision).toBe(0);
			} else {
				expect(['string', 'options']).toContain(property.type);
			}
		});

		test('is required exactly when the table says so', () => {
			expect(required).toBe(param.required);
			expect(mapping.required === true).toBe(param.required);
		});

		test('has the default of the table', () => {
			if (param.default !== undefined) expect(property.default).toBe(param.default);
		});

		test('enforces the limits of the table in the UI and in validation', () => {
			if (param.min !== undefined) {
				expect(property.typeOptions?.minValue).toBe(param.min);
				expect(mapping.min).toBe(param.min);
			}
			if (param.max !== undefined) {
				expect(property.typeOptions?.maxValue).toBe(param.max);
				expect(mapping.max).toBe(param.max);
			}
		});

		test('offers the examples of the table as options', () => {
			if (!param.examples) return;
			expect(property.type).toBe('options');
			const values = (property.options as INodePropertyOptions[]).map((option) => option.value);
			expect(values).toEqual(expect.arrayContaining(param.examples));
		});
	});
});

describe('node and credential descriptions', () => {
	test('one operation per endpoint of the spec', () => {
		const operation = node.properties.find((property) => property.name === 'operation')!;
		const values = (operation.options as INodePropertyOptions[]).map((option) => option.value).sort();
		expect(values).toEqual(operations.map((entry) => entry.value).sort());
		expect(Object.keys(spec.operations).sort()).toEqual(operations.map((entry) => entry.specKey).sort());
	});

	test('is usable as an AI tool, has a subtitle and themed icons', () => {
		expect(node.usableAsTool).toBe(true);
		expect(node.subtitle).toContain('$parameter["operation"]');
		expect(node.icon).toEqual({ light: 'file:pomelo.svg', dark: 'file:pomelo.dark.svg' });
		expect(node.credentials).toEqual([{ name: 'pomeloApi', required: true }]);
	});

	test('the credential sends the bearer key and defaults to the seed host', () => {
		const credential = new PomeloApi();
		expect(credential.name).toBe('pomeloApi');
		const apiKey = credential.properties.find((property) => property.name === 'apiKey')!;
		expect(apiKey.typeOptions?.password).toBe(true);
		const baseUrl = credential.properties.find((property) => property.name === 'baseUrl')!;
		expect(baseUrl.default).toBe(spec.baseUrl);
		expect(credential.authenticate).toEqual({
			type: 'generic',
			properties: { headers: { [spec.auth.header]: `=${spec.auth.scheme} {{$credentials.apiKey}}` } },
		});
	});
});
