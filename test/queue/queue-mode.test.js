'use strict';
// The node in n8n 2.41.1's queue mode: Redis + PostgreSQL (Debian's packages, own ports), one main
// instance and two workers sharing one user folder with this package installed the community way,
// binary data in `database` mode. A webhook workflow (test/queue/webhook-flux-pair.json:
// Webhook → Split Out → Pomelo Flux.1 → Respond to Webhook with the first image) is activated on
// the main instance; then:
//   1. QUEUE_TEST_CALLS (100) concurrent webhook calls, each asking for two Flux.1 images: every
//      answer is a valid PNG, every execution record holds two PNGs (read back through the main
//      instance from the database), executions ran on both workers, none failed;
//   2. QUEUE_TEST_SIGTERM_CALLS (40) calls with a slower API, and SIGTERM to worker-1 while it runs
//      some of them: it finishes them (graceful shutdown) and exits 0, worker-2 takes the rest,
//      every call is answered.
// Run: npm run test:queue (scripts/queue/run.sh: installs redis-server/postgresql if missing).
// Figures go to stdout. QUEUE_TEST_KEEP=1 keeps the work folder (logs) after a run.

const assert = require('node:assert/strict');
const { describe, before, after, test } = require('node:test');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createRequire } = require('node:module');

const { QueueCluster, provideN8n, sleep, credential, startEmulator } = require('../../harness');
const { decodePngInfo } = require('../../emulator');

const CALLS = intEnv('QUEUE_TEST_CALLS', 100);
const SIGTERM_CALLS = intEnv('QUEUE_TEST_SIGTERM_CALLS', 40);
const CONCURRENCY = intEnv('QUEUE_TEST_WORKER_CONCURRENCY', 10);
const CALL_TIMEOUT_MS = intEnv('QUEUE_TEST_CALL_TIMEOUT_MS', 180_000);
const WORKFLOW_FILE = path.join(__dirname, 'webhook-flux-pair.json');
const POMELO_NODE = 'Pomelo Flux.1';

function intEnv(name, fallback) {
	const value = process.env[name];
	if (value === undefined || value === '') return fallback;
	const n = Number(value);
	if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got ${value}`);
	return n;
}

function say(line = '') {
	process.stdout.write(`${line}\n`);
}

function step(message) {
	process.stderr.write(`» ${message}\n`);
}

function percentile(values, p) {
	if (values.length === 0) return 0;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** Counts per value, e.g. { 'worker-1': 52, 'worker-2': 48 }. */
function tally(values) {
	const counts = {};
	for (const v of values) counts[v] = (counts[v] || 0) + 1;
	return counts;
}

describe('n8n 2.41.1 queue mode: main + 2 workers, Redis, PostgreSQL, binary data in the database', () => {
	let workDir;
	let emulator;
	let cluster;
	let flatted;
	let webhookUrl;
	const workflow = JSON.parse(fs.readFileSync(WORKFLOW_FILE, 'utf8'));
	const figures = { started: Date.now() };
	/** executionId → { call, phase } for every answered call. */
	const calls = new Map();

	/** One webhook call: resolves with what came back (never rejects). */
	async function callWebhook(index, phase) {
		const prompts = [`${phase} call ${index}: a lighthouse at dawn, image A`, `${phase} call ${index}: a lighthouse at dawn, image B`];
		const t = Date.now();
		try {
			const res = await fetch(webhookUrl, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ prompts }),
				signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
			});
			const body = Buffer.from(await res.arrayBuffer());
			const result = {
				index,
				phase,
				status: res.status,
				ms: Date.now() - t,
				contentType: res.headers.get('content-type'),
				executionId: res.headers.get('x-n8n-execution-id'),
				imageCount: Number(res.headers.get('x-pomelo-image-count')),
				imageBytes: (res.headers.get('x-pomelo-image-bytes') || '').split(',').filter(Boolean).map(Number),
				body,
			};
			try {
				result.png = decodePngInfo(body);
			} catch (error) {
				result.pngError = error.message;
			}
			if (result.executionId) calls.set(result.executionId, result);
			return result;
		} catch (error) {
			return { index, phase, status: null, ms: Date.now() - t, error: `${error.name}: ${error.message}` };
		}
	}

	function describeFailure(r) {
		if (r.error) return `call ${r.index}: no answer (${r.error})`;
		return `call ${r.index}: HTTP ${r.status} ${r.contentType} ${r.pngError || ''} ${r.body?.toString('utf8', 0, 300)}`;
	}

	function assertPngAnswer(r) {
		assert.equal(r.error, undefined, describeFailure(r));
		assert.equal(r.status, 200, describeFailure(r));
		assert.equal(r.contentType, 'image/png', describeFailure(r));
		assert.ok(r.png, describeFailure(r));
		assert.equal(r.png.width, 1024);
		assert.equal(r.png.height, 1024);
		assert.equal(r.imageCount, 2, `call ${r.index}: X-Pomelo-Image-Count`);
		assert.equal(r.imageBytes.length, 2);
		assert.equal(r.body.length, r.imageBytes[0], `call ${r.index}: the answer is the first image`);
		assert.match(r.executionId || '', /^\d+$/);
	}

	/** The execution record as the main instance serves it, with its run data unflattened. */
	async function execution(id) {
		const record = await cluster.main.rest('GET', `/rest/executions/${id}`);
		const data = typeof record.data === 'string' ? flatted.parse(record.data) : record.data;
		return { ...record, data };
	}

	/** GET /rest/binary-data (what the editor's execution view uses): the stored bytes. */
	async function binaryBytes(binaryDataId) {
		const query = new URLSearchParams({ id: binaryDataId, action: 'download' });
		const res = await fetch(`${cluster.main.baseUrl}/rest/binary-data?${query}`, {
			headers: { cookie: cluster.main.cookie, 'browser-id': 'pomelo-e2e-browser' },
			signal: AbortSignal.timeout(60_000),
		});
		assert.equal(res.status, 200, `binary data ${binaryDataId}: HTTP ${res.status}`);
		return Buffer.from(await res.arrayBuffer());
	}

	/**
	 * Checks one execution record: success, started by the webhook, the Pomelo node output two items,
	 * each with a PNG in the `database` binary store that decodes and has the size the item states.
	 * Returns the image sizes.
	 */
	async function checkExecutionRecord(id) {
		const record = await execution(id);
		assert.equal(record.status, 'success', `execution ${id}: ${record.status}`);
		assert.equal(record.mode, 'webhook');
		const runs = record.data.resultData.runData[POMELO_NODE];
		assert.ok(runs && runs.length === 1, `execution ${id}: one run of ${POMELO_NODE}`);
		const items = runs[0].data.main[0];
		assert.equal(items.length, 2, `execution ${id}: two images`);
		const sizes = [];
		for (const item of items) {
			const binary = item.binary && item.binary.data;
			assert.ok(binary, `execution ${id}: binary "data" on each item`);
			assert.equal(binary.mimeType, 'image/png');
			assert.match(binary.id || '', /^database:/, `execution ${id}: binary data stored in the database (${binary.id})`);
			const bytes = await binaryBytes(binary.id);
			const png = decodePngInfo(bytes);
			assert.equal(png.width, 1024);
			assert.equal(bytes.length, item.json.fileSize);
			sizes.push(bytes.length);
		}
		return sizes;
	}

	/**
	 * Which worker ran each execution, from the workers' own logs ("Worker started execution N").
	 * (Not from the main instance's "Execution N finished" lines: their workerId is the host name
	 * in a container, the same for both workers. Nor from "Worker finished execution N": a worker
	 * that exits right after its last job may not get that line out.)
	 */
	function workerOf() {
		const map = new Map();
		for (const worker of cluster.workers) {
			for (const id of worker.executions().startedIds) {
				assert.ok(!map.has(id), `execution ${id} started on two workers`);
				map.set(id, worker.name);
			}
		}
		return map;
	}

	async function waitFor(what, predicate, { timeoutMs = 60_000, intervalMs = 250 } = {}) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const value = await predicate();
			if (value) return value;
			if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
			await sleep(intervalMs);
		}
	}

	// Stopped from outside (Ctrl-C, CI's time limit): stop the cluster before leaving.
	for (const signal of ['SIGINT', 'SIGTERM']) {
		process.once(signal, () => {
			step(`${signal}: stopping the cluster`);
			const done = () => process.exit(signal === 'SIGINT' ? 130 : 143);
			Promise.all([cluster?.stop(), emulator?.close()]).then(done, done);
		});
	}

	before(
		async () => {
			workDir = process.env.QUEUE_TEST_WORKDIR || fs.mkdtempSync(path.join(os.tmpdir(), 'pomelo-queue-'));
			fs.mkdirSync(workDir, { recursive: true });
			fs.chmodSync(workDir, 0o755);
			step(`work folder ${workDir}`);
			const bin = await provideN8n();
			flatted = createRequire(path.join(path.dirname(bin), 'node_modules', 'n8n', 'package.json'))('flatted');
			emulator = await startEmulator({ apiKey: `queue-key-${Math.random().toString(36).slice(2, 10)}`, latencyMs: 200 });
			step(`Pomelo emulator at ${emulator.baseUrl} (images from ${emulator.imageBaseUrl})`);
			const t = Date.now();
			cluster = await QueueCluster.start({
				bin,
				workDir,
				workers: 2,
				concurrency: CONCURRENCY,
				build: process.env.QUEUE_TEST_BUILD !== '0',
				credentials: [credential({ apiKey: emulator.apiKey, baseUrl: emulator.baseUrl })],
				workflows: [workflow],
				onStep: step,
			});
			figures.startUpMs = Date.now() - t;
			figures.timings = cluster.timings;
			await cluster.main.setupOwner();
		},
		{ timeout: 20 * 60_000 },
	);

	after(
		async () => {
			let leftovers = [];
			if (cluster) {
				const stopped = await cluster.stop();
				for (const e of stopped.errors) step(`stop: ${e.message}`);
				leftovers = stopped.leftovers;
				if (leftovers.length) step(`killed leftover processes of the cluster: ${leftovers.join(', ')}`);
			}
			if (emulator) await emulator.close();
			const strays = workDir ? processesUsing(workDir) : [];
			leftovers = [...new Set([...leftovers, ...strays])];
			for (const pid of strays) {
				step(`killing leftover process ${pid}`);
				try {
					process.kill(pid, 'SIGKILL');
				} catch {
					// already gone
				}
			}
			say(`processes of the test left running after the stop: ${leftovers.length} (${cluster ? cluster.seen.size : 0} tracked: n8n main, workers, task runners, redis-server, postgres)`);
			say(`total time: ${secs(Date.now() - figures.started)}`);
			// A work folder given by the caller (scripts/queue/run.sh) is the caller's to remove.
			if (workDir && !process.env.QUEUE_TEST_WORKDIR) {
				if (process.env.QUEUE_TEST_KEEP) step(`kept ${workDir}`);
				else fs.rmSync(workDir, { recursive: true, force: true });
			}
			assert.deepEqual(leftovers, [], 'every process the test started is stopped');
		},
		{ timeout: 3 * 60_000 },
	);

	test('the webhook workflow is published on the main instance and its production URL answers', { timeout: 120_000 }, async () => {
		const stored = await cluster.main.rest('GET', `/rest/workflows/${workflow.id}`);
		// n8n 2.x: "activate" publishes a version (POST /rest/workflows/:id/activate, what the
		// editor's Publish button sends); the CLI equivalent is `n8n publish:workflow --id=<id>`.
		const published = await cluster.main.rest('POST', `/rest/workflows/${workflow.id}/activate`, {
			versionId: stored.versionId,
		});
		assert.equal(published.active, true);
		assert.equal(published.activeVersionId, stored.versionId);
		const webhookNode = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.webhook');
		webhookUrl = `${cluster.main.baseUrl}/webhook/${webhookNode.parameters.path}`;
		// The main instance registers the webhook shortly after the answer: a GET is refused with
		// "not registered for GET requests. Did you mean to make a POST request?" once POST is live.
		await waitFor('the production webhook', async () => {
			const res = await fetch(webhookUrl, { signal: AbortSignal.timeout(5000) });
			return (await res.text()).includes('Did you mean to make a POST request');
		});
		const rows = await cluster.postgres.query(`SELECT "webhookPath", method, node FROM webhook_entity WHERE "workflowId" = '${workflow.id}'`);
		assert.equal(rows.trim(), `${webhookNode.parameters.path}\tPOST\t${webhookNode.name}`);
		say(`webhook: POST ${webhookUrl} (published version ${stored.versionId})`);
	});

	test(`${CALLS} concurrent webhook calls, two Flux.1 images each: all answered with a PNG, spread over both workers, none failed`, { timeout: 15 * 60_000 }, async () => {
		assert.ok(webhookUrl, 'the workflow is active');
		emulator.clearLog();
		const t = Date.now();
		const results = await Promise.all(Array.from({ length: CALLS }, (_, i) => callWebhook(i + 1, 'load')));
		const wallMs = Date.now() - t;

		const failures = results.filter((r) => r.status !== 200 || !r.png);
		assert.deepEqual(failures.map(describeFailure), [], 'every call answered with a PNG');
		for (const r of results) assertPngAnswer(r);
		const ids = results.map((r) => r.executionId);
		assert.equal(new Set(ids).size, CALLS, 'one execution per call');

		// The execution record of every call: two PNGs in the database store, read back via main.
		const t2 = Date.now();
		let storedImages = 0;
		let storedBytes = 0;
		for (const r of results) {
			const sizes = await checkExecutionRecord(r.executionId);
			assert.equal(sizes[0], r.body.length, `execution ${r.executionId}: first stored image = the answer`);
			assert.deepEqual(sizes, r.imageBytes);
			storedImages += sizes.length;
			storedBytes += sizes[0] + sizes[1];
		}
		const recordCheckMs = Date.now() - t2;

		const byWorker = workerOf();
		const perWorker = tally(ids.map((id) => byWorker.get(id) || 'unknown'));
		assert.equal(perWorker.unknown, undefined, `every execution found in a worker's log: ${JSON.stringify(perWorker)}`);
		for (const w of cluster.workers) assert.ok(perWorker[w.name] > 0, `${w.name} ran executions: ${JSON.stringify(perWorker)}`);

		const stats = emulator.stats();
		assert.equal(stats.api.count, 2 * CALLS, 'two Flux.1 requests per call');
		assert.equal(stats.image.count, 2 * CALLS, 'two image downloads per call');
		const statusRows = await cluster.postgres.query(
			`SELECT status, count(*) FROM execution_entity WHERE "workflowId" = '${workflow.id}' AND id IN (${ids.join(',')}) GROUP BY status`,
		);
		assert.equal(statusRows.trim(), `success\t${CALLS}`, 'every execution succeeded');

		// Database mode: the images are rows of binary_data in PostgreSQL, nothing on the shared disk.
		const [binaryRows, binaryBytesStored] = (await cluster.postgres.query('SELECT count(*), coalesce(sum(octet_length(data)), 0) FROM binary_data'))
			.trim()
			.split('\t')
			.map(Number);
		assert.ok(binaryRows >= 2 * CALLS, `binary_data holds the images (${binaryRows} rows)`);
		const filesOnDisk = filesUnder(path.join(cluster.main.userFolder, '.n8n', 'storage')).concat(filesUnder(path.join(cluster.main.userFolder, '.n8n', 'binaryData')));
		assert.deepEqual(filesOnDisk, [], 'no binary data files on disk');

		const latencies = results.map((r) => r.ms);
		say('');
		say(`queue mode, phase 1: ${CALLS} concurrent webhook calls, 2 Flux.1 images each`);
		say(`  calls answered with a PNG: ${results.length}/${CALLS} (HTTP 200, image/png, 1024x1024, fully decoded)`);
		say(`  images generated: ${stats.api.count} Flux.1 requests, ${stats.image.count} downloads; ${storedImages} PNGs in the execution records (database binary mode, ${(storedBytes / 1024 / 1024).toFixed(1)} MB), all decoded`);
		say(`  binary data: ${binaryRows} rows in PostgreSQL's binary_data (${(binaryBytesStored / 1024 / 1024).toFixed(1)} MB), 0 files on disk`);
		say(`  executions per worker: ${Object.entries(perWorker).map(([w, n]) => `${w} ${n}`).join(', ')} (worker concurrency ${CONCURRENCY})`);
		say(`  executions failed: 0 (PostgreSQL: ${statusRows.trim().replace('\t', ' ')})`);
		say(`  time: ${secs(wallMs)} for all calls (${(CALLS / (wallMs / 1000)).toFixed(1)} calls/s, ${((2 * CALLS) / (wallMs / 1000)).toFixed(1)} images/s); per call p50 ${secs(percentile(latencies, 50))}, p95 ${secs(percentile(latencies, 95))}, max ${secs(Math.max(...latencies))}`);
		say(`  emulator: max ${stats.api.maxInFlight} generation requests in flight; records read back in ${secs(recordCheckMs)}`);
	});

	test(`SIGTERM to a worker mid-run (${SIGTERM_CALLS} calls): its executions finish, the rest move to the other worker, every call answered`, { timeout: 15 * 60_000 }, async () => {
		assert.ok(webhookUrl, 'the workflow is active');
		const [victim, survivor] = cluster.workers;
		const earlier = new Set(victim.executions().startedIds);
		// A slower API, so executions are in flight for seconds when the signal arrives.
		emulator.setLatency(2500);
		emulator.clearLog();
		const t = Date.now();
		const pending = Promise.all(Array.from({ length: SIGTERM_CALLS }, (_, i) => callWebhook(i + 1, 'sigterm')));

		// Wait until the victim runs executions of this phase (and has not finished them yet).
		const want = Math.min(3, CONCURRENCY);
		const runningAtSignal = await waitFor(`${victim.name} to run ${want} executions`, () => {
			const { startedIds, finishedIds } = victim.executions();
			const running = startedIds.filter((id) => !earlier.has(id) && !finishedIds.includes(id));
			return running.length >= want ? running : null;
		});
		cluster.track();
		const signalAt = Date.now();
		victim.process.kill('SIGTERM');
		step(`SIGTERM to ${victim.name} (pid ${victim.pid}) after ${secs(signalAt - t)}, running executions ${runningAtSignal.join(', ')}`);

		const exit = await victim.exited;
		const shutdownMs = exit.at - signalAt;
		const results = await pending;
		const wallMs = Date.now() - t;
		emulator.setLatency(200);

		// Every call answered: a PNG (HTTP 200) or, at worst, an error answer; never silence.
		const unanswered = results.filter((r) => r.status === null);
		assert.deepEqual(unanswered.map(describeFailure), [], 'every call got an answer');
		const notPng = results.filter((r) => r.status !== 200 || !r.png);
		assert.deepEqual(notPng.map(describeFailure), [], 'every answer is a PNG');
		for (const r of results) assertPngAnswer(r);

		assert.equal(exit.code, 0, `${victim.name} shut down cleanly (exit ${exit.code}, ${exit.signal})`);

		const ids = results.map((r) => r.executionId);
		const phase = new Set(ids);
		const byWorker = workerOf();
		const victimRan = ids.filter((id) => byWorker.get(id) === victim.name);
		const survivorRan = ids.filter((id) => byWorker.get(id) === survivor.name);
		assert.equal(victimRan.length + survivorRan.length, SIGTERM_CALLS, 'every execution ran on a worker');
		// The victim's drain: the jobs it held at the signal ("Waiting for N active executions to
		// finish... (execution IDs: ...)"): it ran every one of them to the end before exiting.
		const drained = victim.drained().filter((id) => phase.has(id));
		for (const id of runningAtSignal) assert.ok(drained.includes(id), `execution ${id} (running at SIGTERM) is in the drain`);
		for (const id of drained) assert.equal(byWorker.get(id), victim.name, `drained execution ${id} ran on ${victim.name}`);
		const victimLog = victim.log();
		const timeline = victim.executions();
		// No job taken after the signal: Bull pauses the worker's queue at once; jobs it had already
		// fetched are logged as started up to a few hundred ms later (after a database read), hence
		// the 2 s margin. Everything later went to the other worker.
		const lateStarts = timeline.started
			.filter((e) => phase.has(e.id) && e.at > signalAt + 2000)
			.map((e) => `${e.id} (+${e.at - signalAt} ms)`);
		assert.deepEqual(lateStarts, [], `${victim.name} took no job after SIGTERM`);
		assert.ok(survivorRan.length > 0, `${survivor.name} took the remaining executions`);
		assert.ok(!/Cancelled \d+ in-process executions/.test(victimLog), `${victim.name} cancelled nothing`);
		assert.ok(!/Drain timeout reached/.test(victimLog), `${victim.name} drained within the graceful-shutdown window`);
		assert.match(victimLog, /Stopping worker/);

		for (const id of ids) await checkExecutionRecord(id);
		// When the drained executions ended, by their records (stoppedAt, written by the worker).
		const stoppedRows = drained.length
			? await cluster.postgres.query(
					`SELECT id, round(extract(epoch FROM "stoppedAt") * 1000) FROM execution_entity WHERE id IN (${drained.join(',')})`,
				)
			: '';
		const stoppedAt = stoppedRows.trim().split('\n').filter(Boolean).map((row) => Number(row.split('\t')[1]));
		assert.equal(stoppedAt.length, drained.length);
		const finishedAfterSignal = stoppedAt.filter((at) => at > signalAt).length;
		assert.ok(stoppedAt.every((at) => at <= exit.at), `drained executions ended before ${victim.name} exited`);
		const statusRows = await cluster.postgres.query(
			`SELECT status, count(*) FROM execution_entity WHERE id IN (${ids.join(',')}) GROUP BY status`,
		);
		assert.equal(statusRows.trim(), `success\t${SIGTERM_CALLS}`);
		const stats = emulator.stats();

		say('');
		say(`queue mode, phase 2: ${SIGTERM_CALLS} concurrent calls (API latency 2.5 s), SIGTERM to ${victim.name} ${secs(signalAt - t)} in`);
		say(`  calls answered with a PNG: ${results.length - notPng.length}/${SIGTERM_CALLS}; unanswered: ${unanswered.length}`);
		say(`  ${victim.name}: held ${drained.length} executions at SIGTERM (${runningAtSignal.length} logged as started), all ${drained.length} succeeded (${finishedAfterSignal} of them ended after the signal), took none after it, cancelled none; exited with code ${exit.code} ${secs(shutdownMs)} after the signal`);
		say(`  executions per worker: ${victim.name} ${victimRan.length}, ${survivor.name} ${survivorRan.length}; failed 0 (PostgreSQL: ${statusRows.trim().replace('\t', ' ')})`);
		say(`  images generated: ${stats.api.count} Flux.1 requests, ${stats.image.count} downloads; ${2 * SIGTERM_CALLS} PNGs in the execution records, all decoded`);
		say(`  time: ${secs(wallMs)} for all calls`);
		if (figures.startUpMs) {
			say('');
			say(`start-up: ${secs(figures.startUpMs)} (${Object.entries(figures.timings).map(([k, v]) => `${k} ${secs(v)}`).join('; ')})`);
		}
	});
});

/** Files (not folders) under `dir`, recursively; [] if it does not exist. */
function filesUnder(dir) {
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir, { recursive: true, withFileTypes: true })
		.filter((d) => !d.isDirectory())
		.map((d) => path.join(d.parentPath, d.name));
}

/** Pids of processes whose command line or environment mentions `dir` (this test's processes). */
function processesUsing(dir) {
	const pids = [];
	const ancestors = new Set();
	for (let pid = process.pid; pid > 1; ) {
		ancestors.add(pid);
		try {
			pid = Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1]);
		} catch {
			break;
		}
	}
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry) || ancestors.has(Number(entry))) continue;
		for (const file of ['cmdline', 'environ']) {
			try {
				if (fs.readFileSync(`/proc/${entry}/${file}`).includes(dir)) {
					pids.push(Number(entry));
					break;
				}
			} catch {
				// gone, or not ours to read
			}
		}
	}
	return pids;
}
