import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { forEachWithConcurrency, type ReleaseSlot } from '../helpers/concurrency';
import { AttemptFailure, toNodeError } from '../helpers/errors';
import { redactSecret } from '../helpers/redact';
import { readCredentials, type PomeloCredentials } from '../transport/api';
import { readOptions } from '../transport/settings';
import * as image from './image';

type OperationExecute = (
	this: IExecuteFunctions,
	itemIndex: number,
	credentials: PomeloCredentials,
	releaseSlot: ReleaseSlot,
) => Promise<INodeExecutionData[]>;

const operations: Record<string, OperationExecute> = {
	midjourney: image.midjourney.execute,
	flux: image.flux.execute,
};

type NodeError = NodeApiError | NodeOperationError;

function asNodeError(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
	secret: string,
): NodeError {
	if (error instanceof AttemptFailure) return toNodeError(context.getNode(), error.failure, itemIndex, secret);
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	// An unexpected failure: keep its text (without the key), never its internals.
	const message = redactSecret(error instanceof Error ? error.message : String(error), secret);
	return new NodeOperationError(context.getNode(), message, { itemIndex });
}

/**
 * The error item of continueOnFail. n8n sends an item to the error output only when its JSON holds
 * nothing but `error`, `message` and `details`, so the class a workflow branches on sits in
 * `details.errorClass`.
 */
function errorItem(error: NodeError, itemIndex: number): INodeExecutionData {
	// The message is already the item's `error`.
	const details = { ...((error.context.pomelo ?? {}) as IDataObject) };
	delete details.message;
	return {
		json: {
			error: error.message,
			details: {
				errorClass: 'input',
				...details,
				...(error.description && { description: error.description }),
				itemIndex,
			},
		},
		pairedItem: { item: itemIndex },
	};
}

function readConcurrency(context: IExecuteFunctions): number {
	const value = Number(readOptions(context, 0).concurrency ?? 5);
	return Number.isFinite(value) && value >= 1 ? Math.floor(value) : 5;
}

/**
 * The per-item loop: items run with bounded concurrency (at most `concurrency` generation requests
 * at once; an item's image downloads go on after its slot is given back, up to twice that many
 * items in progress), output keeps the input's order, an item's failure becomes its error item
 * (continueOnFail) or stops the run with that item's error.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = operations[operation];
	if (!execute) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	}
	if (items.length === 0) return [[]];
	const credentials = await readCredentials(this);
	const continueOnFail = this.continueOnFail();
	const cancelSignal = this.getExecutionCancelSignal();
	const results: INodeExecutionData[][] = new Array(items.length);
	let fatal: { itemIndex: number; error: NodeError } | undefined;

	await forEachWithConcurrency(
		items.length,
		readConcurrency(this),
		async (itemIndex, releaseSlot) => {
			try {
				results[itemIndex] = await execute.call(this, itemIndex, credentials, releaseSlot);
			} catch (caught) {
				const error = asNodeError(this, caught, itemIndex, credentials.apiKey);
				if (continueOnFail) {
					results[itemIndex] = [errorItem(error, itemIndex)];
				} else if (!fatal || itemIndex < fatal.itemIndex) {
					fatal = { itemIndex, error };
				}
			}
		},
		() => fatal !== undefined || cancelSignal?.aborted === true,
	);

	if (fatal) throw fatal.error;
	return [results.flat()];
}
