#!/usr/bin/env node
'use strict';
// node emulator/cli.js [--host 127.0.0.1] [--port 8787] [--image-port 8788] [--key test-key] [--latency 0]
// Environment: POMELO_EMULATOR_PORT, POMELO_EMULATOR_IMAGE_PORT, POMELO_EMULATOR_KEY, POMELO_EMULATOR_LATENCY_MS.

const { startEmulator } = require('./server');

/** @type {Record<string, 'host' | 'port' | 'imagePort' | 'apiKey' | 'latencyMs'>} */
const FLAGS = {
	'--host': 'host',
	'--port': 'port',
	'--image-port': 'imagePort',
	'--key': 'apiKey',
	'--latency': 'latencyMs',
};

/**
 * @param {string[]} argv
 * @param {NodeJS.ProcessEnv} env
 */
function parseArgs(argv, env) {
	const settings = {
		host: '127.0.0.1',
		port: env.POMELO_EMULATOR_PORT || '8787',
		imagePort: env.POMELO_EMULATOR_IMAGE_PORT || '8788',
		apiKey: env.POMELO_EMULATOR_KEY || 'test-key',
		latencyMs: env.POMELO_EMULATOR_LATENCY_MS || '0',
	};
	for (let i = 0; i < argv.length; i++) {
		const [flag, inlineValue] = argv[i].split(/=(.*)/s);
		if (flag === '--help' || flag === '-h') {
			console.log('Usage: node emulator/cli.js [--host 127.0.0.1] [--port 8787] [--image-port 8788] [--key test-key] [--latency 0]');
			process.exit(0);
		}
		const name = FLAGS[flag];
		if (!name) throw new Error(`Unknown option ${argv[i]}`);
		const value = inlineValue !== undefined ? inlineValue : argv[++i];
		if (value === undefined) throw new Error(`Option ${flag} needs a value`);
		settings[name] = value;
	}
	const toNumber = (/** @type {'port' | 'imagePort' | 'latencyMs'} */ name) => {
		const n = Number(settings[name]);
		if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number >= 0, got ${settings[name]}`);
		return n;
	};
	return { ...settings, port: toNumber('port'), imagePort: toNumber('imagePort'), latencyMs: toNumber('latencyMs') };
}

async function main() {
	const emulator = await startEmulator(parseArgs(process.argv.slice(2), process.env));
	console.log(`Pomelo emulator: api ${emulator.baseUrl} images ${emulator.imageBaseUrl} key ${emulator.apiKey}`);
	const stop = () => emulator.close().then(() => process.exit(0));
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error) => {
	console.error(`Pomelo emulator failed to start: ${error.message}`);
	process.exit(1);
});
