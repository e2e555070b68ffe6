import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

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
