import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import * as flux from '../../nodes/Pomelo/actions/image/flux.operation';
import * as midjourney from '../../nodes/Pomelo/actions/image/midjourney.operation';
import { requestBody } from '../../nodes/Pomelo/helpers/fields';
import { PomeloError } from '../../nodes/Pomelo/helpers/pomelo-error';
import { loadApiSpec } from '../helpers/api-spec';
import { pomeloNodeRef } from '../helpers/node-ref';

const node = pomeloNodeRef;

function failure(run: () => unknown): PomeloError {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(PomeloError);
		expect((error as PomeloError).errorClass).toBe('input');
		return error as PomeloError;
	}
	throw new Error('expected an input error');
}

/** A context whose item holds `values`: the prompt and, in "Additional Fields", the rest. */
function itemContext(values: IDataObject): IExecuteFunctions {
	const { prompt, ...additionalFields } = values;
	return {
		getNode: () => node,
		getNodeParameter: (name: string) => (name === 'prompt' ? prompt : additionalFields),
	} as unknown as IExecuteFunctions;
}

/** An item's request as the Midjourney operation prepares it, from the values of its fields. */
const midjourneyPrepare = (itemIndex: number, values: IDataObject) => midjourney.prepare.call(itemContext(values), itemIndex);

/** An item's request as the Flux.1 operation prepares it, from the values of its fields. */
const fluxPrepare = (itemIndex: number, values: IDataObject) => flux.prepare.call(itemContext(values), itemIndex);

describe('Midjourney request body', () => {
	// The API document: num_outputs "Number of images to generate (default: 1, max: 4)". The count is what
	// Max Images per Execution reserves and what an answer may list at most.
	test('a request counts the images it asks for: Number of Images, 1 when not set', () => {
		expect(midjourneyPrepare(0, { prompt: 'a cat', numOutputs: 3 })).toEqual({ body: { prompt: 'a cat', num_outputs: 3 }, imageCount: 3 });
		expect(midjourneyPrepare(0, { prompt: 'a cat' })).toEqual({ body: { prompt: 'a cat' }, imageCount: 1 });
	});

	test('only the prompt is sent when nothing else is set', () => {
		expect(requestBody(node, 0, midjourney.properties, { prompt: 'a cat' })).toEqual({ prompt: 'a cat' });
	});

	test('every field maps to its API name, integers as numbers', () => {
		const body = requestBody(node, 0, midjourney.properties, {
			prompt: '  A serene mountain landscape  ',
			style: 'scenic',
			width: 1024,
			height: '768',
			model: 6,
			numOutputs: 2,
		});
		expect(body).toEqual({
			prompt: 'A serene mountain landscape',
			style: 'scenic',
			width: 1024,
			height: 768,
			model: '6',
			num_outputs: 2,
		});
	});

	test('empty optional text is not sent', () => {
		expect(requestBody(node, 0, midjourney.properties, { prompt: 'x', style: '  ', model: '' })).toEqual({
			prompt: 'x',
		});
	});

	test.each([
		[{ prompt: '' }, 'Item 3: "Prompt" (prompt) is required and must not be empty; got ""'],
		[{ prompt: '   ' }, 'Item 3: "Prompt" (prompt) is required'],
		[{}, 'Item 3: "Prompt" (prompt) is required and must not be empty; got nothing'],
		[{ prompt: { text: 'a' } }, 'Item 3: "Prompt" (prompt) must be text; got an object'],
		[{ prompt: 'a', numOutputs: 5 }, 'Item 3: "Number of Images" (num_outputs) must be a whole number from 1 to 4; got 5'],
		[{ prompt: 'a', numOutputs: 0 }, '(num_outputs) must be a whole number from 1 to 4; got 0'],
		[{ prompt: 'a', numOutputs: 1.5 }, '(num_outputs) must be a whole number from 1 to 4; got 1.5'],
		[{ prompt: 'a', numOutputs: 'two' }, '(num_outputs) must be a whole number from 1 to 4; got "two"'],
		[{ prompt: 'a', width: -5 }, '"Width" (width) must be a whole number of at least 1; got -5'],
		[{ prompt: 'a', height: [512] }, '"Height" (height) must be a whole number of at least 1; got a list'],
	])('%j is refused with a message naming the item and the field', (values, message) => {
		const error = failure(() => requestBody(node, 3, midjourney.properties, values));
		expect(error.message).toContain(message);
		expect(error.context.itemIndex).toBe(3);
	});
});

describe('whole numbers at the limits of the API document', () => {
	const param = (operation: string, name: string) => loadApiSpec().operations[operation].params.find((p) => p.name === name)!;
	const numOutputs = param('midjourney', 'num_outputs');
	const steps = param('flux.1', 'steps');

	test.each([numOutputs.min!, numOutputs.max!])('num_outputs %d (a limit itself) is sent', (value) => {
		expect(requestBody(node, 0, midjourney.properties, { prompt: 'a', numOutputs: value })).toEqual({ prompt: 'a', num_outputs: value });
	});

	test(`steps ${steps.max} (the maximum) is sent, ${steps.max! + 1} is refused`, () => {
		expect(fluxPrepare(0, { prompt: 'a', steps: steps.max }).body).toEqual({ prompt: 'a', steps: steps.max });
		expect(failure(() => fluxPrepare(0, { prompt: 'a', steps: steps.max! + 1 })).message).toContain(`got ${steps.max! + 1}`);
	});

	test('a whole number given as text (an expression\'s result), spaces around it, is sent as a number', () => {
		expect(requestBody(node, 0, midjourney.properties, { prompt: 'a', numOutputs: ' 3 ', width: '\t640\n' })).toEqual({
			prompt: 'a',
			num_outputs: 3,
			width: 640,
		});
	});

	test.each(['3 images', 'about 3', '3 4', '0x3'])('text with more than a number in it (%j) is refused, quoted', (value) => {
		expect(failure(() => requestBody(node, 2, midjourney.properties, { prompt: 'a', numOutputs: value })).message).toBe(
			`Item 2: "Number of Images" (num_outputs) must be a whole number from 1 to 4; got "${value}"`,
		);
	});

	test('a whole number written with decimals (an expression\'s "4.00") is that number', () => {
		expect(requestBody(node, 0, midjourney.properties, { prompt: 'a', numOutputs: '4.00' })).toEqual({ prompt: 'a', num_outputs: 4 });
	});

	test('a text value of exactly 40 characters is quoted whole', () => {
		const value = '1234567890'.repeat(4);
		expect(failure(() => requestBody(node, 0, midjourney.properties, { prompt: 'a', width: value })).message).toBe(
			`Item 0: "Width" (width) must be a whole number of at least 1; got "${value}"`,
		);
	});

	test('a missing prompt (null) is "nothing", and the error\'s description names the field and the item', () => {
		const error = failure(() => requestBody(node, 4, midjourney.properties, { prompt: null }));
		expect(error.message).toBe('Item 4: "Prompt" (prompt) is required and must not be empty; got nothing');
		expect(error.description).toContain('"Prompt"');
		expect(error.description).toContain('item 4');
	});

	test('a long text value is quoted up to its first 40 characters', () => {
		const value = `${'1234567890'.repeat(4)}and more`;
		expect(failure(() => requestBody(node, 0, midjourney.properties, { prompt: 'a', width: value })).message).toBe(
			`Item 0: "Width" (width) must be a whole number of at least 1; got "${'1234567890'.repeat(4)}…"`,
		);
	});
});

describe('Flux.1 request body', () => {
	test('every field maps to its API name', () => {
		expect(
			fluxPrepare(0, {
				prompt: 'city',
				negativePrompt: 'blurry',
				style: 'digital-art',
				seed: 42105,
				steps: 40,
				aspectRatio: '16:9',
			}).body,
		).toEqual({
			prompt: 'city',
			negative_prompt: 'blurry',
			style: 'digital-art',
			seed: 42105,
			steps: 40,
			aspect_ratio: '16:9',
		});
	});

	test('seed 0 is a real seed and is sent', () => {
		expect(fluxPrepare(0, { prompt: 'a', seed: 0 }).body).toEqual({ prompt: 'a', seed: 0 });
	});

	test.each([
		[{ prompt: 'a', steps: 51 }, 'Item 1: "Steps" (steps) must be a whole number from 1 to 50; got 51'],
		[{ prompt: 'a', seed: -1 }, '"Seed" (seed) must be a whole number of at least 0; got -1'],
		[{ prompt: 'a', seed: 1e300 }, '"Seed" (seed) must be a whole number'],
		[{ prompt: 'a', aspectRatio: 'wide' }, '"Aspect Ratio" (aspect_ratio) must look like width:height, e.g. 16:9; got "wide"'],
	])('%j is refused with a message naming the item and the field', (values, message) => {
		expect(failure(() => fluxPrepare(1, values)).message).toContain(message);
	});
});
