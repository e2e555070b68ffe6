'use strict';
// The real-n8n part of the bench: the same job (N Flux generations, one image each, downloaded as
// binary data) done in n8n 2.41.1 the way a user would without this package (two HTTP Request
// nodes: POST the generation with Header Auth, then GET the image URL as a file), and with the
// Pomelo node installed as a community package. Uses harness/ (provideN8n,
// installPackage, N8n: import:credentials, import:workflow, `n8n execute --id --rawOutput`).
//
// Each variant is its own workflow, run by its own `n8n execute` (a fresh n8n process). Its time is
// taken from n8n's own run data: from the first start to the last end of the job's nodes
// (ITaskData startTime + executionTime), so n8n's boot and the Code node that makes the input items
// are not counted.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { N8n, provideN8n, installPackage, NODE_TYPE, credential, CREDENTIAL_ID, CREDENTIAL_NAME } = require('../../harness');

const HEADER_CREDENTIAL = { id: 'benchHeaderAuth01', name: 'Pomelo header auth' };

function codeNode(count) {
	return {
		id: 'bench-code',
		name: 'Prompts',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [200, 0],
		parameters: {
			jsCode: `return Array.from({ length: ${count} }, (_, i) => ({ json: { prompt: 'bench prompt ' + i } }));`,
		},
	};
}

const trigger = {
	id: 'bench-trigger',
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function httpGenerate(baseUrl, batching) {
	return {
		id: 'bench-http-generate',
		name: 'Generate (HTTP Request)',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [400, 0],
		parameters: {
			method: 'POST',
			url: `${baseUrl}/api/v1/flux.1`,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '={{ JSON.stringify({ prompt: $json.prompt }) }}',
			options: batching ? { batching: { batch: batching } } : {},
		},
		credentials: { httpHeaderAuth: HEADER_CREDENTIAL },
	};
}

function httpDownload(batching) {
	return {
		id: 'bench-http-download',
		name: 'Download (HTTP Request)',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [600, 0],
		parameters: {
			url: '={{ $json.images[0].url }}',
			options: {
				response: { response: { responseFormat: 'file' } },
				...(batching && { batching: { batch: batching } }),
			},
		},
	};
}

const main = (node, index = 0) => ({ node, type: 'main', index });

/** The workflows of the comparison; `job` = the nodes whose time is the job's time. */
function variants({ baseUrl, count, concurrency, latencyMs }) {
	const gen = (b) => httpGenerate(baseUrl, b);
	const linear = (nodes) => {
		const connections = {};
		for (let i = 0; i + 1 < nodes.length; i++) connections[nodes[i].name] = { main: [[main(nodes[i + 1].name)]] };
		return connections;
	};
	const list = [];

	{
		const g = gen();
		const d = httpDownload();
		const nodes = [trigger, codeNode(count), g, d];
		list.push({
			key: 'http-default',
			label: 'HTTP Request ×2, default settings',
			settingsNote: 'no batching: every item is sent at once',
			nodes,
			connections: linear(nodes),
			job: [g.name, d.name],
		});
	}
	{
		// The closest the HTTP Request node gets to "C at a time": C items per batch, a batch every
		// L ms (it does not wait for a batch to finish). Downloads from the image host unbatched.
		const g = gen({ batchSize: concurrency, batchInterval: latencyMs });
		const d = httpDownload();
		const nodes = [trigger, codeNode(count), g, d];
		list.push({
			key: 'http-batching',
			label: `HTTP Request ×2, batching ${concurrency} per ${latencyMs} ms`,
			settingsNote: `generate: Items per Batch ${concurrency}, Batch Interval ${latencyMs} ms; download: default`,
			nodes,
			connections: linear(nodes),
			job: [g.name, d.name],
		});
	}
	{
		// Exactly C at a time: Loop Over Items in batches of C around the two HTTP Request nodes.
		const loop = {
			id: 'bench-loop',
			name: 'Loop Over Items',
			type: 'n8n-nodes-base.splitInBatches',
			typeVersion: 3,
			position: [400, 0],
			parameters: { batchSize: concurrency, options: {} },
		};
		const g = { ...gen(), position: [600, 100] };
		const d = { ...httpDownload(), position: [800, 100] };
		const code = codeNode(count);
		list.push({
			key: 'http-loop',
			label: `Loop Over Items (${concurrency}) + HTTP Request ×2`,
			settingsNote: `batches of ${concurrency}, each waits for the previous one`,
			nodes: [trigger, code, loop, g, d],
			connections: {
				[trigger.name]: { main: [[main(code.name)]] },
				[code.name]: { main: [[main(loop.name)]] },
				[loop.name]: { main: [[], [main(g.name)]] },
				[g.name]: { main: [[main(d.name)]] },
				[d.name]: { main: [[main(loop.name)]] },
			},
			job: [loop.name, g.name, d.name],
		});
	}
	{
		const pomelo = {
			id: 'bench-pomelo',
			name: 'Pomelo',
			type: NODE_TYPE,
			typeVersion: 1,
			position: [400, 0],
			parameters: {
				resource: 'image',
				operation: 'flux',
				prompt: '={{ $json.prompt }}',
				additionalFields: {},
				options: { concurrency, maxImagesPerExecution: 0 },
			},
			credentials: { pomeloApi: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } },
		};
		const nodes = [trigger, codeNode(count), pomelo];
		list.push({
			key: 'pomelo',
			label: `Pomelo node, concurrency ${concurrency}`,
			settingsNote: `Options > Concurrency ${concurrency}`,
			nodes,
			connections: linear(nodes),
			job: [pomelo.name],
		});
	}
	return list.map((v, i) => ({
		...v,
		workflow: {
			id: `pomeloBench${String(i + 1).padStart(4, '0')}`,
			name: `Pomelo bench: ${v.label}`,
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: v.nodes,
			connections: v.connections,
			pinData: {},
		},
	}));
}

/** Time of the job from n8n's run data, and what it produced. */
function summarise(run, variant) {
	const runData = run?.data?.resultData?.runData ?? {};
	let start = Infinity;
	let end = -Infinity;
	for (const name of variant.job) {
		for (const task of runData[name] ?? []) {
			start = Math.min(start, task.startTime);
			end = Math.max(end, task.startTime + task.executionTime);
		}
	}
	const last = variant.job[variant.job.length - 1];
	const lastTasks = variant.key === 'http-loop' ? runData[last] ?? [] : (runData[last] ?? []).slice(0, 1);
	let items = 0;
	let binaries = 0;
	for (const task of lastTasks) {
		for (const item of task.data?.main?.[0] ?? []) {
			items++;
			if (item.binary && Object.keys(item.binary).length > 0) binaries++;
		}
	}
	const error = run?.data?.resultData?.error?.message;
	return { jobMs: end - start, items, binaries, error };
}

/**
 * Provides n8n, installs the built package into a fresh user folder, imports the credentials and
 * the workflows, and runs each variant (or the keys in `only`). `emulator` is the in-process
 * emulator (for its counts); `env` is extra environment for n8n (e.g. N8N_EXPRESSION_ENGINE).
 */
async function runN8nBaseline({ emulator, count, concurrency, latencyMs, log, keep = false, env = {}, only, repeats = 1 }) {
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pomelo-bench-n8n-'));
	try {
		log('real n8n: providing n8n 2.41.1 (cached in ~/.cache/n8n-nodes-pomelo after the first run)');
		const bin = await provideN8n();
		const n8n = await N8n.create({ bin, workDir, env });
		log('real n8n: installing the packed package into the user folder (scripts/install-package.sh)');
		await installPackage(n8n.userFolder, { build: false });
		await n8n.importCredentials([
			credential({ apiKey: emulator.apiKey, baseUrl: emulator.baseUrl }),
			{
				...HEADER_CREDENTIAL,
				type: 'httpHeaderAuth',
				data: { name: 'Authorization', value: `Bearer ${emulator.apiKey}` },
			},
		]);
		const list = variants({ baseUrl: emulator.baseUrl, count, concurrency, latencyMs }).filter(
			(v) => !only || only.includes(v.key),
		);
		await n8n.importWorkflow(list.map((v) => v.workflow));
		const runs = new Map(list.map((variant) => [variant.key, []]));
		// Repetitions interleaved (A B C D, A B C D, …), so that a busy moment on a shared machine
		// does not land on one variant only.
		for (let r = 0; r < repeats; r++) {
			for (const variant of list) {
				log(`real n8n: n8n execute --id=${variant.workflow.id} (${variant.label}) ${r + 1}/${repeats}`);
				emulator.clearLog();
				const started = Date.now();
				const { run, code, stdout, stderr } = await n8n.execute(variant.workflow.id, {
					allowFailure: true,
					timeoutMs: 600_000,
				});
				const processMs = Date.now() - started;
				const stats = emulator.stats();
				const summary = summarise(run, variant);
				if (code !== 0 || !run) {
					summary.error ??= `n8n execute exited ${code}: ${(stdout + stderr).slice(-1500)}`;
				}
				runs.get(variant.key).push({ ...summary, processMs, stats });
			}
		}
		const results = list.map((variant) => {
			const own = runs.get(variant.key);
			const times = own.map((x) => x.jobMs).sort((a, b) => a - b);
			const median = times.length % 2 ? times[(times.length - 1) / 2] : (times[times.length / 2 - 1] + times[times.length / 2]) / 2;
			const failed = own.find((x) => x.error);
			const last = own[own.length - 1];
			return {
				...variant,
				jobMs: median,
				jobRange: [times[0], times[times.length - 1]],
				runs: own,
				items: last.items,
				binaries: Math.min(...own.map((x) => x.binaries)),
				stats: { api: { maxInFlight: Math.max(...own.map((x) => x.stats.api.maxInFlight)) }, image: { maxInFlight: Math.max(...own.map((x) => x.stats.image.maxInFlight)) } },
				error: failed?.error,
			};
		});
		return { results, workDir };
	} finally {
		if (!keep) fs.rmSync(workDir, { recursive: true, force: true });
	}
}

module.exports = { runN8nBaseline, variants };
