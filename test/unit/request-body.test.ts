import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as flux from '../../nodes/Pomelo/actions/image/flux.operation';
import * as midjourney from '../../nodes/Pomelo/actions/image/midjourney.operation';
import { buildRequestBody } from '../../nodes/Pomelo/helpers/input';

const node: INode = {
	id: '1',
	name: 'Pomelo',
	type: 'n8n-nodes-pomelo.pomelo',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function failure(run: () => unknown): NodeOperationError {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(NodeOperationError);
		return error as NodeOperationError;
	}
	throw new Error('expected a NodeOperationError');
}

describe('Midjourney request body', () => {
	test('only the prompt is sent when nothing else is set', () => {
		expect(buildRequestBody(node, 0, midjourney.parameters, { prompt: 'a cat' })).toEqual({ prompt: 'a cat' });
	});

	test('every field maps to its API name, integers as numbers', () => {
		const body = buildRequestBody(node, 0, midjourney.parameters, {
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
		expect(buildRequestBody(node, 0, midjourney.parameters, { prompt: 'x', style: '  ', model: '' })).toEqual({
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
		const error = failure(() => buildRequestBody(node, 3, midjourney.parameters, values));
		expect(error.message).toContain(message);
		expect(error.context.itemIndex).toBe(3);
	});
});

describe('Flux.1 request body', () => {
	test('every field maps to its API name', () => {
		expect(
			buildRequestBody(node, 0, flux.parameters, {
				prompt: 'city',
				negativePrompt: 'blurry',
				style: 'digital-art',
				seed: 42105,
				steps: 40,
				aspectRatio: '16:9',
			}),
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
		expect(buildRequestBody(node, 0, flux.parameters, { prompt: 'a', seed: 0 })).toEqual({ prompt: 'a', seed: 0 });
	});

	test.each([
		[{ prompt: 'a', steps: 51 }, 'Item 1: "Steps" (steps) must be a whole number from 1 to 50; got 51'],
		[{ prompt: 'a', seed: -1 }, '"Seed" (seed) must be a whole number from 0 to'],
		[{ prompt: 'a', seed: 1e300 }, '"Seed" (seed) must be a whole number'],
		[{ prompt: 'a', aspectRatio: 'wide' }, '"Aspect Ratio" (aspect_ratio) must look like width:height, e.g. 16:9; got "wide"'],
	])('%j is refused with a message naming the item and the field', (values, message) => {
		expect(failure(() => buildRequestBody(node, 1, flux.parameters, values)).message).toContain(message);
	});
});
