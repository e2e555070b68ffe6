import type { IDataObject } from 'n8n-workflow';

import * as flux from '../../nodes/Pomelo/actions/image/flux.operation';
import * as midjourney from '../../nodes/Pomelo/actions/image/midjourney.operation';
import { PomeloError } from '../../nodes/Pomelo/helpers/pomelo-error';
import { parseAnswer } from '../../nodes/Pomelo/transport/answer';
import { pomeloNodeRef } from '../helpers/node-ref';

const node = pomeloNodeRef;

/** An answer as the node reads it: checked against the operation's schema, then turned into a generation. */
const readMidjourney = (body: unknown, sent: IDataObject) =>
	midjourney.toGeneration(
		parseAnswer(body, midjourney.answerSchema, 'success', 'Midjourney generation', (failure) => new PomeloError(node, failure)),
		sent,
	);
const readFlux = (body: unknown, sent: IDataObject) =>
	flux.toGeneration(
		parseAnswer(body, flux.answerSchema, 'complete', 'Flux.1 generation', (failure) => new PomeloError(node, failure)),
		sent,
	);

/** The API document's own response examples. */
const documentMidjourney = {
	status: 'success',
	images: [
		{ url: 'https://storage.pomeloapi.example.com/images/abc123.png', id: 'img_abc123', created_at: '2023-06-15T10:30:45Z' },
		{ url: 'https://storage.pomeloapi.example.com/images/def456.png', id: 'img_def456', created_at: '2023-06-15T10:30:45Z' },
	],
	prompt: 'A serene mountain landscape with a lake at sunset, photorealistic',
	model: '5',
};
const documentFlux = {
	id: 'gen_789xyz',
	created: 1678901234,
	images: [{ url: 'https://storage.pomeloapi.example.com/images/789xyz.png', width: 1024, height: 576 }],
	prompt: 'A futuristic cityscape with flying cars and holographic billboards',
	model: 'flux.1',
	seed: 42105,
	status: 'complete',
};

function failureOf(run: () => unknown) {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(PomeloError);
		return error as PomeloError;
	}
	throw new Error('expected a failure');
}

describe('Midjourney answers', () => {
	test("the document's example becomes a generation with both images", () => {
		const generation = readMidjourney(documentMidjourney, { prompt: 'x', num_outputs: 2 });
		expect(generation).toEqual({
			provider: 'midjourney',
			status: 'success',
			prompt: documentMidjourney.prompt,
			model: '5',
			createdAt: '2023-06-15T10:30:45Z',
			parameters: { num_outputs: 2 },
			images: [
				{ url: documentMidjourney.images[0].url, imageId: 'img_abc123', createdAt: '2023-06-15T10:30:45Z' },
				{ url: documentMidjourney.images[1].url, imageId: 'img_def456', createdAt: '2023-06-15T10:30:45Z' },
			],
		});
	});

	test('an answer without a model: the model that was sent, else the API\'s default "5"', () => {
		const { model, ...withoutModel } = documentMidjourney;
		expect(model).toBe('5');
		expect(readMidjourney(withoutModel, { prompt: 'x', model: '6' }).model).toBe('6');
		expect(readMidjourney(withoutModel, { prompt: 'x' }).model).toBe('5');
	});

	test('a failed status is generation_failed with the status', () => {
		const failure = failureOf(() =>
			readMidjourney({ status: 'failed', error: { message: 'GPU fell over' } }, { prompt: 'x' }),
		);
		expect(failure).toMatchObject({ errorClass: 'generation_failed', retryable: false });
		expect(failure.details).toEqual({ errorClass: 'generation_failed', generationStatus: 'failed', apiMessage: 'GPU fell over' });
		expect(failure.message).toBe('Midjourney generation did not finish: status "failed": GPU fell over');
	});

	test.each([
		[{ status: 'success' }, '"images" is missing'],
		[{ status: 'success', images: {} }, '"images" should be array, got object'],
		[{ status: 'success', images: [] }, '"images" contains no images'],
		[{ status: 'success', images: [{ id: 'img_1' }] }, '"images[0].url" is missing'],
		[{ images: [] }, '"status" is missing'],
		['{"status":"succ', 'a body that is not a JSON object'],
		[null, 'a body that is not a JSON object'],
	])('%j is invalid_response naming what is wrong', (body, text) => {
		const failure = failureOf(() => readMidjourney(body, { prompt: 'x' }));
		expect(failure.errorClass).toBe('invalid_response');
		expect(failure.message).toContain(text);
	});

	test('a status that is not a string is named with what came', () => {
		const failure = failureOf(() => readMidjourney({ ...documentMidjourney, status: 200 }, { prompt: 'x' }));
		expect(failure.message).toBe('Midjourney generation: Pomelo\'s answer does not match the documented format: "status" should be "success", got 200');
	});

	test('several problems are listed, the first five of them', () => {
		const failure = failureOf(() => readMidjourney({ status: 'success', images: [{}, {}, {}, {}, {}, {}] }, { prompt: 'x' }));
		expect(failure.message).toBe(
			'Midjourney generation: Pomelo\'s answer does not match the documented format: ' +
				'"images[0].url" is missing; "images[1].url" is missing; "images[2].url" is missing; "images[3].url" is missing; "images[4].url" is missing',
		);
	});

	test('a body that is not a JSON object says that nothing was generated into the output', () => {
		const failure = failureOf(() => readMidjourney('<html>502</html>', { prompt: 'x' }));
		expect(failure).toMatchObject({
			errorClass: 'invalid_response',
			message: 'Midjourney generation: Pomelo answered with a body that is not a JSON object',
			description: 'The answer was malformed or cut short; nothing was generated into the output.',
		});
	});
});

describe('Flux.1 answers', () => {
	test("the document's example keeps id, seed, size and creation time", () => {
		expect(readFlux(documentFlux, { prompt: 'x', aspect_ratio: '16:9' })).toEqual({
			provider: 'flux',
			generationId: 'gen_789xyz',
			status: 'complete',
			prompt: documentFlux.prompt,
			model: 'flux.1',
			seed: 42105,
			createdAt: '2023-03-15T17:27:14.000Z',
			parameters: { aspect_ratio: '16:9' },
			images: [{ url: documentFlux.images[0].url, width: 1024, height: 576 }],
		});
	});

	test('the seed that was sent is kept when the answer has none', () => {
		const { seed, ...withoutSeed } = documentFlux;
		expect(seed).toBe(42105);
		expect(readFlux(withoutSeed, { prompt: 'x', seed: 7 }).seed).toBe(7);
	});

	test('an answer without a model is Flux.1\'s "flux.1"; another model it names is kept', () => {
		const { model, ...withoutModel } = documentFlux;
		expect(model).toBe('flux.1');
		expect(readFlux(withoutModel, { prompt: 'x' }).model).toBe('flux.1');
		expect(readFlux({ ...documentFlux, model: 'flux.1-pro' }, { prompt: 'x' }).model).toBe('flux.1-pro');
	});

	test('a processing generation is generation_failed with its id and status', () => {
		const failure = failureOf(() => readFlux({ ...documentFlux, status: 'processing' }, { prompt: 'x' }));
		expect(failure.details).toEqual({
			errorClass: 'generation_failed',
			generationId: 'gen_789xyz',
			generationStatus: 'processing',
		});
		expect(failure.message).toBe('Flux.1 generation did not finish: status "processing" (generation gen_789xyz)');
	});

	test('an impossible creation time does not crash', () => {
		expect(readFlux({ ...documentFlux, created: 1e20 }, { prompt: 'x' }).createdAt).toBeUndefined();
	});
});
