import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { forEachWithConcurrency, loopTurns, runLimits } from '../helpers/concurrency';
import { PomeloError } from '../helpers/pomelo-error';
import { redactSecret } from '../helpers/redact';
import { isToolRun } from '../helpers/tool-mode';
import { PomeloClient, type RunShared } from '../transport/client';
import { readCredentials } from '../transport/credentials';
import type { TransportSettings } from '../transport/settings';
import type { PreparedItem } from './image/deliver';
import { operations } from './image';
import { readItemOptions } from './image/options';

type NodeError = NodeApiError | NodeOperationError;

/** Where the images requested in this workflow execution are counted (n8n keeps it per execution). */
const IMAGES_REQUESTED = 'pomeloImagesRequested';

function asNodeError(context: IExecuteFunctions, error: unknown, itemIndex: number, secret: string): NodeError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	// An unexpected failure: keep its text (without the key), never its internals.
	const message = redactSecret(error instanceof Error ? error.message : String(error), secret);
	return new NodeOperationError(context.getNode(), message, { itemIndex });
}

/**
 * The error item of continueOnFail: `{ error: { message, errorClass, … } }`, the text and the
 * class a workflow branches on in one field. n8n 1.x sends an item to the error output only when
 * its JSON is `error` alone (or with `message`), n8n 2.x also with `details`; an error set on the
 * item itself would be routed by both but replaces its JSON with the message. Errors that are not
 * the node's own come from reading the item's fields.
 */
function errorItem(error: NodeError, itemIndex: number): INodeExecutionData {
	const details: IDataObject = error instanceof PomeloError ? error.details : { errorClass: 'input' };
	return {
		json: {
			error: {
				message: error.message,
				...details,
				...(error.description && { description: error.description }),
				itemIndex,
			},
		},
		pairedItem: { item: itemIndex },
	};
}

interface RunnableItem {
	item: PreparedItem;
	settings: TransportSettings;
	maxImagesPerExecution: number;
}

/**
 * The cost cap: images requested by every run of this node in this workflow execution, loops
 * included. Returns the items that would go beyond "Max Images per Execution" (0: no limit) and
 * the count with the others added.
 */
function applyCostCap(context: IExecuteFunctions, runnable: RunnableItem[]) {
	let requested = Number(context.getContext('node')[IMAGES_REQUESTED] ?? 0);
	const over: RunnableItem[] = [];
	for (const entry of runnable) {
		const cap = entry.maxImagesPerExecution;
		if (cap > 0 && requested + entry.item.imageCount > cap) over.push(entry);
		else requested += entry.item.imageCount;
	}
	return { over, requested };
}

function limitError(context: IExecuteFunctions, { item, maxImagesPerExecution }: RunnableItem): PomeloError {
	return new PomeloError(
		context.getNode(),
		{
			errorClass: 'limit',
			message: `Item ${item.index}: not sent, "Max Images per Execution" (${maxImagesPerExecution}) is reached in this workflow execution`,
			description:
				'The node counts the images it requests in one workflow execution, loops included. Raise "Max Images per Execution" (0 = no limit) if this run is meant to generate more.',
		},
		'',
		item.index,
	);
}

/**
 * The per-item loop. Every item is checked before any request is sent: an invalid item (or one
 * beyond "Max Images per Execution") fails the run with nothing sent, or with continueOnFail
 * becomes its error item while the others proceed. Then items run within the run's limits,
 * output keeps the input's order, and an item's failure becomes its error item (continueOnFail)
 * or stops the run with the first failing item's error.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = operations[operationName];
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" is not supported`);
	}
	if (items.length === 0) return [[]];
	const credentials = await readCredentials(this);
	// An agent's tool reports a failure to the model as a result it can act on.
	const continueOnFail = this.continueOnFail() || isToolRun(this);
	const results: INodeExecutionData[][] = new Array(items.length);
	const fail = (itemIndex: number, caught: unknown) => {
		const error = asNodeError(this, caught, itemIndex, credentials.storedApiKey);
		if (!continueOnFail) throw error;
		results[itemIndex] = [errorItem(error, itemIndex)];
	};

	const runnable: RunnableItem[] = [];
	let concurrency = 1;
	const giveLoopATurn = loopTurns();
	for (let index = 0; index < items.length; index++) {
		await giveLoopATurn();
		try {
			const options = readItemOptions(this, index);
			if (index === 0) concurrency = options.concurrency;
			const item = { index, ...operation.prepare.call(this, index), output: options.output };
			runnable.push({ item, settings: options.transport, maxImagesPerExecution: options.maxImagesPerExecution });
		} catch (error) {
			fail(index, error);
		}
	}
	const { over, requested } = applyCostCap(this, runnable);
	for (const entry of over) fail(entry.item.index, limitError(this, entry));
	// Counted only once the run is sure to send: a run refused before sending costs nothing.
	this.getContext('node')[IMAGES_REQUESTED] = requested;

	const cancelSignal = this.getExecutionCancelSignal();
	let fatal: { itemIndex: number; error: NodeError } | undefined;
	const run: RunShared = {
		credentials,
		limits: runLimits(concurrency),
		stopped: () => fatal !== undefined || cancelSignal?.aborted === true,
	};
	const accepted = runnable.filter(({ item }) => results[item.index] === undefined);
	await forEachWithConcurrency(
		accepted.length,
		run.limits.items,
		async (position) => {
			const { item, settings } = accepted[position];
			try {
				const client = new PomeloClient(this, item.index, settings, run);
				results[item.index] = await operation.execute.call(this, item, client);
			} catch (caught) {
				const error = asNodeError(this, caught, item.index, credentials.storedApiKey);
				if (continueOnFail) results[item.index] = [errorItem(error, item.index)];
				else if (!fatal || item.index < fatal.itemIndex) fatal = { itemIndex: item.index, error };
			}
		},
		run.stopped,
	);

	if (fatal) throw fatal.error;
	return [results.flat()];
}
