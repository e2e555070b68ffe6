#!/usr/bin/env node
'use strict';
// npm run demo: a real n8n 2.41.1 with this package installed as a community package runs the
// example "scheduled content pipeline" workflow (from its manual trigger) and writes the generated
// images into ./output/ through its Read/Write Files node.
//
// Without POMELO_API_KEY it talks to the project's emulator (started here on loopback ports); with
// POMELO_API_KEY (and optionally POMELO_BASE_URL) it talks to the real Pomelo API.
// Options: --workflow <examples/file.json> runs another example; --no-build skips `npm run build`.

const fs = require('node:fs');
const path = require('node:path');
const { ROOT, EXAMPLES, loadExample, step, elapsed, startApi, prepareN8n, summarizeWrittenImages, formatImageLine } = require('../harness');

/** @param {string[]} argv */
function parseArgs(argv) {
	const args = { workflow: EXAMPLES.pipeline, build: true };
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--no-build') args.build = false;
		else if (argv[i] === '--workflow') args.workflow = path.basename(argv[++i] || '');
		else if (argv[i] === '--help' || argv[i] === '-h') {
			console.log('Usage: npm run demo [-- --workflow 02-midjourney-variations.json] [-- --no-build]');
			console.log('Environment: POMELO_API_KEY (use the real API), POMELO_BASE_URL (its base URL).');
			process.exit(0);
		} else throw new Error(`Unknown option ${argv[i]}`);
	}
	return args;
}

async function main() {
	const started = Date.now();
	const args = parseArgs(process.argv.slice(2));
	const outputDir = path.join(ROOT, 'output');
	fs.mkdirSync(outputDir, { recursive: true });

	const api = await startApi();
	let n8n;
	try {
		n8n = await prepareN8n({ workDir: path.join(ROOT, '.tmp', 'demo'), filesDir: outputDir, api, build: args.build });
		const workflow = loadExample(args.workflow, { filesDir: outputDir });
		let t = Date.now();
		await n8n.importWorkflow(workflow);
		step(`imported the workflow "${workflow.name}" (${elapsed(t)})`);

		t = Date.now();
		step(`executing it with \`n8n execute --id=${workflow.id}\``);
		const result = await n8n.execute(workflow.id, { allowFailure: true });
		const resultData = result.run && result.run.data && result.run.data.resultData;
		if (!resultData || result.code !== 0) {
			const error = resultData && resultData.error;
			throw new Error(
				`the workflow failed${error ? `: ${error.message}${error.description ? ` (${error.description})` : ''}` : ''}; n8n's output:\n` +
					`${(result.stdout + result.stderr).slice(-4000)}`,
			);
		}
		step(`executed (${elapsed(t)})`);

		const images = summarizeWrittenImages(workflow, resultData.runData);
		if (images.length === 0) throw new Error('the workflow ran but wrote no image');
		console.log(`\n${images.length} image${images.length === 1 ? '' : 's'} written by n8n into ${path.relative(process.cwd(), outputDir) || '.'}/:`);
		for (const image of images) console.log(formatImageLine(image, process.cwd()));
		step(`done in ${elapsed(started)}`);
	} catch (error) {
		if (n8n) n8n.printLogs(process.stderr, 12_000);
		throw error;
	} finally {
		await api.close();
	}
}

main().catch((error) => {
	console.error(`\ndemo failed: ${error && error.message ? error.message : error}`);
	process.exit(1);
});
