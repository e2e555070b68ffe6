import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/** Per-item transport settings, read from the node's "Options" collection. */
export interface TransportSettings {
	timeoutMs: number;
	maxRetries: number;
	maxRetryWaitMs: number;
	maxImageBytes: number;
	/** First backoff step; doubled per attempt, with full jitter. */
	retryBaseDelayMs: number;
}

export const DEFAULT_SETTINGS = {
	requestTimeoutSeconds: 300,
	maxRetries: 3,
	maxRetryWaitSeconds: 60,
	maxImageSizeMb: 50,
	retryBaseDelayMs: 500,
} as const;

function numberOption(options: IDataObject, name: string, fallback: number): number {
	const value = Number(options[name]);
	return Number.isFinite(value) && value >= 0 ? value : fallback;
}

export function readTransportSettings(options: IDataObject): TransportSettings {
	return {
		timeoutMs:
			Math.max(1, numberOption(options, 'requestTimeout', DEFAULT_SETTINGS.requestTimeoutSeconds)) * 1000,
		maxRetries: Math.floor(numberOption(options, 'maxRetries', DEFAULT_SETTINGS.maxRetries)),
		maxRetryWaitMs: numberOption(options, 'maxRetryWait', DEFAULT_SETTINGS.maxRetryWaitSeconds) * 1000,
		maxImageBytes:
			numberOption(options, 'maxImageSizeMb', DEFAULT_SETTINGS.maxImageSizeMb) * 1024 * 1024,
		retryBaseDelayMs: DEFAULT_SETTINGS.retryBaseDelayMs,
	};
}

export function readOptions(context: IExecuteFunctions, itemIndex: number): IDataObject {
	return context.getNodeParameter('options', itemIndex, {}) as IDataObject;
}
