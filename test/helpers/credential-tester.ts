/**
 * The verdict n8n gives a declarative credential test, reproduced with n8n-core's real RoutingNode
 * and HTTP stack: the same steps as n8n's CredentialsTester (packages/cli), minus the database.
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

export interface CredentialVerdict {
	status: 'OK' | 'Error';
	message: string;
}

export async function testPomeloCredential(data: ICredentialDataDecryptedObject): Promise<CredentialVerdict> {
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
	try {
		await routingNode.runNode();
	} catch (caught) {
		const error = caught as { cause?: { response?: { status: number; statusText?: string }; code?: string }; message: string };
		if (error.cause?.response) {
			const { status, statusText } = error.cause.response;
			for (const rule of test.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === status) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			if (status < 199 || status > 299) {
				return { status: 'Error', message: statusText || `Received HTTP status code: ${status}` };
			}
		} else if (error.cause?.code) {
			return { status: 'Error', message: error.cause.code };
		}
		return { status: 'Error', message: error.message };
	}
	return { status: 'OK', message: 'Connection successful!' };
}
