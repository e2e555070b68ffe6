#!/usr/bin/env node
// n8n's community package scanner (@n8n/scan-community-package, the check n8n runs before it
// verifies a package) on this package, without publishing it:
//   1. the `npm pack` tarball, unpacked, scanned with the patterns the scanner's own by-name check
//      uses for it (analyzePackageByName: '**/*.js' and 'package.json');
//   2. the source checkout with the scanner's SOURCE_FILE_PATTERNS — what its provenance leg lints
//      (package.json, nodes/ and credentials/ sources).
// Also lists the tarball's files. Usage: node scripts/scan-package.mjs [--json] [--no-build]
// Exit code 0 when both scans pass. Needs `npm run build` first unless it builds (default).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// eslint-plugin-n8n-nodes-base switches to its own rule-test behaviour (fixture file names) when
// NODE_ENV is "test", as it is under jest: scan as a real run does.
if (process.env.NODE_ENV === 'test') delete process.env.NODE_ENV;
const args = new Set(process.argv.slice(2));
/** What analyzePackageByName lints in the published tarball (scanner.mjs). */
const DIST_FILE_PATTERNS = ['**/*.js', 'package.json'];

function listFiles(dir, base = dir) {
	return readdirSync(dir).flatMap((name) => {
		const full = join(dir, name);
		return statSync(full).isDirectory() ? listFiles(full, base) : [relative(base, full)];
	});
}

// The scanner prints eslint crashes to the console; keep stdout clean for --json.
const quietConsole = () => {
	const original = console.error;
	console.error = (...a) => process.stderr.write(`${a.map(String).join(' ')}\n`);
	return () => (console.error = original);
};

async function main() {
	if (!args.has('--no-build')) execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
	const tmp = mkdtempSync(join(tmpdir(), 'pomelo-scan-'));
	try {
		const tarball = execFileSync('npm', ['pack', '--pack-destination', tmp, '--quiet', '--ignore-scripts'], { cwd: root, encoding: 'utf8' })
			.trim()
			.split('\n')
			.pop();
		const unpacked = join(tmp, 'unpacked');
		execFileSync('mkdir', ['-p', unpacked]);
		execFileSync('tar', ['-xzf', join(tmp, tarball), '-C', unpacked, '--strip-components=1']);
		const files = listFiles(unpacked).sort();

		const { analyzePackage, SOURCE_FILE_PATTERNS } = await import('@n8n/scan-community-package/scanner/scanner.mjs');
		const restore = quietConsole();
		let tarballScan;
		let sourceScan;
		try {
			tarballScan = await analyzePackage(unpacked, DIST_FILE_PATTERNS);
			sourceScan = await analyzePackage(root, SOURCE_FILE_PATTERNS);
		} finally {
			restore();
		}
		const strip = (r) => ({ passed: r.passed, message: r.message, details: r.details });
		const result = { tarball, files, tarballScan: strip(tarballScan), sourceScan: strip(sourceScan) };
		if (args.has('--json')) {
			process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
		} else {
			console.log(`${tarball}: ${files.length} files\n  ${files.join('\n  ')}`);
			for (const [name, r] of [['tarball', tarballScan], ['source', sourceScan]]) {
				console.log(`scan of the ${name}: ${r.passed ? 'passed' : `FAILED: ${r.message}`}${r.details ? `\n${r.details}` : ''}`);
			}
		}
		process.exitCode = tarballScan.passed && sourceScan.passed ? 0 : 1;
	} finally {
		rmSync(tmp, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
