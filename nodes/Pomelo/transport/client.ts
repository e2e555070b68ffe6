import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { z } from 'zod';

import type { RunLimits } from '../helpers/concurrency';
import { PomeloError, type Failure } from '../helpers/pomelo-error';
import { redactSecret } from '../helpers/redact';
import { parseAnswer } from './answer';
import { failureFromHttpStatus } from './http-status';
import { withRetries } from './retry';
import type { TransportSettings } from './settings';
import { failureFromTransportError } from './socket-errors';

export const CREDENTIAL_TYPE = 'pomeloApi';

export interface PomeloCredentials {
	/** As sent: trimmed, so that a key pasted with a trailing space or newline still works. */
	apiKey: string;
	/** As stored, to redact it from text in either form. */
	storedApiKey: string;
	/** Normalised: no trailing slash. */
	baseUrl: string;
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
	const credentials = await context.getCredentials<{ apiKey?: string; baseUrl?: string }>(CREDENTIAL_TYPE);
	const baseUrl = String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '');
	if (!isHttpUrl(baseUrl)) {
		throw new NodeOperationError(
			context.getNode(),
			`The "Base URL" of the Pomelo API credential must be an http(s) URL such as https://api.pomeloapi.example.com; got "${baseUrl.slice(0, 80)}"`,
			{ description: 'Fix the Base URL in the "Pomelo API" credential used by this node.' },
		);
	}
	const storedApiKey = String(credentials.apiKey ?? '');
	return { apiKey: storedApiKey.trim(), storedApiKey, baseUrl };
}

/** What every item of one node run shares: the credential and the limits of the run. */
export interface RunShared {
	credentials: PomeloCredentials;
	limits: RunLimits;
	/** True once the run stops (a fatal error or a cancelled execution): nothing new is sent. */
	stopped: () => boolean;
}

interface FullResponse {
	body: unknown;
	headers: Record<string, unknown>;
	statusCode: number;
	statusMessage?: string;
}

export interface GenerationRequest<Schema extends z.ZodTypeAny> {
	path: string;
	body: IDataObject;
	/** "Midjourney generation": what is being done, for messages. */
	activity: string;
	/** The documented answer, and the status of a finished generation. */
	answer: Schema;
	finishedStatus: string;
}

/** The Pomelo API as one item sees it: its settings, the run's credential and limits. */
export class PomeloClient {
	constructor(
		readonly context: IExecuteFunctions,
		readonly itemIndex: number,
		readonly settings: TransportSettings,
		readonly run: RunShared,
	) {}

	/** The one way the transport reports a failure: with the key removed, for this item. */
	fail(failure: Failure): PomeloError {
		return new PomeloError(this.context.getNode(), failure, this.run.credentials.storedApiKey, this.itemIndex);
	}

	/** Text without the key, in any form it was given. */
	redact(text: string): string {
		return redactSecret(text, this.run.credentials.storedApiKey);
	}

	/**
	 * POSTs a generation request and returns its checked answer. Waits for one of the run's
	 * generation slots, and gives it back as soon as the API has answered.
	 */
	async generate<Schema extends z.ZodTypeAny>(request: GenerationRequest<Schema>): Promise<z.infer<Schema>> {
		const { activity, answer, finishedStatus } = request;
		const body = await this.run.limits.generations.run(async () => {
			if (this.run.stopped()) {
				throw this.fail({ errorClass: 'cancelled', message: `${activity} was not sent: the run stopped` });
			}
			return await withRetries(
				this.context,
				this.settings,
				activity,
				async () => await this.post(request),
				(error) => this.fail(failureFromTransportError(error, activity, this.settings.timeoutMs)),
			);
		});
		return parseAnswer(body, answer, finishedStatus, activity, (failure) => this.fail(failure));
	}

	private async post({ path, body, activity }: GenerationRequest<z.ZodTypeAny>): Promise<unknown> {
		const options: IHttpRequestOptions = {
			method: 'POST',
			baseURL: this.run.credentials.baseUrl,
			url: path,
			body,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: this.settings.timeoutMs,
			// The key belongs to the API's origin only.
			sendCredentialsOnCrossOriginRedirect: false,
			// n8n sets it too; stated here because cancellation must end a request that hangs.
			abortSignal: this.context.getExecutionCancelSignal(),
		};
		const response = (await this.context.helpers.httpRequestWithAuthentication.call(
			this.context,
			CREDENTIAL_TYPE,
			options,
		)) as FullResponse;
		if (response.statusCode < 200 || response.statusCode > 299) {
			throw this.fail(
				failureFromHttpStatus(
					response.statusCode,
					response.body,
					response.headers,
					activity,
					response.statusMessage,
					this.run.credentials.storedApiKey,
				),
			);
		}
		return response.body;
	}
}
