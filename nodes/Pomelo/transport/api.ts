import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { AttemptFailure, failureFromHttpStatus, failureFromTransportError } from '../helpers/errors';
import { withRetries } from './retry';
import type { TransportSettings } from './settings';

export const CREDENTIAL_TYPE = 'pomeloApi';

export interface PomeloCredentials {
	apiKey: string;
	/** Normalised: no trailing slash. */
	baseUrl: string;
}

interface FullResponse {
	body: unknown;
	headers: Record<string, unknown>;
	statusCode: number;
	statusMessage?: string;
}

function isHttpUrl(text: string): boolean {
	try {
		const { protocol } = new URL(text);
		return protocol === 'http:' || protocol === 'https:';
	} catch {
		return false;
	}
}

/** The credential, checked once per run: a Base URL that is not an http(s) URL is named as such. */
export async function readCredentials(context: IExecuteFunctions): Promise<PomeloCredentials> {
	const credentials = await context.getCredentials<{ apiKey?: string; baseUrl?: string }>(
		CREDENTIAL_TYPE,
	);
	const baseUrl = String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '');
	if (!isHttpUrl(baseUrl)) {
		throw new NodeOperationError(
			context.getNode(),
			`The "Base URL" of the Pomelo API credential must be an http(s) URL such as https://api.pomeloapi.example.com; got "${baseUrl.slice(0, 80)}"`,
			{ description: 'Fix the Base URL in the "Pomelo API" credential used by this node.' },
		);
	}
	return { apiKey: String(credentials.apiKey ?? ''), baseUrl };
}

/**
 * POSTs a generation request and returns the parsed 2xx body. Failures become AttemptFailure
 * with their class; transient ones are retried as the settings say.
 */
export async function postGeneration(
	context: IExecuteFunctions,
	credentials: PomeloCredentials,
	settings: TransportSettings,
	path: string,
	body: IDataObject,
	what: string,
): Promise<unknown> {
	const request: IHttpRequestOptions = {
		method: 'POST',
		baseURL: credentials.baseUrl,
		url: path,
		body,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: settings.timeoutMs,
		// The key belongs to the API's origin only.
		sendCredentialsOnCrossOriginRedirect: false,
		// n8n sets it too; stated here because cancellation must end a request that hangs.
		abortSignal: context.getExecutionCancelSignal(),
	};
	return await withRetries(
		context,
		settings,
		what,
		async () => {
			const response = (await context.helpers.httpRequestWithAuthentication.call(
				context,
				CREDENTIAL_TYPE,
				{ ...request },
			)) as FullResponse;
			if (response.statusCode < 200 || response.statusCode > 299) {
				throw new AttemptFailure(
					failureFromHttpStatus(
						response.statusCode,
						response.body,
						response.headers,
						what,
						response.statusMessage,
					),
				);
			}
			return response.body;
		},
		(error) => failureFromTransportError(error, what, settings.timeoutMs),
	);
}
