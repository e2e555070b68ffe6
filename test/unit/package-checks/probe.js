'use strict';
// Child process of package-checks.test.ts: loads a build of the package (argv[2]) and runs its
// Flux.1 operation once through n8n-core's real engine against the emulator, with binary data on
// disk. Meanwhile it records, attributed to the build's own code:
//   - every module the build's files require (Module._load with a parent inside the build);
//   - every read of process.env whose calling frame is in the build;
//   - every fs / fs.promises call whose calling frame is in the build.
// "Calling frame" is the innermost stack frame outside Node's internals and this probe: a file that
// n8n-core writes on the node's behalf (prepareBinaryData) is n8n-core's call, not the node's.
// A canary module outside the build does all three on purpose and is reported apart, so a test
// sees that the watching works. Prints one JSON report on stdout.

const fs = require('node:fs');
const Module = require('node:module');
const os = require('node:os');
const path = require('node:path');

const buildDir = path.resolve(process.argv[2]);
const root = path.resolve(__dirname, '..', '..', '..');
Error.stackTraceLimit = Infinity;

const canaryDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pomelo-canary-'));
const canaryFile = path.join(canaryDir, 'canary.js');
fs.writeFileSync(
	canaryFile,
	"'use strict';\nmodule.exports = () => [require('os').hostname(), process.env.HOME, require('fs').readFileSync(__filename).length];\n",
);

const requires = [];
const envReads = [];
const fsCalls = [];
const canary = { requires: [], envReads: [], fsCalls: [] };

/** The innermost frame outside node: internals and this file, as "file:line:col" (or undefined). */
function callingFrame() {
	const frames = (new Error().stack ?? '').split('\n').slice(1);
	for (const line of frames) {
		const m = /\(?((?:\/|[A-Za-z]:\\)[^():]+):(\d+):(\d+)\)?\s*$/.exec(line);
		if (!m) continue; // node:internal frames, native frames
		if (m[1] === __filename) continue;
		return { file: m[1], where: `${path.relative(root, m[1])}:${m[2]}` };
	}
	return undefined;
}
const inBuild = (file) => file === buildDir || file.startsWith(buildDir + path.sep);
/** The record lists for code in `file`: the build's, the canary's, or none. */
const recordsFor = (file) => (inBuild(file) ? { requires, envReads, fsCalls } : file === canaryFile ? canary : undefined);

const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
	const records = parent?.filename && recordsFor(parent.filename);
	if (records) records.requires.push({ request, from: path.relative(buildDir, parent.filename) });
	return originalLoad.apply(this, [request, parent, isMain]);
};

function recordEnvRead(name) {
	const frame = callingFrame();
	const records = frame && recordsFor(frame.file);
	if (records) records.envReads.push({ name, at: frame.where });
}

const realEnv = process.env;
process.env = new Proxy(realEnv, {
	get(target, key) {
		recordEnvRead(String(key));
		return Reflect.get(target, key);
	},
	has(target, key) {
		recordEnvRead(String(key));
		return Reflect.has(target, key);
	},
	ownKeys(target) {
		recordEnvRead('(all names)');
		return Reflect.ownKeys(target);
	},
});

function watchFunctions(object, label) {
	for (const name of Object.keys(object)) {
		const original = object[name];
		if (typeof original !== 'function' || /^[A-Z]/.test(name)) continue; // skip classes (ReadStream…)
		object[name] = function watched(...args) {
			const frame = callingFrame();
			const records = frame && recordsFor(frame.file);
			if (records) records.fsCalls.push({ call: `${label}.${name}`, at: frame.where });
			return original.apply(this, args);
		};
	}
}
watchFunctions(fs, 'fs');
watchFunctions(fs.promises, 'fs.promises');

async function main() {
	process.env.N8N_USER_FOLDER = fs.mkdtempSync(path.join(os.tmpdir(), 'pomelo-probe-'));
	const { createEngine, useFilesystemBinaryData, binaryBuffer, startEmulator } = require(path.join(root, 'harness'));
	const { Pomelo } = require(path.join(buildDir, 'nodes', 'Pomelo', 'Pomelo.node.js'));
	const { PomeloApi } = require(path.join(buildDir, 'credentials', 'PomeloApi.credentials.js'));

	// The Flux.1 node exactly as the example workflow configures it.
	const example = JSON.parse(fs.readFileSync(path.join(root, 'examples', '03-flux-fixed-seed.json'), 'utf8'));
	const node = example.nodes.find((n) => n.type === 'n8n-nodes-pomelo.pomelo');

	await useFilesystemBinaryData();
	const apiKey = 'pk-probe-0123456789';
	const emulator = await startEmulator({ apiKey });
	try {
		const engine = createEngine({
			nodeTypes: { [node.type]: new Pomelo() },
			credentialTypes: { pomeloApi: new PomeloApi() },
		});
		const result = await engine.runWorkflow({
			nodes: [{ ...node, position: [0, 0] }],
			input: [{}],
			credentials: { apiKey, baseUrl: emulator.baseUrl },
		});
		const items = result.output(node.name);
		const error = result.error(node.name) ?? result.run.data.resultData.error;
		require(canaryFile)();
		const images = [];
		for (const item of items) {
			const bytes = await binaryBuffer(item);
			images.push({ mimeType: item.binary.data.mimeType, id: item.binary.data.id, size: bytes.length, signature: bytes.subarray(0, 8).toString('hex') });
		}
		process.stdout.write(
			`${JSON.stringify({ buildDir, requires, envReads, fsCalls, canary, images, error: error ? String(error.message) : null })}\n`,
		);
	} finally {
		await emulator.close();
		fs.rmSync(canaryDir, { recursive: true, force: true });
	}
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
