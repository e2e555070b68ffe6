import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { ReleaseSlot } from '../../helpers/concurrency';
import { buildRequestBody, type ParameterSpec } from '../../helpers/input';
import { inputError } from '../../helpers/errors';
import { generationToItems, type Generation, type OutputSettings } from '../../helpers/output';
import { postGeneration, type PomeloCredentials } from '../../transport/api';
import { readOptions, readTransportSettings } from '../../transport/settings';

/** What differs between the API's generation endpoints. */
export interface GenerationEndpoint {
	path: string;
	/** "Midjourney generation", used in messages. */
	label: string;
	parameters: ParameterSpec[];
	toGeneration(response: unknown, request: IDataObject): Generation;
}

function readOutputSettings(
	context: IExecuteFunctions,
	itemIndex: number,
	options: IDataObject,
): OutputSettings {
	const binaryPropertyName = String(options.binaryPropertyName ?? 'data').trim();
	if (binaryPropertyName === '') {
		throw inputError(
			context.getNode(),
			`Item ${itemIndex}: "Put Output in Field" (binaryPropertyName) must not be empty`,
			itemIndex,
		);
	}
	return {
		binaryPropertyName,
		returnUrlsOnly: options.returnUrlsOnly === true,
		oneItemPerRequest: options.oneItemPerRequest === true,
	};
}

/**
 * parameters → request body → API → checked answer → images → items, for one input item. Once the
 * API has answered, `releaseSlot` lets the next item's generation start while the images download.
 */
export async function runGeneration(
	context: IExecuteFunctions,
	itemIndex: number,
	credentials: PomeloCredentials,
	endpoint: GenerationEndpoint,
	releaseSlot: ReleaseSlot,
): Promise<INodeExecutionData[]> {
	const options = readOptions(context, itemIndex);
	const output = readOutputSettings(context, itemIndex, options);
	const settings = readTransportSettings(options);
	const values: IDataObject = {
		prompt: context.getNodeParameter('prompt', itemIndex, ''),
		...(context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject),
	};
	const body = buildRequestBody(context.getNode(), itemIndex, endpoint.parameters, values);
	const response = await postGeneration(
		context,
		credentials,
		settings,
		endpoint.path,
		body,
		endpoint.label,
	);
	releaseSlot();
	const generation = endpoint.toGeneration(response, body);
	return await generationToItems(context, generation, itemIndex, credentials, settings, output);
}
