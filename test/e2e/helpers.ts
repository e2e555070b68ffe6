// Shared by the e2e test files: the state global-setup.js left, the shared n8n (CLI + REST), the
// emulator's admin routes, and reading back what n8n wrote.
import { readFileSync, readdirSync, statSync } from 'fs';
import { join } from 'path';

import { decodePngInfo, type PngInfo, type RequestLogEntry } from '../../emulator';
import { CREDENTIAL_ID, EXAMPLE_FILES_DIR, EXAMPLES, loadExample, N8n, OPENAI_CREDENTIAL } from '../../harness';
import * as n8nVersion from './setup/n8n-version';

export interface ExampleState {
	id: string;
	name: string;
	/** The folder its Read/Write Files node writes to. */
	outDir: string;
}

export interface E2eState {
	bin: string;
	workDir: string;
	userFolder: string;
	filesDir: string;
	logDir: string;
	port: number;
	baseUrl: string;
	apiKey: string;
	emulator: { baseUrl: string; imageBaseUrl: string };
	examples: Record<string, ExampleState>;
}

export interface ItemLike {
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test code reads n8n's JSON freely
	json: Record<string, any>;
	binary?: Record<string, { fileName?: string; mimeType?: string; fileSize?: string; id?: string; data?: string }>;
	pairedItem?: unknown;
}

export interface NodeRun {
	executionStatus?: string;
	error?: { message: string };
	data?: { main: Array<ItemLike[] | null> };
}

export interface ExecutionRun {
	data: {
		resultData: {
			runData: Record<string, NodeRun[]>;
			error?: { message: string; description?: string };
			lastNodeExecuted?: string;
		};
	};
	status?: string;
	mode?: string;
}

export { n8nVersion };
export { NODE_TYPE, CREDENTIAL_TYPE, OWNER, ROOT, run, type Workflow } from '../../harness';
/** The example workflows and their credentials (harness/examples.js). */
export const examplesLib = { EXAMPLE_FILES_DIR, EXAMPLES, CREDENTIAL_ID, OPENAI_CREDENTIAL, loadExample };

export function state(): E2eState {
	const file = process.env.POMELO_E2E_STATE_FILE;
	if (!file) throw new Error('POMELO_E2E_STATE_FILE is not set: run the e2e tests with `npm run test:e2e` (jest.e2e.config.js)');
	return JSON.parse(readFileSync(file, 'utf8')) as E2eState;
}

/** The shared n8n (started by global-setup.js), driven from this test file. */
export function sharedN8n(s: E2eState = state(), env: Record<string, string> = {}): N8n {
	return new N8n({ bin: s.bin, workDir: s.workDir, port: s.port, filesDir: s.filesDir, logLevel: 'debug', env: { ...n8nVersion.N8N_ENV, ...env } });
}

/** The emulator's request log (admin route; the emulator runs in jest's main process). */
export async function emulatorRequests(s: E2eState = state()): Promise<RequestLogEntry[]> {
	const res = await fetch(`${s.emulator.baseUrl}/__emulator/requests`);
	if (!res.ok) throw new Error(`emulator admin: ${res.status}`);
	return ((await res.json()) as { requests: RequestLogEntry[] }).requests;
}

/** Items of one output of one node in an execution (`output` 0 = main, 1 = error output). */
export function nodeItems(run: ExecutionRun | undefined, nodeName: string, output = 0, runIndex = 0): ItemLike[] {
	if (!run) throw new Error('no execution data');
	const nodeRuns = run.data.resultData.runData[nodeName];
	if (!nodeRuns) {
		throw new Error(`node "${nodeName}" did not run; ran: ${Object.keys(run.data.resultData.runData).join(', ')}`);
	}
	const nodeRun = nodeRuns[runIndex];
	if (nodeRun.error) throw new Error(`node "${nodeName}" failed: ${nodeRun.error.message}`);
	return nodeRun.data?.main[output] ?? [];
}

export interface PngFile extends PngInfo {
	file: string;
	name: string;
	size: number;
	bytes: Buffer;
}

/** Every file in `dir`, each decoded as a PNG (decodePngInfo validates the whole file, CRCs and all). */
export function readPngFiles(dir: string): PngFile[] {
	return readdirSync(dir)
		.sort()
		.map((name) => {
			const file = join(dir, name);
			const bytes = readFileSync(file);
			return { file, name, size: statSync(file).size, bytes, ...decodePngInfo(bytes) };
		});
}

/** Every regular file under `dir`, recursively. */
export function listFiles(dir: string): string[] {
	const out: string[] = [];
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const full = join(dir, entry.name);
		if (entry.isDirectory()) out.push(...listFiles(full));
		else if (entry.isFile()) out.push(full);
	}
	return out;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Retries `check` (an assertion) until it passes or `timeoutMs` runs out, then throws its last error. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 30_000, intervalMs = 250): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			return await check();
		} catch (error) {
			if (Date.now() > deadline) throw error;
			await sleep(intervalMs);
		}
	}
}
