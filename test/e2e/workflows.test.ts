// The example workflows executed by a real n8n (2.41.1 and 1.123.81: jest.e2e.config.js) that loaded
// this package the way it loads a package installed from its Community Nodes screen, against the
// Pomelo emulator. What is checked is what a user would look at: the PNG files n8n wrote, the items
// each node output, the error branch, and that the API key shows up nowhere but in the Authorization
// header sent to the API. Every test stands alone (any order, any subset): what it counts is what it
// ran itself.
import { createHash } from 'crypto';
import { existsSync, mkdirSync, readFileSync } from 'fs';
import { join } from 'path';

import {
	CREDENTIAL_TYPE,
	NODE_TYPE,
	emulatorRequests,
	examplesLib,
	listFiles,
	n8nVersion,
	nodeItems,
	readPngFiles,
	sharedN8n,
	sleep,
	state,
	type ExecutionRun,
	type ItemLike,
} from './helpers';

const s = state();
const n8n = sharedN8n(s);
const { EXAMPLES } = examplesLib;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The image the API's storage origin serves at `url`, fetched again by the test. */
async function fetchImage(url: string): Promise<Buffer> {
	const res = await fetch(url);
	expect(res.status).toBe(200);
	return Buffer.from(await res.arrayBuffer());
}

function expectPngBinary(item: ItemLike) {
	const binary = item.binary?.data;
	expect(binary).toBeDefined();
	expect(binary!.mimeType).toBe('image/png');
	expect(binary!.fileName).toMatch(/\.png$/);
	// Binary data mode "filesystem": n8n keeps a reference, not the bytes, in the execution.
	expect(binary!.id).toMatch(/^filesystem(-v2)?:/);
}

async function execute(exampleFile: string): Promise<ExecutionRun> {
	const result = await n8n.execute(s.examples[exampleFile].id);
	expect(result.code).toBe(0);
	expect(result.run?.data.resultData.error).toBeUndefined();
	return result.run!;
}

beforeAll(async () => {
	await n8n.login();
});

describe('the package, installed as a community package', () => {
	test('n8n serves the node as n8n-nodes-pomelo.pomelo and the credential as pomeloApi (not CUSTOM. copies)', async () => {
		const nodes = await n8n.rest<Array<{ name: string; displayName: string; version: number | number[] }>>('GET', '/types/nodes.json');
		const pomelo = nodes.filter((n) => /pomelo/i.test(n.name));
		// The node, and the AI-tool variant n8n derives from it (usableAsTool).
		expect(pomelo.map((n) => n.name).sort()).toEqual([NODE_TYPE, `${NODE_TYPE}Tool`]);
		expect(pomelo.find((n) => n.name === NODE_TYPE)!.displayName).toBe('Pomelo');

		const credentials = await n8n.rest<Array<{ name: string; displayName: string }>>('GET', '/types/credentials.json');
		expect(credentials.filter((c) => /pomelo/i.test(c.name)).map((c) => c.name)).toEqual([CREDENTIAL_TYPE]);

		// As n8n's installer leaves it: no dev/peer/optional dependencies, recorded in the ledger.
		const nodesDir = join(s.userFolder, '.n8n', 'nodes');
		const installed = JSON.parse(readFileSync(join(nodesDir, 'node_modules', 'n8n-nodes-pomelo', 'package.json'), 'utf8'));
		expect(installed.devDependencies).toBeUndefined();
		expect(installed.peerDependencies).toBeUndefined();
		expect(installed.optionalDependencies).toBeUndefined();
		const ledger = JSON.parse(readFileSync(join(nodesDir, 'package.json'), 'utf8'));
		expect(ledger).toEqual({ name: 'installed-nodes', private: true, dependencies: { 'n8n-nodes-pomelo': installed.version } });
	});
});

describe('example 01: scheduled content pipeline', () => {
	const example = () => s.examples[EXAMPLES.pipeline];

	test('run from its manual trigger (`n8n execute`): three 1024x576 PNGs on disk, byte for byte what the image host served', async () => {
		const run = await execute(EXAMPLES.pipeline);
		const generated = nodeItems(run, 'Generate header images');
		expect(generated).toHaveLength(3);
		for (const item of generated) {
			expect(item.json).toMatchObject({ provider: 'flux', status: 'complete', width: 1024, height: 576, imageIndex: 0, imageCount: 1 });
			expect(item.json.url.startsWith(`${s.emulator.imageBaseUrl}/`)).toBe(true);
			expectPngBinary(item);
		}
		const prompts = nodeItems(run, "Today's prompts").map((i) => i.json.prompt);
		expect(generated.map((i) => i.json.prompt)).toEqual(prompts);

		const saved = nodeItems(run, 'Save to disk');
		expect(saved).toHaveLength(3);
		const files = readPngFiles(example().outDir);
		expect(files.map((f) => f.name)).toEqual(
			nodeItems(run, "Today's prompts")
				.map((i) => `${i.json.day}-${i.json.slug}-0.png`)
				.sort(),
		);
		for (const file of files) {
			expect([file.width, file.height]).toEqual([1024, 576]);
			expect(file.size).toBeGreaterThan(1000);
		}
		for (const item of saved) {
			const file = files.find((f) => f.file === item.json.fileName);
			expect(file).toBeDefined();
			expect(sha256(file!.bytes)).toBe(sha256(await fetchImage(item.json.url)));
		}
	});

	test('run by its Schedule Trigger in the running n8n (published, rule set to every 10 seconds): a scheduled execution writes the images', async () => {
		// The example as shipped, except for the trigger interval (its own 09:00 daily rule would not
		// fire during a test) and its output folder; published like the editor's "Publish" button does.
		const outDir = join(s.filesDir, 'scheduled');
		mkdirSync(outDir, { recursive: true });
		const workflow = examplesLib.loadExample(EXAMPLES.pipeline, { filesDir: outDir });
		workflow.id = 'pomeloPipeSched01';
		workflow.name = `${workflow.name} (every 10 seconds)`;
		const trigger = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.scheduleTrigger')!;
		trigger.parameters.rule = { interval: [{ field: 'seconds', secondsInterval: 10 }] };
		await n8n.importWorkflow(workflow);

		const { versionId } = await n8n.rest<{ versionId: string }>('GET', `/rest/workflows/${workflow.id}`);
		await n8n.rest('POST', `/rest/workflows/${workflow.id}/activate`, { versionId });
		type Execution = { id: string; mode: string; status: string };
		let finished: Execution | undefined;
		try {
			const deadline = Date.now() + 90_000;
			while (!finished && Date.now() < deadline) {
				await sleep(2000);
				const filter = encodeURIComponent(JSON.stringify({ workflowId: workflow.id }));
				const { results } = await n8n.rest<{ results: Execution[] }>('GET', `/rest/executions?filter=${filter}`);
				finished = results.find((e) => e.status !== 'running' && e.status !== 'new');
			}
		} finally {
			await n8n.rest('POST', `/rest/workflows/${workflow.id}/deactivate`, {});
		}
		expect(finished).toBeDefined();
		expect(finished!.mode).toBe('trigger');
		expect(finished!.status).toBe('success');

		const files = readPngFiles(outDir);
		expect(files).toHaveLength(3);
		for (const file of files) expect([file.width, file.height]).toEqual([1024, 576]);
	});
});

/** The PNG files a step adds to `dir` (the examples that name files per execution keep the older ones). */
async function newPngFiles(dir: string, step: () => Promise<void>) {
	const before = new Set(existsSync(dir) ? readPngFiles(dir).map((f) => f.name) : []);
	await step();
	return readPngFiles(dir).filter((f) => !before.has(f.name));
}

describe('example 02: Midjourney with four outputs', () => {
	test('one request, four items, four distinct 768x512 PNGs on disk', async () => {
		const before = (await emulatorRequests()).length;
		let run: ExecutionRun | undefined;
		const files = await newPngFiles(s.examples[EXAMPLES.midjourney].outDir, async () => {
			run = await execute(EXAMPLES.midjourney);
		});
		const items = nodeItems(run!, 'Midjourney: 4 variations');
		expect(items).toHaveLength(4);
		expect(items.map((i) => i.json.imageIndex)).toEqual([0, 1, 2, 3]);
		for (const item of items) {
			expect(item.json).toMatchObject({ provider: 'midjourney', imageCount: 4, width: 768, height: 512, status: 'success' });
			expectPngBinary(item);
		}
		expect(new Set(items.map((i) => i.json.imageId)).size).toBe(4);

		expect(files).toHaveLength(4);
		for (const file of files) expect([file.width, file.height]).toEqual([768, 512]);
		expect(new Set(files.map((f) => sha256(f.bytes))).size).toBe(4);

		const generations = (await emulatorRequests()).slice(before).filter((r) => r.origin === 'api' && r.method === 'POST');
		expect(generations).toHaveLength(1);
		expect(generations[0].path).toBe('/api/v1/midjourney/generate');
		expect(generations[0].body).toMatchObject({ num_outputs: 4, width: 768, height: 512, style: 'cute' });
	});
});

describe('example 03: Flux.1 with a fixed seed', () => {
	test('two runs with seed 424242 write two identical 1024x768 PNGs', async () => {
		const runs: ExecutionRun[] = [];
		const files = await newPngFiles(s.examples[EXAMPLES.flux].outDir, async () => {
			runs.push(await execute(EXAMPLES.flux));
			runs.push(await execute(EXAMPLES.flux));
		});
		for (const run of runs) {
			const [item] = nodeItems(run, 'Flux.1, seed 424242');
			expect(item.json).toMatchObject({ provider: 'flux', seed: 424242, width: 1024, height: 768 });
			expectPngBinary(item);
		}
		expect(files).toHaveLength(2);
		expect(files.every((f) => /^flux-seed-424242-execution-\d+\.png$/.test(f.name))).toBe(true);
		expect(files[0].name).not.toBe(files[1].name);
		for (const file of files) expect([file.width, file.height]).toEqual([1024, 768]);
		expect(files[0].bytes.equals(files[1].bytes)).toBe(true);
	});
});

describe('example 04: error handling', () => {
	test('refused prompts leave through the error output into their own branch; the others are saved', async () => {
		const run = await execute(EXAMPLES.moderation);
		const prompts = nodeItems(run, 'Prompts from users');
		expect(prompts).toHaveLength(5);

		const succeeded = nodeItems(run, 'Generate', 0);
		const failed = nodeItems(run, 'Generate', 1);
		expect(succeeded).toHaveLength(3);
		expect(failed).toHaveLength(2);
		for (const item of failed) {
			// README, Errors: `error` carries the message and the class a workflow branches on.
			expect(item.json.error.errorClass).toBe('moderation');
			expect(item.json.error.httpStatus).toBe(400);
			expect(item.json.error.message).toMatch(/moderation|policy/i);
		}

		const refused = nodeItems(run, 'Refused prompts');
		expect(refused.map((i) => i.json.index)).toEqual([1, 3]);
		expect(refused.map((i) => i.json.prompt)).toEqual([prompts[1].json.prompt, prompts[3].json.prompt]);
		for (const item of refused) {
			expect(item.json.errorClass).toBe('moderation');
			expect(item.json.reason).toMatch(/^The prompt was refused by Pomelo's content moderation \(HTTP 400\): /);
		}

		const files = readPngFiles(s.examples[EXAMPLES.moderation].outDir);
		expect(files.map((f) => f.name)).toEqual(['accepted-0.png', 'accepted-2.png', 'accepted-4.png']);
		for (const file of files) expect([file.width, file.height]).toEqual([1024, 1024]);
	});
});

describe('the credential', () => {
	test("n8n's credential test (as the editor calls it): the stored key → OK, a wrong key → error, no image generated", async () => {
		// The verdicts as README (Credentials) states them; only a real n8n gives them (the engine
		// tests check the request the test sends, at the server).
		const before = (await emulatorRequests()).length;
		// What the editor loads: the key comes back redacted.
		const stored = await n8n.rest<{ id: string; name: string; type: string; data: Record<string, string> }>(
			'GET',
			`/rest/credentials/${examplesLib.CREDENTIAL_ID}?includeData=true`,
		);
		expect(stored.data.baseUrl).toBe(s.emulator.baseUrl);
		expect(JSON.stringify(stored)).not.toContain(s.apiKey);

		const good = await n8n.rest<{ status: string; message: string }>('POST', '/rest/credentials/test', {
			credentials: { id: stored.id, name: stored.name, type: stored.type, data: stored.data },
		});
		expect(good).toEqual({ status: 'OK', message: 'Connection successful!' });

		const bad = await n8n.rest<{ status: string; message: string }>('POST', '/rest/credentials/test', {
			credentials: { id: stored.id, name: stored.name, type: stored.type, data: { ...stored.data, apiKey: 'pk-wrong-key' } },
		});
		expect(bad.status).toBe('Error');
		expect(bad.message).toBe('Invalid API key: Pomelo answered 401 Unauthorized');

		// The test request is one that cannot generate (billed) images: never a 2xx, no download.
		const seen = (await emulatorRequests()).slice(before);
		expect(seen.filter((r) => r.origin === 'image')).toHaveLength(0);
		const [first, ...rest] = seen;
		expect(first.headers.authorization).toBe(`Bearer ${s.apiKey}`);
		expect(first.status).toBeGreaterThanOrEqual(400);
		expect(first.status).not.toBe(401);
		// (n8n-core's requestWithAuthentication repeats a request answered 401 once, after a credential
		// refresh: the wrong key is sent twice.)
		expect(rest.length).toBeGreaterThanOrEqual(1);
		for (const r of rest) {
			expect(r.headers.authorization).toBe('Bearer pk-wrong-key');
			expect(r.status).toBe(401);
		}

		// A Base URL where no Pomelo API answers: a path of the API's own host that serves nothing (404
		// to the POST). Not another host: the stored key goes wherever the Base URL says, and the key
		// test below checks that no other host ever saw it.
		const nowhere = await n8n.rest<{ status: string; message: string }>('POST', '/rest/credentials/test', {
			credentials: { id: stored.id, name: stored.name, type: stored.type, data: { ...stored.data, baseUrl: `${s.emulator.baseUrl}/no-api-here` } },
		});
		expect(nowhere).toEqual({ status: 'Error', message: 'No Pomelo API at this Base URL (404 Not Found)' });
	});
});

describe('the API key', () => {
	// This block's own run (example 01: three generations, three downloads), so that it never relies
	// on other tests having run; whatever else ran before is checked too.
	beforeAll(async () => {
		const result = await n8n.execute(s.examples[EXAMPLES.pipeline].id);
		if (result.code !== 0) throw new Error(`example 01 failed to run: ${result.stderr}`);
	});

	test('the emulator saw "Authorization: Bearer <key>" on every API call and no Authorization on image downloads', async () => {
		const requests = await emulatorRequests();
		const api = requests.filter((r) => r.origin === 'api' && r.headers.authorization !== 'Bearer pk-wrong-key');
		const images = requests.filter((r) => r.origin === 'image');
		expect(api.length).toBeGreaterThanOrEqual(3);
		expect(images.length).toBeGreaterThanOrEqual(3);
		for (const r of api) expect(r.headers.authorization).toBe(`Bearer ${s.apiKey}`);
		for (const r of images) {
			expect(r.headers.authorization).toBeUndefined();
			expect(JSON.stringify(r.headers)).not.toContain(s.apiKey);
		}
	});

	test("is nowhere in n8n's stored executions (REST API), its database, binary data, files or logs", async () => {
		const base64 = Buffer.from(s.apiKey).toString('base64');
		const { results } = await n8n.rest<{ results: Array<{ id: string; workflowId: string }> }>('GET', '/rest/executions?limit=100');
		expect(results.map((r) => r.workflowId)).toContain(s.examples[EXAMPLES.pipeline].id);
		for (const { id } of results) {
			const execution = JSON.stringify(await n8n.rest('GET', `/rest/executions/${id}`));
			expect(execution.length).toBeGreaterThan(1000);
			expect(execution).not.toContain(s.apiKey);
			expect(execution).not.toContain(base64);
		}

		// Every byte n8n stored: database.sqlite (+ -wal/-shm), config, binaryData, the installed
		// package, the written images, and every log of every n8n command.
		const files = [...listFiles(s.userFolder), ...listFiles(s.filesDir), ...listFiles(s.logDir)];
		expect(files.some((f) => f.endsWith('database.sqlite'))).toBe(true);
		// Binary data mode "filesystem": the images of every execution under …/binary_data in n8n's
		// binary data folder (.n8n/storage on n8n 2.x, .n8n/binaryData on 1.x).
		const binaryData = n8nVersion.binaryDataFolder(s.userFolder);
		expect(files.filter((f) => f.startsWith(binaryData) && f.includes('binary_data')).length).toBeGreaterThanOrEqual(3);
		const leaks = files.filter((f) => {
			const bytes = readFileSync(f);
			return bytes.includes(s.apiKey) || bytes.includes(base64);
		});
		expect(leaks).toEqual([]);
		// The logs are real and were scanned (a debug-level log of every command).
		expect(n8n.allLogs().length).toBeGreaterThan(10_000);
		expect(existsSync(join(s.logDir, 'n8n-start.log'))).toBe(true);
	});
});
