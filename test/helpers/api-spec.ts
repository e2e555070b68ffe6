import { existsSync, readFileSync } from 'fs';
import { resolve } from 'path';

/** ../shared/pomelo-api.json: the seed document's parameter tables, machine-readable. */
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
			response: Record<string, unknown>;
		}
	>;
}

export const API_SPEC_PATH =
	process.env.POMELO_API_SPEC ?? resolve(__dirname, '..', '..', '..', 'shared', 'pomelo-api.json');

export function loadApiSpec(): ApiSpec {
	if (!existsSync(API_SPEC_PATH)) {
		throw new Error(`The API spec is missing at ${API_SPEC_PATH} (set POMELO_API_SPEC to its path)`);
	}
	return JSON.parse(readFileSync(API_SPEC_PATH, 'utf8')) as ApiSpec;
}
