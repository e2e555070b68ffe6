import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fieldError } from '../../helpers/fields';
import type { OutputSettings } from '../../helpers/output';
import { inputError } from '../../helpers/pomelo-error';
import { isToolRun } from '../../helpers/tool-mode';
import type { TransportSettings } from '../../transport/settings';
import { optionsProperty } from './shared.description';

/** One item's "Options", checked: each default, limit and unit comes from the property itself. */
export interface ItemOptions {
	transport: TransportSettings;
	output: OutputSettings;
	concurrency: number;
	maxImagesPerExecution: number;
}

const optionProperties = new Map(
	(optionsProperty.options as INodeProperties[]).map((property) => [property.name, property]),
);

function property(name: string): INodeProperties {
	const found = optionProperties.get(name);
	if (!found) throw new Error(`No option "${name}"`);
	return found;
}

/**
 * A numeric option: its default when not set; clamped to the limits its property declares (an
 * expression can set any value); whole when the property asks for it. A value that is not a
 * number fails the item, naming the option.
 */
function numberOption(context: IExecuteFunctions, itemIndex: number, options: IDataObject, name: string): number {
	const declared = property(name);
	const raw = options[name] ?? declared.default;
	const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	if (typeof value !== 'number' || !Number.isFinite(value)) {
		throw fieldError(context.getNode(), itemIndex, declared, 'must be a number', raw, name);
	}
	const { minValue = -Infinity, maxValue = Infinity, numberPrecision } = declared.typeOptions ?? {};
	const clamped = Math.min(maxValue, Math.max(minValue, value));
	return numberPrecision === 0 ? Math.floor(clamped) : clamped;
}

function booleanOption(options: IDataObject, name: string): boolean {
	return (options[name] ?? property(name).default) === true;
}

export function readItemOptions(context: IExecuteFunctions, itemIndex: number): ItemOptions {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const number = (name: string) => numberOption(context, itemIndex, options, name);
	const binaryPropertyName = String(options.binaryPropertyName ?? property('binaryPropertyName').default).trim();
	if (binaryPropertyName === '') {
		throw inputError(
			context.getNode(),
			`Item ${itemIndex}: "Put Output in Field" (binaryPropertyName) must not be empty`,
			itemIndex,
		);
	}
	return {
		transport: {
			timeoutMs: number('requestTimeout') * 1000,
			maxRetries: number('maxRetries'),
			maxRetryWaitMs: number('maxRetryWait') * 1000,
			maxImageBytes: number('maxImageSizeMb') * 1024 * 1024,
			retryUnknownOutcome: booleanOption(options, 'retryUnknownOutcome'),
			allowPrivateImageHosts: booleanOption(options, 'allowPrivateImageHosts'),
		},
		output: {
			binaryPropertyName,
			// An agent's model gets the items' JSON only (n8n drops binary data): never download for it.
			returnUrlsOnly: booleanOption(options, 'returnUrlsOnly') || isToolRun(context),
			oneItemPerRequest: booleanOption(options, 'oneItemPerRequest'),
		},
		concurrency: number('concurrency'),
		maxImagesPerExecution: number('maxImagesPerExecution'),
	};
}
