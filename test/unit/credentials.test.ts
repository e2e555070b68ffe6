/**
 * The credential as a node run reads it (README, "Credentials"): a Base URL with a trailing slash
 * is fine, a key pasted with a trailing space or newline still works, and a Base URL that is not an
 * http(s) URL fails the run with a message that names the field.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readCredentials } from '../../nodes/Pomelo/transport/credentials';
import { pomeloNodeRef } from '../helpers/node-ref';

/** A node run's context as the credential reader sees it: the node and its stored "Pomelo API" credential. */
function context(stored: { apiKey?: string; baseUrl?: string }): IExecuteFunctions {
	return {
		getNode: () => pomeloNodeRef,
		getCredentials: async (type: string) => {
			if (type !== 'pomeloApi') throw new Error(`no credential of type ${type}`);
			return stored;
		},
	} as unknown as IExecuteFunctions;
}

async function failureOf(stored: { apiKey?: string; baseUrl?: string }): Promise<NodeOperationError> {
	const error: unknown = await readCredentials(context(stored)).then(
		() => undefined,
		(caught: unknown) => caught,
	);
	expect(error).toBeInstanceOf(NodeOperationError);
	return error as NodeOperationError;
}

describe('the Base URL', () => {
	test.each([
		['https://api.pomeloapi.example.com', 'https://api.pomeloapi.example.com'],
		['https://api.pomeloapi.example.com/', 'https://api.pomeloapi.example.com'],
		['http://127.0.0.1:8787///', 'http://127.0.0.1:8787'],
		['  https://proxy.example.com/pomelo/  ', 'https://proxy.example.com/pomelo'],
	])('%j is used as %j (trailing slashes and spaces dropped)', async (stored, used) => {
		expect((await readCredentials(context({ apiKey: 'k', baseUrl: stored }))).baseUrl).toBe(used);
	});

	test.each([['ftp://files.example.com'], ['api.pomeloapi.example.com'], ['javascript:alert(1)'], ['']])(
		'%j fails the run, naming the field and what it got',
		async (stored) => {
			const error = await failureOf({ apiKey: 'k', baseUrl: stored });
			expect(error.message).toBe(
				`The "Base URL" of the Pomelo API credential must be an http(s) URL such as https://api.pomeloapi.example.com; got "${stored}"`,
			);
			expect(error.description).toBe('Fix the Base URL in the "Pomelo API" credential used by this node.');
		},
	);

	test('a missing Base URL fails the same way, showing an empty value', async () => {
		const error = await failureOf({ apiKey: 'k' });
		expect(error.message).toMatch(/; got ""$/);
	});

	test('what it got is shown trimmed and cut at 80 characters', async () => {
		const long = `  ftp://${'a'.repeat(100)}  `;
		const error = await failureOf({ apiKey: 'k', baseUrl: long });
		expect(error.message).toMatch(new RegExp(`; got "ftp://${'a'.repeat(74)}"$`));
	});
});

describe('the API key', () => {
	test('is sent trimmed, and kept as stored for redaction', async () => {
		const credentials = await readCredentials(context({ apiKey: ' sk-pomelo-123\n', baseUrl: 'https://api.pomeloapi.example.com' }));
		expect(credentials.apiKey).toBe('sk-pomelo-123');
		expect(credentials.storedApiKey).toBe(' sk-pomelo-123\n');
	});

	test('a missing key is an empty one (the API then answers 401)', async () => {
		const credentials = await readCredentials(context({ baseUrl: 'https://api.pomeloapi.example.com' }));
		expect(credentials).toEqual({ apiKey: '', storedApiKey: '', baseUrl: 'https://api.pomeloapi.example.com' });
	});
});
