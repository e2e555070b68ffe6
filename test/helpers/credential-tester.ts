/**
 * Sends the credential's test request the way n8n's credential tester does (packages/cli, not a
 * dependency of this project): through n8n-core's real RoutingNode and HTTP stack, with the
 * credential's own authentication. Engine tests check what the server saw (path, body, headers, no
 * generation, the key never off-origin). The verdict n8n shows (OK, or a rule's message) is n8n's
 * own code's to give: test/e2e/workflows.test.ts asks a real n8n for it.
 */
import { ExecuteContext, ExecutionLifecycleHooks, RoutingNode } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	INode,
	INodeType,
	INodeTypes,
	IRunExecutionData,
	IWorkflowBase,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { PomeloApi } from '../../credentials/PomeloApi.credentials';
import { additionalData, CredentialsHelper } from '../../harness';

export async function sendCredentialTestRequest(data: ICredentialDataDecryptedObject): Promise<void> {
	const credential = new PomeloApi();
	const test = credential.test as ICredentialTestRequest;
	const nodeType: INodeType = {
		description: {
			displayName: 'Temp',
			name: 'n8n-nodes-base.noOp',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: {},
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: credential.name, required: true }],
			properties: [
				{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: test.request }, default: '' },
			],
		},
	};
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [credential.name]: { id: 'cred-test', name: 'Pomelo account' } },
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const runExecutionData = { resultData: { runData: {} } } as unknown as IRunExecutionData;
	const hooks = new ExecutionLifecycleHooks('internal', 'cred-test', {} as IWorkflowBase);
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData(
			new CredentialsHelper({ [credential.name]: credential }, { [credential.name]: data }),
			hooks,
			'cred-test',
		),
		'internal',
		runExecutionData,
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	const routingNode = new RoutingNode(context, nodeType, {
		id: 'cred-test',
		name: 'Pomelo account',
		type: credential.name,
		data,
	});
	// A refused key (401) or a missing API (404) makes RoutingNode throw: what the server answered is
	// in its request log, and that is what the tests read.
	await routingNode.runNode().catch(() => undefined);
}
