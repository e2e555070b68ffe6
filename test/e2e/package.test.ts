// The package as npm would publish it: what the tarball holds, and n8n's community package scanner
// (@n8n/scan-community-package, the check behind n8n's verification) on it, via
// scripts/scan-package.mjs (the scanner is an ES module; jest here runs CommonJS).
import { join } from 'path';

import { ROOT, run } from './helpers';

interface ScanResult {
	tarball: string;
	files: string[];
	tarballScan: { passed: boolean; message?: string; details?: string };
	sourceScan: { passed: boolean; message?: string; details?: string };
}

let result: ScanResult;

beforeAll(async () => {
	// global-setup.js has built dist/ already.
	const out = await run(join(ROOT, 'node_modules', '.bin', 'node'), [join(ROOT, 'scripts', 'scan-package.mjs'), '--json', '--no-build'], {
		allowFailure: true,
	});
	result = JSON.parse(out.stdout) as ScanResult;
});

test('the npm pack tarball holds dist, README, LICENSE and package.json, and nothing of tests or tools', () => {
	const { files } = result;
	expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'dist/nodes/Pomelo/Pomelo.node.js', 'dist/credentials/PomeloApi.credentials.js']));
	expect(files).toEqual(expect.arrayContaining(['dist/nodes/Pomelo/pomelo.svg', 'dist/nodes/Pomelo/pomelo.dark.svg', 'dist/nodes/Pomelo/Pomelo.node.json']));
	// index.js is package.json's "main" (npm always packs it).
	const allowed = /^(package\.json|README\.md|LICENSE|index\.js|dist\/.+)$/;
	expect(files.filter((f) => !allowed.test(f))).toEqual([]);
	const tooling = /(^|\/)(test|tests|__tests__|emulator|scripts|examples|docs|node_modules)\/|\.test\.|\.spec\.|tsconfig|jest|eslint|gulpfile/i;
	expect(files.filter((f) => tooling.test(f))).toEqual([]);
});

test("n8n's community package scanner passes on the unpacked tarball", () => {
	expect(result.tarballScan.details ?? result.tarballScan.message ?? '').toBe('');
	expect(result.tarballScan.passed).toBe(true);
});

test("n8n's community package scanner passes on the sources (what it lints for a package with provenance)", () => {
	expect(result.sourceScan.details ?? result.sourceScan.message ?? '').toBe('');
	expect(result.sourceScan.passed).toBe(true);
});
