// n8n's community package scanner (@n8n/scan-community-package, the check behind n8n's
// verification) lints package.json: no runtime dependencies, n8n-workflow as the only peer
// dependency ("*"), an author, a licence, a repository that is not the starter's placeholder. This
// package's package.json passes it; one that breaks each rule is refused with the rule named (so
// the rules are on, and the pass means something). The scan of the packed tarball, which includes
// its package.json, is in test/e2e/package.test.ts.
import { execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';

const ROOT = resolve(__dirname, '..', '..', '..');
const NODE = join(ROOT, 'node_modules', '.bin', 'node');

interface ScanResult {
	passed: boolean;
	message?: string;
	details: string | null;
}

function scanPackageJson(packageJson: Record<string, unknown>): ScanResult {
	mkdirSync(join(ROOT, '.tmp'), { recursive: true });
	const dir = mkdtempSync(join(ROOT, '.tmp', 'scanner-rules-'));
	try {
		writeFileSync(join(dir, 'package.json'), JSON.stringify(packageJson, null, 2));
		const out = execFileSync(NODE, [join(__dirname, 'scan-folder.mjs'), dir, 'package.json'], { cwd: ROOT, encoding: 'utf8' });
		return JSON.parse(out.trim().split('\n').pop()!) as ScanResult;
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

const ours = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;

test("this package's package.json passes the scanner's package.json rules", () => {
	const result = scanPackageJson(ours);
	expect(result.details ?? '').toBe('');
	expect(result.passed).toBe(true);
}, 60_000);

test('a package.json with a runtime dependency, a pinned peer, no author, no licence and the placeholder repository is refused, each rule named', () => {
	const broken: Record<string, unknown> = {
		...ours,
		dependencies: { axios: '1.18.0' },
		peerDependencies: { 'n8n-workflow': '^2.0.0' },
		repository: { type: 'git', url: 'https://github.com/<...>/n8n-nodes-<...>.git' },
	};
	delete broken.author;
	delete broken.license;
	const result = scanPackageJson(broken);
	expect(result.passed).toBe(false);
	for (const rule of [
		'@n8n/community-nodes/no-runtime-dependencies',
		'@n8n/community-nodes/valid-peer-dependencies',
		'@n8n/community-nodes/valid-author',
		'n8n-nodes-base/community-package-json-license-missing',
		'n8n-nodes-base/community-package-json-repository-url-still-default',
	]) {
		expect(result.details).toContain(rule);
	}
}, 60_000);
