'use strict';
// The measured process of `npm run bench`: runs the built Pomelo node through n8n-core's engine
// (or a plain HTTP client doing the same requests) on commands from bench/run.js over IPC. The
// emulator lives in the parent, so this process's CPU time and RSS are the node's (plus n8n-core's).
//
// Environment (set by run.js): N8N_USER_FOLDER (a temporary folder), BENCH_BINARY_MODE
// ('filesystem' | 'memory'), BENCH_COUNT_WRITES=1 to record how image bodies reach the disk.

const fs = require('node:fs');
const fsp = require('node:fs/promises');
const http = require('node:http');
const path = require('node:path');
const { pipeline } = require('node:stream/promises');
const { monitorEventLoopDelay } = require('node:perf_hooks');

// How n8n's file-system store receives the images: it writes each binary with
// fs.promises.writeFile(tempPath, body). A Buffer body means the image was held whole in memory;
// a stream body is written chunk by chunk. Installed before n8n-core is loaded; the bench's own
// instrumentation, not part of the node.
const writes = { streamedBodies: 0, streamChunks: 0, largestChunk: 0, bufferedBodies: 0, largestBufferedBody: 0 };
if (process.env.BENCH_COUNT_WRITES === '1') {
	const original = fsp.writeFile;
	fsp.writeFile = function countedWriteFile(file, data, ...rest) {
		const isBytes = typeof data === 'string' || ArrayBuffer.isView(data);
		if (!isBytes && data && typeof data[Symbol.asyncIterator] === 'function') {
			writes.streamedBodies++;
			const source = data;
			async function* counted() {
				for await (const chunk of source) {
					writes.streamChunks++;
					if (chunk.length > writes.largestChunk) writes.largestChunk = chunk.length;
					yield chunk;
				}
			}
			return original.call(this, file, counted(), ...rest);
		}
		// Metadata files are a few hundred bytes; anything over 64 KiB is an image body.
		const size = isBytes ? Buffer.byteLength(data) : 0;
		if (size > 64 * 1024) {
			writes.bufferedBodies++;
			if (size > writes.largestBufferedBody) writes.largestBufferedBody = size;
		}
		return original.call(this, file, data, ...rest);
	};
}

const { runPomelo, useFilesystemBinaryData, REFERENCE_TYPE } = require('./lib/engine');

const binaryMode = process.env.BENCH_BINARY_MODE === 'memory' ? 'memory' : 'filesystem';
const ready = binaryMode === 'filesystem' ? useFilesystemBinaryData() : Promise.resolve();

function memory() {
	const status = fs.readFileSync('/proc/self/status', 'utf8');
	const kb = (name) => Number((new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status) || [])[1] || 0);
	return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM'), ...process.memoryUsage() };
}

function measure(fn) {
	return async (...args) => {
		const cpu0 = process.cpuUsage();
		const startedAt = Date.now();
		const t0 = performance.now();
		const result = await fn(...args);
		const wallMs = performance.now() - t0;
		const endedAt = Date.now();
		const cpu = process.cpuUsage(cpu0);
		// startedAt/endedAt: the same clock as the emulator's log, to place its requests in the run.
		return { ...result, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, startedAt, endedAt };
	};
}

/** The Pomelo node: `input` items, node `parameters`. */
const runNode = measure(async ({ parameters, input, credentials, type }) => {
	const { items, error } = await runPomelo({ parameters, input, credentials, type });
	let binaries = 0;
	let bytes = 0;
	for (const item of items) {
		for (const binary of Object.values(item.binary ?? {})) {
			binaries++;
			bytes += binary.bytes ?? 0;
		}
	}
	const errors = items.filter((item) => item.json?.error).length;
	return { items: items.length, binaries, bytes, errors, error: error ? String(error.message) : undefined };
});

// ---- The reference client: the same requests with nothing but node:http and a file stream. ----

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

function request(url, { method = 'GET', headers = {}, body } = {}) {
	return new Promise((resolve, reject) => {
		const req = http.request(url, { method, headers, agent }, resolve);
		req.on('error', reject);
		req.end(body);
	});
}

async function readText(res) {
	let text = '';
	res.setEncoding('utf8');
	for await (const chunk of res) text += chunk;
	return text;
}

/** Same work as one item of the node: POST the generation, stream each image to its own file. */
async function rawItem({ credentials, path: apiPath, body, dir, index }) {
	const res = await request(`${credentials.baseUrl}${apiPath}`, {
		method: 'POST',
		headers: { authorization: `Bearer ${credentials.apiKey}`, 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	const answer = JSON.parse(await readText(res));
	if (res.statusCode !== 200) throw new Error(`raw client: HTTP ${res.statusCode}`);
	let bytes = 0;
	await Promise.all(
		answer.images.map(async (image, k) => {
			const img = await request(image.url);
			img.on('data', (chunk) => (bytes += chunk.length));
			await pipeline(img, fs.createWriteStream(path.join(dir, `${index}-${k}.png`)));
		}),
	);
	return { images: answer.images.length, bytes };
}

const runRaw = measure(async ({ credentials, path: apiPath, bodies, concurrency, dir }) => {
	fs.mkdirSync(dir, { recursive: true });
	let next = 0;
	let binaries = 0;
	let bytes = 0;
	const lane = async () => {
		while (next < bodies.length) {
			const index = next++;
			const done = await rawItem({ credentials, path: apiPath, body: bodies[index], dir, index });
			binaries += done.images;
			bytes += done.bytes;
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, bodies.length) }, lane));
	fs.rmSync(dir, { recursive: true, force: true });
	return { items: bodies.length, binaries, bytes, errors: 0 };
});

// ---- IPC ----

let profiler;

let loopDelay;
const LOOP_DELAY_RESOLUTION_MS = 10;

const commands = {
	node: runNode,
	/** The reference node (n8n's helpers only, bench/lib/reference-node.js), same engine. */
	reference: (args) => runNode({ ...args, type: REFERENCE_TYPE }),
	raw: runRaw,
	/** Resets the peak (VmHWM) so that the next run's peak is its own. */
	async resetPeak() {
		global.gc?.();
		await new Promise((r) => setTimeout(r, 50));
		fs.writeFileSync('/proc/self/clear_refs', '5');
		return memory();
	},
	async memory() {
		return memory();
	},
	async writes() {
		return { ...writes };
	},
	/**
	 * How long the event loop was held up (n8n serves every other workflow and webhook on it):
	 * Node's loop-delay histogram, from loopDelayStart to loopDelayStop. It records the time between
	 * ticks of a 10 ms timer: the delay is that time minus the 10 ms.
	 */
	async loopDelayStart() {
		loopDelay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
		loopDelay.enable();
		return {};
	},
	async loopDelayStop() {
		loopDelay.disable();
		const ms = (ns) => Math.max(0, ns / 1e6 - LOOP_DELAY_RESOLUTION_MS);
		const figures = { p50Ms: ms(loopDelay.percentile(50)), p99Ms: ms(loopDelay.percentile(99)), maxMs: ms(loopDelay.max), samples: loopDelay.count };
		loopDelay = undefined;
		return figures;
	},
	/** CPU profile of what runs until profileStop (bench/run.js --profile). */
	async profileStart() {
		const { Session } = require('node:inspector/promises');
		profiler = new Session();
		profiler.connect();
		await profiler.post('Profiler.enable');
		await profiler.post('Profiler.setSamplingInterval', { interval: 200 });
		await profiler.post('Profiler.start');
		return {};
	},
	async profileStop({ file }) {
		const { profile } = await profiler.post('Profiler.stop');
		profiler.disconnect();
		profiler = undefined;
		fs.writeFileSync(file, JSON.stringify(profile));
		return { file };
	},
	async exit() {
		setImmediate(() => process.exit(0));
		return {};
	},
};

// The parent went away: nothing left to measure.
process.on('disconnect', () => process.exit(0));

process.on('message', async (message) => {
	const { id, cmd, args } = message;
	try {
		await ready;
		const result = await commands[cmd](args);
		process.send({ id, ok: true, result });
	} catch (error) {
		process.send({ id, ok: false, error: String(error?.stack ?? error) });
	}
});

ready.then(
	() => process.send({ id: 0, ok: true, result: { ready: true, binaryMode, ...memory() } }),
	(error) => process.send({ id: 0, ok: false, error: String(error?.stack ?? error) }),
);
