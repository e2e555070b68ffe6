#!/usr/bin/env node
'use strict';
// npm run bench [-- --quick] [-- --skip-n8n] [-- --no-build] [-- --images 400] [-- --json file]
//
// Benchmarks the built Pomelo node against the project's emulator and prints one markdown report:
//   1. throughput: N items at latency L and concurrency C, wall time against ceil(N/C)·L;
//   2. the node's overhead per image at zero latency (time beyond the emulator's own work);
//   3. peak RSS while producing many ~4 MB images, n8n's filesystem binary mode against memory mode;
//   4. the same job in a real n8n 2.41.1: HTTP Request nodes (as a user would without this
//      package) against the Pomelo node.
// The emulator runs in this process; the node runs in child processes (bench/worker.js), so their
// CPU time and RSS are the node's own. Progress goes to stderr, the report to stdout.
// The machine may be shared: compare ratios within one run, not timings across runs.

const { fork, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const { startEmulator } = require('../harness');

// ---------------------------------------------------------------- options

function parseArgs(argv) {
	const options = { quick: false, skipN8n: false, build: true, images: undefined, json: undefined, keep: false };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--quick') options.quick = true;
		else if (arg === '--skip-n8n') options.skipN8n = true;
		else if (arg === '--no-build') options.build = false;
		else if (arg === '--keep') options.keep = true;
		else if (arg === '--images') options.images = Number(argv[++i]);
		else if (arg === '--json') options.json = argv[++i];
		else if (arg === '--help' || arg === '-h') {
			process.stdout.write(
				'Usage: npm run bench -- [--quick] [--skip-n8n] [--no-build] [--images N] [--json FILE] [--keep]\n' +
					'  --quick     small counts (CI smoke test, about a minute without real n8n)\n' +
					'  --skip-n8n  no real-n8n comparison with the HTTP Request node\n' +
					'  --no-build  use dist/ as it is (default: npm run build first)\n' +
					'  --images N  images in the memory measure (default 400, --quick 40)\n' +
					'  --json FILE also write the measurements as JSON\n' +
					'  --keep      keep the temporary n8n folder of the real-n8n part\n',
			);
			process.exit(0);
		} else throw new Error(`Unknown option ${arg} (see --help)`);
	}
	if (options.images !== undefined && !(Number.isInteger(options.images) && options.images > 0)) {
		throw new Error('--images needs a whole number > 0');
	}
	return options;
}

const options = parseArgs(process.argv.slice(2));
const CONFIG = {
	throughput: { count: options.quick ? 40 : 200, latencyMs: 250, concurrency: 10, repeats: options.quick ? 1 : 3 },
	overhead: { count: options.quick ? 40 : 200, repeats: options.quick ? 1 : 3, warmup: options.quick ? 10 : 40 },
	memory: {
		count: options.images ?? (options.quick ? 40 : 400),
		// 1155 x 1155 RGB noise, stored: 1155 × (1155 × 3 + 1) bytes + chunks ≈ 4.0 MB per PNG.
		size: { width: 1155, height: 1155 },
		concurrency: 10,
		warmup: 10,
	},
	// One image far larger than the others: if it were held whole, RSS would grow by at least its size.
	largeImage: { size: { width: 8000, height: 8000 } },
	n8n: { count: options.quick ? 40 : 200, latencyMs: 250, concurrency: 10, repeats: options.quick ? 1 : 3 },
};
const TARGETS = { throughputRatio: 1.2, overheadMs: 5, fsGrowthMb: 200, vsHttp: 1.0, loopDelayP99Ms: 20 };

// ---------------------------------------------------------------- helpers

const started = Date.now();
function log(message) {
	process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)}s] ${message}\n`);
}

const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const fmt = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

function runCommand(command, args) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', process.stderr, process.stderr] });
		child.on('error', reject);
		child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}`))));
	});
}

function readStatus(pid) {
	try {
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const kb = (name) => Number((new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status) || [])[1] || 0);
		return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
	} catch {
		return undefined;
	}
}

const children = new Set();
const tempDirs = new Set();

/** A bench/worker.js child: its own N8N_USER_FOLDER, binary data mode; `call` sends a command. */
async function startWorker({ binaryMode = 'filesystem', countWrites = false, execArgv = [] } = {}) {
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'pomelo-bench-'));
	tempDirs.add(userFolder);
	const child = fork(path.join(__dirname, 'worker.js'), [], {
		cwd: ROOT,
		env: {
			...process.env,
			N8N_USER_FOLDER: userFolder,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			BENCH_BINARY_MODE: binaryMode,
			BENCH_COUNT_WRITES: countWrites ? '1' : '0',
			// So that a BENCH_DIST build outside the clone still finds n8n-workflow & co.
			NODE_PATH: path.join(ROOT, 'node_modules'),
		},
		execArgv,
		// stdout of the child is n8n-core's chatter ("No encryption key found…"): not the report's.
		stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
	});
	children.add(child);
	const pending = new Map();
	let sequence = 0;
	let exited = null;
	child.on('message', (message) => {
		const waiter = pending.get(message.id);
		pending.delete(message.id);
		waiter?.(message);
	});
	child.on('exit', (code, signal) => {
		exited = { code, signal };
		children.delete(child);
		for (const waiter of pending.values()) waiter({ ok: false, error: `worker exited (${code ?? signal})` });
		pending.clear();
	});
	const ready = await new Promise((resolve) => pending.set(0, resolve));
	if (!ready.ok) throw new Error(`worker failed to start: ${ready.error}`);
	const call = async (cmd, args) => {
		if (exited) throw new Error(`worker exited (${exited.code ?? exited.signal})`);
		const id = ++sequence;
		const message = await new Promise((resolve) => {
			pending.set(id, resolve);
			child.send({ id, cmd, args });
		});
		if (!message.ok) throw new Error(`worker ${cmd}: ${message.error}`);
		return message.result;
	};
	const stop = async () => {
		if (!exited) {
			const gone = new Promise((resolve) => child.once('exit', resolve));
			await call('exit').catch(() => undefined);
			await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 5000))]);
			if (!exited) child.kill('SIGKILL');
		}
		fs.rmSync(userFolder, { recursive: true, force: true });
		tempDirs.delete(userFolder);
	};
	return { call, stop, pid: child.pid, ready: ready.result };
}

function cleanup() {
	for (const child of children) child.kill('SIGKILL');
	for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, () => {
		cleanup();
		process.exit(130);
	});
}

const fluxParameters = ({ concurrency, seed }) => ({
	resource: 'image',
	operation: 'flux',
	prompt: '={{ $json.prompt }}',
	additionalFields: seed === undefined ? {} : { seed },
	// The bench generates hundreds of images in one execution: no cost cap.
	options: { concurrency, maxImagesPerExecution: 0 },
});
const prompts = (count, prefix) => Array.from({ length: count }, (_, i) => ({ prompt: `${prefix} ${i}` }));

/** Sum of the emulator's handling time (log startedAt → endedAt) over the requests since clearLog. */
function emulatorWorkMs(emulator) {
	let total = 0;
	for (const entry of emulator.requests) if (entry.endedAt !== null) total += entry.endedAt - entry.startedAt;
	return total;
}

// ---------------------------------------------------------------- 1 + 2: throughput, overhead

async function measureThroughputAndOverhead() {
	const emulator = await startEmulator({ apiKey: 'bench-key' });
	const credentials = { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl };
	const worker = await startWorker();
	try {
		// Warm-up (JIT, module loading, first connections) of all three clients, at zero latency.
		const { warmup } = CONFIG.overhead;
		log(`warm-up: ${warmup} items through the Pomelo node, the reference node and the plain client`);
		const warm = prompts(warmup, 'warm-up');
		await worker.call('node', { parameters: fluxParameters({ concurrency: 1 }), input: warm, credentials });
		await worker.call('reference', { parameters: { prompt: '={{ $json.prompt }}', concurrency: 1 }, input: warm, credentials });
		await worker.call('raw', { credentials, path: '/api/v1/flux.1', bodies: warm, concurrency: 1, dir: path.join(os.tmpdir(), `pomelo-bench-raw-${process.pid}`) });

		// 2. Overhead at zero latency, one item at a time, repeats interleaved.
		const { count, repeats } = CONFIG.overhead;
		const input = prompts(count, 'overhead');
		const runs = { node: [], reference: [], raw: [] };
		for (let r = 0; r < repeats; r++) {
			for (const kind of ['node', 'reference', 'raw']) {
				log(`overhead: ${count} items, latency 0, concurrency 1: ${kind} (${r + 1}/${repeats})`);
				emulator.clearLog();
				const args =
					kind === 'raw'
						? { credentials, path: '/api/v1/flux.1', bodies: input, concurrency: 1, dir: path.join(os.tmpdir(), `pomelo-bench-raw-${process.pid}`) }
						: kind === 'reference'
							? { parameters: { prompt: '={{ $json.prompt }}', concurrency: 1 }, input, credentials }
							: { parameters: fluxParameters({ concurrency: 1 }), input, credentials };
				const result = await worker.call(kind, args);
				if (result.binaries !== count) throw new Error(`${kind} produced ${result.binaries} of ${count} images: ${result.error ?? ''}`);
				const workMs = emulatorWorkMs(emulator);
				runs[kind].push({
					wallPerImage: result.wallMs / count,
					emulatorPerImage: workMs / count,
					beyondPerImage: (result.wallMs - workMs) / count,
					cpuPerImage: result.cpuMs / count,
				});
			}
		}
		const summarise = (list) => ({
			wallPerImage: median(list.map((x) => x.wallPerImage)),
			emulatorPerImage: median(list.map((x) => x.emulatorPerImage)),
			beyondPerImage: median(list.map((x) => x.beyondPerImage)),
			beyondRange: [Math.min(...list.map((x) => x.beyondPerImage)), Math.max(...list.map((x) => x.beyondPerImage))],
			cpuPerImage: median(list.map((x) => x.cpuPerImage)),
		});
		const overhead = {
			count,
			repeats,
			node: summarise(runs.node),
			reference: summarise(runs.reference),
			raw: summarise(runs.raw),
		};

		// 1. Throughput.
		const t = CONFIG.throughput;
		emulator.setLatency(t.latencyMs);
		const ideal = Math.ceil(t.count / t.concurrency) * t.latencyMs;
		const throughputRuns = [];
		for (let r = 0; r < t.repeats; r++) {
			log(`throughput: ${t.count} items, latency ${t.latencyMs} ms, concurrency ${t.concurrency} (${r + 1}/${t.repeats})`);
			emulator.clearLog();
			const result = await worker.call('node', {
				parameters: fluxParameters({ concurrency: t.concurrency }),
				input: prompts(t.count, `throughput ${r}`),
				credentials,
			});
			if (result.binaries !== t.count) throw new Error(`throughput run produced ${result.binaries} of ${t.count} images: ${result.error ?? ''}`);
			const stats = emulator.stats();
			const api = emulator.requests.filter((entry) => entry.origin === 'api' && entry.endedAt !== null);
			const apiBusyMs = api.reduce((sum, entry) => sum + (entry.endedAt - entry.startedAt), 0);
			throughputRuns.push({
				wallMs: result.wallMs,
				ratio: result.wallMs / ideal,
				cpuPerImage: result.cpuMs / t.count,
				apiMaxInFlight: stats.api.maxInFlight,
				imageMaxInFlight: stats.image.maxInFlight,
				// What the emulator itself took per generation (L plus its own handling, on this machine).
				apiMeanMs: apiBusyMs / api.length,
				// Share of the C slots' time the API was working on a request: 1 = the node never kept it waiting.
				apiBusy: apiBusyMs / (t.concurrency * result.wallMs),
				// Per item, the time a slot spent between an answer and the next request (the node's turnaround).
				slotIdlePerItem: (t.concurrency * result.wallMs - apiBusyMs) / t.count,
				// Before the first generation request and after the last answer (downloads, output).
				rampMs: Math.min(...api.map((entry) => entry.startedAt)) - result.startedAt,
				tailMs: result.endedAt - Math.max(...api.map((entry) => entry.endedAt)),
			});
		}
		const middle = [...throughputRuns].sort((a, b) => a.ratio - b.ratio)[Math.floor(throughputRuns.length / 2)];
		const throughput = {
			...t,
			idealMs: ideal,
			runs: throughputRuns,
			median: middle,
			ratioRange: [Math.min(...throughputRuns.map((x) => x.ratio)), Math.max(...throughputRuns.map((x) => x.ratio))],
		};
		return { throughput, overhead };
	} finally {
		await worker.stop();
		await emulator.close();
	}
}

// ---------------------------------------------------------------- 3: memory

/**
 * Runs one node job in the worker and measures its peak RSS: VmHWM (reset first) and RSS sampled
 * every 20 ms, against the RSS after a full GC; also counts how n8n's file store received bodies.
 */
async function measurePeak(worker, job) {
	const writesBefore = await worker.call('writes');
	const baseline = await worker.call('resetPeak');
	let sampledMaxKb = 0;
	const sampler = setInterval(() => {
		const status = readStatus(worker.pid);
		if (status) sampledMaxKb = Math.max(sampledMaxKb, status.rssKb);
	}, 20);
	let result;
	let status;
	try {
		result = await worker.call('node', job);
		status = readStatus(worker.pid);
	} finally {
		clearInterval(sampler);
	}
	const writesAfter = await worker.call('writes');
	const peakKb = Math.max(status.hwmKb, sampledMaxKb);
	return {
		result,
		writesBefore,
		writesAfter,
		baselineMb: baseline.rssKb / 1024,
		peakMb: peakKb / 1024,
		growthMb: (peakKb - baseline.rssKb) / 1024,
		hwmMb: status.hwmKb / 1024,
		sampledMaxMb: sampledMaxKb / 1024,
	};
}

async function measureMemory(binaryMode) {
	const m = CONFIG.memory;
	const emulator = await startEmulator({ apiKey: 'bench-key', noiseImages: true, imageSize: m.size });
	const credentials = { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl };
	// memory mode keeps every image as base64 in the V8 heap: give it room (the default limit here
	// is about 4 GB); --expose-gc: the baseline is taken after a full collection.
	const worker = await startWorker({
		binaryMode,
		countWrites: binaryMode === 'filesystem',
		execArgv: ['--expose-gc', ...(binaryMode === 'memory' ? ['--max-old-space-size=8192'] : [])],
	});
	try {
		// One prompt and seed: the emulator renders the noise PNG once and serves it from its cache,
		// so its CPU stays out of the way; every item is still its own download and its own file.
		const parameters = fluxParameters({ concurrency: m.concurrency, seed: 42 });
		const item = () => ({ prompt: 'bench memory noise' });
		log(`memory (${binaryMode}): warm-up, ${m.warmup} images`);
		await worker.call('node', { parameters, input: Array.from({ length: m.warmup }, item), credentials });
		log(`memory (${binaryMode}): ${m.count} images of ${m.size.width}x${m.size.height} noise, concurrency ${m.concurrency}`);
		await worker.call('loopDelayStart');
		const { result, writesBefore, writesAfter, ...peak } = await measurePeak(worker, {
			parameters,
			input: Array.from({ length: m.count }, item),
			credentials,
		});
		const loopDelay = await worker.call('loopDelayStop');
		if (result.binaries !== m.count) throw new Error(`memory run (${binaryMode}) produced ${result.binaries} of ${m.count} images: ${result.error ?? ''}`);
		// n8n's own floor for the same stream: the reference node (n8n's helpers only) downloading the
		// same images at the same concurrency, in the same process. The loop's delay depends as much on
		// the machine's load as on the code, so the two are read side by side.
		let referenceLoopDelay;
		if (binaryMode === 'filesystem') {
			log(`memory (${binaryMode}): the reference node, same ${m.count} images, for the event loop's floor`);
			await worker.call('loopDelayStart');
			const reference = await worker.call('reference', {
				parameters: { prompt: '={{ $json.prompt }}', concurrency: m.concurrency },
				input: Array.from({ length: m.count }, item),
				credentials,
			});
			referenceLoopDelay = await worker.call('loopDelayStop');
			if (reference.binaries !== m.count) throw new Error(`reference run produced ${reference.binaries} of ${m.count} images: ${reference.error ?? ''}`);
		}
		return {
			binaryMode,
			count: m.count,
			bytes: result.bytes,
			wallMs: result.wallMs,
			loopDelay,
			referenceLoopDelay,
			...peak,
			writes:
				binaryMode === 'filesystem'
					? {
							streamedBodies: writesAfter.streamedBodies - writesBefore.streamedBodies,
							bufferedBodies: writesAfter.bufferedBodies - writesBefore.bufferedBodies,
							largestChunk: writesAfter.largestChunk,
							largestBufferedBody: writesAfter.largestBufferedBody,
						}
					: undefined,
		};
	} finally {
		await worker.stop();
		await emulator.close();
	}
}

/** One very large image in filesystem mode: RSS growth well under its size = it was streamed. */
async function measureLargeImage() {
	const { size } = CONFIG.largeImage;
	const emulator = await startEmulator({ apiKey: 'bench-key', noiseImages: true, imageSize: size });
	const credentials = { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl };
	const worker = await startWorker({ binaryMode: 'filesystem', countWrites: true, execArgv: ['--expose-gc'] });
	try {
		const parameters = fluxParameters({ concurrency: 1, seed: 7 });
		parameters.options.maxImageSizeMb = 1024;
		const input = [{ prompt: 'bench large noise' }];
		log(`streaming check: one ${size.width}x${size.height} noise PNG, filesystem mode (warm-up, then measured)`);
		await worker.call('node', { parameters, input, credentials });
		const { result, writesBefore, writesAfter, baselineMb, peakMb, growthMb } = await measurePeak(worker, {
			parameters,
			input,
			credentials,
		});
		if (result.binaries !== 1) throw new Error(`large image run produced no image: ${result.error ?? ''}`);
		return {
			size,
			bytes: result.bytes,
			wallMs: result.wallMs,
			baselineMb,
			peakMb,
			growthMb,
			streamed: writesAfter.streamedBodies - writesBefore.streamedBodies,
			buffered: writesAfter.bufferedBodies - writesBefore.bufferedBodies,
			largestChunk: writesAfter.largestChunk,
		};
	} finally {
		await worker.stop();
		await emulator.close();
	}
}

// ---------------------------------------------------------------- 4: real n8n

async function measureRealN8n() {
	const { runN8nBaseline } = require('./lib/n8n-baseline');
	const c = CONFIG.n8n;
	const emulator = await startEmulator({ apiKey: `bench-key-${process.pid}`, latencyMs: c.latencyMs });
	try {
		const { results } = await runN8nBaseline({ emulator, count: c.count, concurrency: c.concurrency, latencyMs: c.latencyMs, repeats: c.repeats, log, keep: options.keep });
		return { ...c, idealMs: Math.ceil(c.count / c.concurrency) * c.latencyMs, results };
	} finally {
		await emulator.close();
	}
}

// ---------------------------------------------------------------- report

const verdict = (holds) => (holds ? '**yes**' : '**no**');

function report(r) {
	const lines = [];
	const out = (line = '') => lines.push(line);
	const { throughput: t, overhead: o, memory, n8n } = r;
	const fsMem = memory.find((x) => x.binaryMode === 'filesystem');
	const memMem = memory.find((x) => x.binaryMode === 'memory');

	out(`## Pomelo node benchmark${options.quick ? ' (--quick: scaled down, a smoke test, not the targets)' : ''}`);
	out();
	out(`${new Date().toISOString()} · Node ${process.version} · ${os.cpus().length} CPUs · load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} at the end · n8n-core ${require(path.join(ROOT, 'node_modules', 'n8n-core', 'package.json')).version}`);
	out();
	out('| Measure | Result | Target | Holds |');
	out('|---|---|---|---|');
	out(
		`| Throughput: N=${t.count}, L=${t.latencyMs} ms, C=${t.concurrency}; wall time / ideal ceil(N/C)·L = ${t.idealMs} ms | ${fmt(t.median.wallMs, 0)} ms = **${fmt(t.median.ratio, 2)}×** (median of ${t.runs.length}; ${fmt(t.ratioRange[0], 2)}–${fmt(t.ratioRange[1], 2)}×) | ≤ ${TARGETS.throughputRatio}× | ${verdict(t.median.ratio <= TARGETS.throughputRatio)} |`,
	);
	out(
		`| Node overhead per image at zero latency (wall time − emulator's work, one item at a time) | **${fmt(o.node.beyondPerImage, 2)} ms** (median of ${o.repeats}; ${fmt(o.node.beyondRange[0], 2)}–${fmt(o.node.beyondRange[1], 2)}) | < ${TARGETS.overheadMs} ms | ${verdict(o.node.beyondPerImage < TARGETS.overheadMs)} |`,
	);
	out(
		`| … of which n8n's own floor: a reference node doing only n8n's helpers, same engine and requests | ${fmt(o.reference.beyondPerImage, 2)} ms; Pomelo − reference: ${fmt(o.node.beyondPerImage - o.reference.beyondPerImage, 2)} ms wall, ${fmt(o.node.cpuPerImage - o.reference.cpuPerImage, 2)} ms CPU | — | — |`,
	);
	out(
		`| Peak RSS growth, ${fsMem.count} images × ${fmt(fsMem.bytes / fsMem.count / 1e6, 1)} MB = ${fmt(fsMem.bytes / 1e9, 2)} GB, filesystem binary mode | **${fmt(fsMem.growthMb, 0)} MB** | < ${TARGETS.fsGrowthMb} MB | ${verdict(fsMem.growthMb < TARGETS.fsGrowthMb)} |`,
	);
	out(`| Same, memory (default) binary mode, for comparison | ${fmt(memMem.growthMb, 0)} MB | — | — |`);
	out(
		`| Event loop delay while those ${fmt(fsMem.bytes / 1e9, 2)} GB stream into n8n's binary store: p99 (p50, max) | **${fmt(fsMem.loopDelay.p99Ms, 1)} ms** (${fmt(fsMem.loopDelay.p50Ms, 1)}, ${fmt(fsMem.loopDelay.maxMs, 0)}) | < ${TARGETS.loopDelayP99Ms} ms | ${verdict(fsMem.loopDelay.p99Ms < TARGETS.loopDelayP99Ms)} |`,
	);
	out(
		`| … the same images through the reference node (n8n's helpers only), same process and concurrency: p99 (p50, max) | ${fmt(fsMem.referenceLoopDelay.p99Ms, 1)} ms (${fmt(fsMem.referenceLoopDelay.p50Ms, 1)}, ${fmt(fsMem.referenceLoopDelay.maxMs, 0)}); Pomelo / reference p99: ${fmt(fsMem.loopDelay.p99Ms / fsMem.referenceLoopDelay.p99Ms, 2)}× | — | — |`,
	);
	const big = r.largeImage;
	out(
		`| Streaming: peak RSS growth for one ${big.size.width}x${big.size.height} image of ${fmt(big.bytes / 1e6, 0)} MB, filesystem mode | **${fmt(big.growthMb, 0)} MB** | well under the image's ${fmt(big.bytes / 1024 / 1024, 0)} MiB (never held whole) | ${verdict(big.growthMb < big.bytes / 1024 / 1024 / 2 && big.buffered === 0)} |`,
	);
	if (n8n) {
		const pomelo = n8n.results.find((x) => x.key === 'pomelo');
		out(
			`| The throughput job in real n8n 2.41.1 (Pomelo node, C=${n8n.concurrency}, N=${n8n.count}, L=${n8n.latencyMs} ms) / ideal ${n8n.idealMs} ms | ${fmt(pomelo.jobMs, 0)} ms = ${fmt(pomelo.jobMs / n8n.idealMs, 2)}× (median of ${n8n.repeats}) | (for information) | — |`,
		);
		for (const key of ['http-batching', 'http-loop']) {
			const base = n8n.results.find((x) => x.key === key);
			const ratio = pomelo.jobMs / base.jobMs;
			out(
				`| Real n8n, N=${n8n.count}, L=${n8n.latencyMs} ms: Pomelo (C=${n8n.concurrency}) time / ${base.label} time | **${fmt(ratio, 2)}×** (${fmt(pomelo.jobMs, 0)} / ${fmt(base.jobMs, 0)} ms, medians of ${n8n.repeats}) | ≤ ${TARGETS.vsHttp}× (not slower) | ${verdict(ratio <= TARGETS.vsHttp && !pomelo.error && !base.error)} |`,
			);
		}
	} else {
		out('| Real n8n comparison with the HTTP Request node | skipped (--skip-n8n) | not slower at equal concurrency | — |');
	}
	out();

	out('### Throughput');
	out();
	out('| Run | Wall time | / ideal | Emulator\'s time per generation (mean) | API slots busy | Slot idle per item | Node CPU per image | API requests in flight (max) | Downloads in flight (max) |');
	out('|---|---|---|---|---|---|---|---|---|');
	t.runs.forEach((run, i) =>
		out(
			`| ${i + 1} | ${fmt(run.wallMs, 0)} ms | ${fmt(run.ratio, 3)}× | ${fmt(run.apiMeanMs, 1)} ms | ${fmt(run.apiBusy * 100, 1)} % | ${fmt(run.slotIdlePerItem, 1)} ms | ${fmt(run.cpuPerImage, 2)} ms | ${run.apiMaxInFlight} | ${run.imageMaxInFlight} |`,
		),
	);
	out();
	out(
		'Pomelo node (built `dist/`, Flux.1, one ~40 KB PNG per item) run by n8n-core\'s `WorkflowExecute` in a child process, filesystem binary mode; the emulator answers every generation after L ms, images at once. ' +
			'From the emulator\'s log: its time per generation (L plus its own handling), the share of the C slots\' time during which the API was working (Σ generation times / (C × wall)), ' +
			'and the slot\'s idle time per item ((C × wall − Σ generation times) / N): the node\'s turnaround from an answer to the next request, including waiting for the CPU.',
	);
	out();

	out('### Overhead per image at zero latency');
	out();
	out('| Client (same requests, one item at a time) | Wall time per image | Emulator\'s work per image | Wall − emulator | Client CPU per image |');
	out('|---|---|---|---|---|');
	const row = (label, x) => out(`| ${label} | ${fmt(x.wallPerImage, 2)} ms | ${fmt(x.emulatorPerImage, 2)} ms | ${fmt(x.beyondPerImage, 2)} ms | ${fmt(x.cpuPerImage, 2)} ms |`);
	row('**Pomelo node** (n8n engine)', o.node);
	row('Reference node: n8n helpers only (n8n engine)', o.reference);
	row('Plain `node:http` client, images streamed to files', o.raw);
	out();
	out(
		`Method: ${o.count} Flux items with latency 0 and concurrency 1, ${o.repeats} repetitions interleaved, medians. ` +
			"The emulator's work is the sum over its request log (generation POST and image GET) of `endedAt − startedAt`, per image; " +
			'what is left of the wall time is the client\'s own time (its CPU, loopback, waiting for the CPU on a shared machine). ' +
			'The reference node (bench/lib/reference-node.js) does only what any node must: `httpRequestWithAuthentication` POST, `httpRequest` GET as a stream, `prepareBinaryData`; ' +
			`so Pomelo − reference (${fmt(o.node.beyondPerImage - o.reference.beyondPerImage, 2)} ms wall, ${fmt(o.node.cpuPerImage - o.reference.cpuPerImage, 2)} ms CPU) is the Pomelo node's own code (validation, size/format guard, retries, error mapping), ` +
			`reference − plain client (${fmt(o.reference.beyondPerImage - o.raw.beyondPerImage, 2)} ms) is n8n's (a new HTTP agent and connection per request, credential resolution, expressions, the binary store's temp file + rename + metadata file).`,
	);
	out();

	out('### Peak memory');
	out();
	out('| Binary data mode | Images | Data | Wall time | RSS before | Peak RSS (VmHWM) | Growth |');
	out('|---|---|---|---|---|---|---|');
	for (const x of memory) {
		out(`| ${x.binaryMode === 'filesystem' ? 'filesystem (n8n\'s default)' : 'memory (`default`)'} | ${x.count} | ${fmt(x.bytes / 1e9, 2)} GB | ${fmt(x.wallMs / 1000, 1)} s | ${fmt(x.baselineMb, 0)} MB | ${fmt(x.peakMb, 0)} MB | **${fmt(x.growthMb, 0)} MB** |`);
	}
	out();
	const w = fsMem.writes;
	out(
		`Each mode in its own child process (the emulator's memory is not in it); concurrency ${CONFIG.memory.concurrency}; incompressible ${CONFIG.memory.size.width}x${CONFIG.memory.size.height} PNGs. ` +
			'RSS before = VmRSS after a warm-up and a full GC; the peak is VmHWM (reset through /proc/<pid>/clear_refs before the run) and RSS sampled every 20 ms from /proc/<pid>/status. ' +
			`Streaming check (filesystem mode): n8n's store received ${w.streamedBodies} of ${fsMem.count} image bodies as streams and ${w.bufferedBodies} as whole buffers; the largest chunk written was ${fmt(w.largestChunk / 1024, 0)} KB ` +
			'(the bench wraps `fs.promises.writeFile`, which n8n\'s file-system store calls with the body it got from `prepareBinaryData`). ' +
			`One ${fmt(big.bytes / 1e6, 0)} MB image (node option Max Image Size raised): RSS ${fmt(big.baselineMb, 0)} → ${fmt(big.peakMb, 0)} MB, ` +
			`${big.streamed} body streamed, ${big.buffered} buffered, largest chunk ${fmt(big.largestChunk / 1024, 0)} KB, ${fmt(big.wallMs / 1000, 1)} s.`,
	);
	out();

	if (n8n) {
		out(`### Real n8n 2.41.1: the same job without this package (N=${n8n.count}, L=${n8n.latencyMs} ms, ideal at C=${n8n.concurrency}: ${n8n.idealMs} ms)`);
		out();
		out(`| Workflow | Settings | Job time (median of ${n8n.repeats}) | Range | / ideal | Pomelo / this | API requests in flight (max) | Items with an image |`);
		out('|---|---|---|---|---|---|---|---|');
		const pomelo = n8n.results.find((x) => x.key === 'pomelo');
		for (const x of n8n.results) {
			out(
				`| ${x.label} | ${x.settingsNote} | ${x.error ? `failed: ${String(x.error).split('\n')[0].slice(0, 120)}` : `${fmt(x.jobMs, 0)} ms`} | ${fmt(x.jobRange[0], 0)}–${fmt(x.jobRange[1], 0)} ms | ${fmt(x.jobMs / n8n.idealMs, 2)}× | ${x.key === 'pomelo' ? '—' : `${fmt(pomelo.jobMs / x.jobMs, 2)}×`} | ${x.stats.api.maxInFlight} | ${x.binaries} / ${n8n.count} |`,
			);
		}
		out();
		out(
			'Each workflow: Manual Trigger → Code (N prompts) → the job, imported and run with `n8n execute --id` (repetitions interleaved) (harness/n8n.js) in an n8n whose user folder has this package installed the community way. ' +
				'Job time = first start to last end of the job\'s nodes in n8n\'s run data (`startTime` + `executionTime`), so n8n\'s start-up and the Code node are not counted. ' +
				'HTTP Request: POST with Header Auth and a JSON body, then GET `{{ $json.images[0].url }}` with Response Format: File. ' +
				'Its batching option sends a batch every interval without waiting for the previous one, so it does not bound concurrency by itself; Loop Over Items does, a batch at a time.',
		);
		out();
	}
	out(
		`Reproduce: \`npm run bench\` (about ${options.skipN8n ? 2 : 4} minutes here; \`--skip-n8n\` without real n8n, \`--quick\` for a smoke test, \`--images N\` for the memory measure). ` +
			'The first real-n8n run installs n8n 2.41.1 into ~/.cache/n8n-nodes-pomelo (about 7 minutes, once). ' +
			'On a shared machine compare ratios within one run, not timings across runs.',
	);
	return lines.join('\n');
}

// ---------------------------------------------------------------- main

async function main() {
	if (options.build) {
		log('npm run build');
		await runCommand('npm', ['run', 'build', '--silent']);
	} else if (!fs.existsSync(path.join(ROOT, 'dist', 'nodes', 'Pomelo', 'Pomelo.node.js'))) {
		throw new Error('dist/ is missing: run without --no-build, or npm run build');
	}
	const results = { options, config: CONFIG };
	Object.assign(results, await measureThroughputAndOverhead());
	results.memory = [await measureMemory('filesystem'), await measureMemory('memory')];
	results.largeImage = await measureLargeImage();
	if (!options.skipN8n) results.n8n = await measureRealN8n();
	results.loadAverage = os.loadavg();
	const text = report(results);
	process.stdout.write(`${text}\n`);
	if (options.json) fs.writeFileSync(options.json, JSON.stringify(results, null, 2));
	log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((error) => {
	process.stderr.write(`bench failed: ${error.stack ?? error}\n`);
	cleanup();
	process.exit(1);
});
