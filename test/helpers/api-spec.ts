import { readFileSync } from 'fs';
import { resolve } from 'path';

/** test/fixtures/pomelo-api.json: the seed document's parameter tables, machine-readable (the project's own copy). */
export interface ApiSpec {
	baseUrl: string;
	auth: { header: string; scheme: string };
	operations: Record<
		string,
		{
			method: string;
			path: string;
			params: Array<{
				name: string;
				type: 'string' | 'integer';
				required: boolean;
				default?: string | number;
				min?: number;
				max?: number;
				examples?: string[];
			}>;
			response: Record<string, unknown> & { images: Array<Record<string, unknown>> };
		}
	>;
}

export const API_SPEC_PATH = resolve(__dirname, '..', 'fixtures', 'pomelo-api.json');

export function loadApiSpec(): ApiSpec {
	return JSON.parse(readFileSync(API_SPEC_PATH, 'utf8')) as ApiSpec;
}
