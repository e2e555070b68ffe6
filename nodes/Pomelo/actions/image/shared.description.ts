import type { INodeProperties } from 'n8n-workflow';

export function promptProperty(example: string): INodeProperties {
	return {
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 3 },
		required: true,
		default: '',
		placeholder: `e.g. ${example}`,
		description:
			'The text prompt to generate an image from (API parameter: prompt). Be specific: lighting, style, mood.',
	};
}

/** The optional parameters of an operation: sent only when added. */
export function additionalFields(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Optional parameters; only the ones added here are sent, Pomelo applies its defaults to the rest',
		options,
	};
}

/** Output and reliability settings, the same for every operation. */
export const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show: { resource: ['image'] } },
	options: [
		{
			displayName: 'Allow Private Image Hosts',
			name: 'allowPrivateImageHosts',
			type: 'boolean',
			default: false,
			description:
				'Whether to download images from loopback, private or link-local addresses (and localhost). Off, only the Base URL\'s own host may be such an address.',
		},
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 50, numberPrecision: 0 },
			default: 5,
			description:
				'How many input items are generated at the same time (read from the first item). Keep it low for a rate-limited account.',
		},
		{
			displayName: 'Max Image Size (MB)',
			name: 'maxImageSizeMb',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 4096 },
			default: 50,
			description: 'A larger image is refused as an error for its item instead of being stored',
		},
		{
			displayName: 'Max Images per Execution',
			name: 'maxImagesPerExecution',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 0 },
			default: 100,
			description:
				'Most images this node may request in one workflow execution, loops included; items beyond it fail without being sent. 0 means no limit.',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10, numberPrecision: 0 },
			default: 3,
			description:
				'How often a request that Pomelo provably did not work on (429, 503, connection refused) is tried again. Refusals are never retried.',
		},
		{
			displayName: 'Max Retry Wait (Seconds)',
			name: 'maxRetryWait',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 3600 },
			default: 60,
			description: 'Longest single wait before a retry, including waits asked for by Retry-After',
		},
		{
			displayName: 'One Item per Request',
			name: 'oneItemPerRequest',
			type: 'boolean',
			default: false,
			description:
				'Whether to put all images of a request into one item (binary fields data_0, data_1, …) instead of one item per image',
		},
		{
			displayName: 'Put Output in Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			description: 'The name of the binary field to put the image in',
		},
		{
			displayName: 'Request Timeout (Seconds)',
			name: 'requestTimeout',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 3600 },
			default: 300,
			description: 'How long a request may take, answer included; generation can take minutes',
		},
		{
			displayName: 'Retry When Outcome Is Unknown',
			name: 'retryUnknownOutcome',
			type: 'boolean',
			default: false,
			description:
				'Whether to also retry failures after which the generation may have run and been billed (a timeout, a connection lost after sending, 500/502/504, an answer cut short). Each retry may be billed again.',
		},
		{
			displayName: 'Return URLs Only',
			name: 'returnUrlsOnly',
			type: 'boolean',
			default: false,
			description: 'Whether to return the image URLs without downloading the images',
		},
	],
};
