/**
 * Whether a run is an AI Agent's tool call (README, "As an AI Agent's tool"): the tool variant's
 * type, or an older agent's context that says so. The agent's view of results is in
 * test/engine/tool-mode.test.ts.
 */
import type { IExecuteFunctions, INode } from 'n8n-workflow';

import { isToolRun } from '../../nodes/Pomelo/helpers/tool-mode';
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
