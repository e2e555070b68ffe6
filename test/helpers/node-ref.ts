import type { INode } from 'n8n-workflow';

/** The Pomelo node as a workflow holds it, for unit tests that build errors outside an execution. */
export const pomeloNodeRef: INode = {
	id: 'node-1',
	name: 'Pomelo',
	type: 'n8n-nodes-pomelo.pomelo',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
