// Types for test/helpers/n8n-engine.js.
import type { ExecutionLifecycleHooks } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsHelper,
	ICredentialType,
	IConnections,
	INode,
	INodeExecutionData,
	INodeType,
	IRun,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';

export interface RunOptions {
	nodes: INode[];
	connections?: IConnections;
	/** Items given to the first node. */
	input: Array<Record<string, unknown>>;
	/** The data of every credential type the engine knows. */
	credentials: ICredentialDataDecryptedObject;
	mode?: WorkflowExecuteMode;
	/** Called once the execution is under way, e.g. to cancel it. */
	onStart?: (execution: { cancel: () => void }) => void;
}

export interface RunResult {
	run: IRun;
	/** Output items of a node's main output `outputIndex` (first run). */
	output(nodeName: string, outputIndex?: number): INodeExecutionData[];
	/** The error a node failed with, if any. */
	error(nodeName: string): IRun['data']['resultData']['error'];
}

export function createEngine(options: {
	nodeTypes: Record<string, INodeType>;
	credentialTypes: Record<string, ICredentialType>;
}): { runWorkflow(options: RunOptions): Promise<RunResult> };

export class CredentialsHelper extends ICredentialsHelper {
	constructor(
		credentialTypes: Record<string, ICredentialType>,
		data: Record<string, ICredentialDataDecryptedObject>,
	);
	getParentTypes(name: string): string[];
	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean;
	authenticate: ICredentialsHelper['authenticate'];
	preAuthentication: ICredentialsHelper['preAuthentication'];
	runPreAuthentication: ICredentialsHelper['runPreAuthentication'];
	getCredentials: ICredentialsHelper['getCredentials'];
	getDecrypted: ICredentialsHelper['getDecrypted'];
	updateCredentials: ICredentialsHelper['updateCredentials'];
	updateCredentialsOauthTokenData: ICredentialsHelper['updateCredentialsOauthTokenData'];
	getCredentialsProperties: ICredentialsHelper['getCredentialsProperties'];
}

export function additionalData(
	credentialsHelper: ICredentialsHelper,
	hooks: ExecutionLifecycleHooks,
	executionId: string,
): IWorkflowExecuteAdditionalData;

export function useFilesystemBinaryData(): Promise<void>;

export function binaryBuffer(item: INodeExecutionData, property?: string): Promise<Buffer>;
