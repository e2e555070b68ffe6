// Shared by the e2e test files: the state global-setup.js left, the shared n8n (CLI + REST), the
// emulator's admin routes, and reading back what n8n wrote.
import { readFileSync, readdirSync, statSync } from 'fs';
import { join } from 'path';

import { decodePngInfo, type PngInfo, type RequestLogEntry } from '../../emulator';

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

/** What scripts/lib/n8n.js's N8n class offers (CommonJS, shared with the demo and dev scripts). */
export interface N8nInstance {
	baseUrl: string;
	userFolder: string;
	filesDir: string;
	logDir: string;
	cookie: string | null;
	cli(args: string[], options?: { allowFailure?: boolean; timeoutMs?: number }): Promise<CliResult>;
	importWorkflow(workflow: unknown): Promise<CliResult>;
	importCredentials(credentials: unknown[]): Promise<CliResult>;
	execute(id: string, options?: { allowFailure?: boolean }): Promise<CliResult & { run?: ExecutionRun }>;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test code reads n8n's JSON freely
	rest<T = any>(method: string, path: string, body?: unknown, options?: { headers?: Record<string, string> }): Promise<T>;
	login(): Promise<void>;
	allLogs(): string;
}

export interface CliResult {
	code: number | null;
	stdout: string;
	stderr: string;
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

// eslint-disable-next-line @typescript-eslint/no-require-imports
const lib = require('../../scripts/lib/n8n') as {
	N8n: new (options: Record<string, unknown>) => N8nInstance;
	NODE_TYPE: string;
	CREDENTIAL_TYPE: string;
	OWNER: { email: string; password: string; firstName: string; lastName: string };
	ROOT: string;
	run(command: string, args: string[], options?: Record<string, unknown>): Promise<CliResult>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const n8nVersion = require('./setup/n8n-version') as {
	N8N_VERSION: string;
	N8N_ENV: Record<string, string>;
	binaryDataFolder(userFolder: string): string;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const examplesLib = require('../../scripts/lib/examples') as {
	EXAMPLE_FILES_DIR: string;
	EXAMPLES: { pipeline: string; midjourney: string; flux: string; moderation: string; agent: string };
	CREDENTIAL_ID: string;
	OPENAI_CREDENTIAL: { id: string; name: string; type: string };
	loadExample(file: string, options?: { filesDir?: string }): Workflow;
};

export const { NODE_TYPE, CREDENTIAL_TYPE, OWNER, ROOT, run } = lib;

export interface Workflow {
	id: string;
	name: string;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test code reads n8n's JSON freely
	nodes: Array<{ id: string; name: string; type: string; typeVersion: number; parameters: Record<string, any>; [k: string]: unknown }>;
	connections: Record<string, unknown>;
	[k: string]: unknown;
}

export function state(): E2eState {
	const file = process.env.POMELO_E2E_STATE_FILE;
	if (!file) throw new Error('POMELO_E2E_STATE_FILE is not set: run the e2e tests with `npm run test:e2e` (jest.e2e.config.js)');
	return JSON.parse(readFileSync(file, 'utf8')) as E2eState;
}

/** The shared n8n (started by global-setup.js), driven from this test file. */
export function sharedN8n(s: E2eState = state(), env: Record<string, string> = {}): N8nInstance {
	return new lib.N8n({ bin: s.bin, workDir: s.workDir, port: s.port, filesDir: s.filesDir, logLevel: 'debug', env: { ...n8nVersion.N8N_ENV, ...env } });
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
