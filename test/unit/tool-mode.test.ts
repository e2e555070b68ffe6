/**
 * Whether a run is an AI Agent's tool call (README, "As an AI Agent's tool"): the tool variant's
 * type, or an older agent's context that says so. The agent's view of results is in
 * test/engine/tool-mode.test.ts.
 */
import type { IExecuteFunctions, INode } from 'n8n-workflow';

import { isToolRun, toToolResult } from '../../nodes/Pomelo/helpers/tool-mode';
import { pomeloNodeRef } from '../helpers/node-ref';

/** A context that counts how often the node is asked for (n8n copies the whole node each time). */
function context(type: string, isToolExecution?: () => unknown) {
	let nodeCopies = 0;
	const built = {
		getNode: (): INode => {
			nodeCopies++;
			return { ...pomeloNodeRef, type };
		},
		...(isToolExecution && { isToolExecution }),
	} as unknown as IExecuteFunctions;
	return { context: built, nodeCopies: () => nodeCopies };
}

test.each([
	['the tool variant, n8n-nodes-pomelo.pomeloTool', 'n8n-nodes-pomelo.pomeloTool', undefined, true],
	['the node itself, n8n-nodes-pomelo.pomelo', 'n8n-nodes-pomelo.pomelo', undefined, false],
	['the node in an older agent whose isToolExecution() is true', 'n8n-nodes-pomelo.pomelo', () => true, true],
	['the node whose isToolExecution() is false', 'n8n-nodes-pomelo.pomelo', () => false, false],
	['the node whose isToolExecution() gives something else than true', 'n8n-nodes-pomelo.pomelo', () => 'yes', false],
	['a type that only starts with "Tool"', 'Tool.pomelo', undefined, false],
])('%s', (_what, type, isToolExecution, expected) => {
	expect(isToolRun(context(type, isToolExecution).context)).toBe(expected);
});

test('asked once per node run, however many items ask', () => {
	const { context: run, nodeCopies } = context('n8n-nodes-pomelo.pomeloTool');
	expect([isToolRun(run), isToolRun(run), isToolRun(run)]).toEqual([true, true, true]);
	expect(nodeCopies()).toBe(1);
});

describe("the agent's tool result (README, \"As an AI Agent's tool\")", () => {
	const image = {
		url: 'https://storage.pomeloapi.example.com/images/789xyz.png',
		width: 1024,
		height: 576,
		imageIndex: 0,
	};
	const generation = {
		provider: 'flux',
		model: 'flux.1',
		prompt: 'A futuristic cityscape with flying cars',
		seed: 42105,
		generationId: 'gen_789xyz',
		imageCount: 1,
	};

	test('per image: where it is and how it was made; no file details, no binary data', () => {
		const item = {
			json: { ...image, ...generation, fileName: '789xyz.png', mimeType: 'image/png', fileSize: 1234, parameters: { aspect_ratio: '16:9' } },
			binary: { data: { data: 'iVBORw0KGgo=', mimeType: 'image/png' } },
			pairedItem: { item: 2 },
		};
		expect(toToolResult([item])).toStrictEqual([{ json: { ...image, ...generation }, pairedItem: { item: 2 } }]);
	});

	test('One Item per Request: the generation once, its images as a list', () => {
		const images = [
			{ ...image, imageId: 'img_abc123', fileSize: 10 },
			{ ...image, imageIndex: 1, imageId: 'img_def456', fileSize: 10 },
		];
		const [result] = toToolResult([{ json: { ...generation, images }, pairedItem: { item: 0 } }]);
		expect(result.json).toStrictEqual({
			...generation,
			images: [
				{ ...image, imageId: 'img_abc123' },
				{ ...image, imageIndex: 1, imageId: 'img_def456' },
			],
		});
	});

	test.each([
		['moderation', undefined, 'Rephrase the prompt without the refused content and call the tool again, or tell the user.'],
		['input', 'aspect_ratio', 'Correct the named field and call the tool again.'],
		['invalid_request', 'style', 'Correct the named parameter and call the tool again.'],
		['rate_limit', undefined, 'Pomelo is busy; tell the user to try again later. Do not call the tool again now.'],
		['authentication', undefined, 'The Pomelo credential in n8n is not valid; tell the user. Do not call the tool again.'],
		['server', undefined, 'The image could not be made; tell the user. Do not call the tool again now.'],
	])('a %s error: the message, its class, the field it names and what to do', (errorClass, param, whatToDo) => {
		const error = { message: 'Refused', errorClass, httpStatus: 400, itemIndex: 0, ...(param && { param }) };
		const [result] = toToolResult([{ json: { error }, pairedItem: { item: 0 } }]);
		// Strict: a field the error does not name is left out, not present as undefined.
		expect(result).toStrictEqual({
			json: { error: 'Refused', errorClass, ...(param && { param }), whatToDo },
			pairedItem: { item: 0 },
		});
	});

	test('an error without a class is unknown: tell the user', () => {
		const [result] = toToolResult([{ json: { error: { message: 'Something broke' } } }]);
		expect(result.json).toEqual({
			error: 'Something broke',
			errorClass: 'unknown',
			whatToDo: 'The image could not be made; tell the user. Do not call the tool again now.',
		});
	});
});
