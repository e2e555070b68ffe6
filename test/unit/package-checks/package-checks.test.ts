// What n8n's verification asks of a community node's code, checked on the built package (the
// TypeScript compiler's output, as `npm run build` writes it to dist/): it imports only n8n-workflow,
// zod, lodash, luxon, moment, p-limit, crypto and its own files; it reads no environment variable and
// no file. Two ways: every file of the build read as JavaScript (all code paths), and one real
// generation through n8n-core's engine with process.env and fs watched (probe.js).
import { execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { dirname, join, relative, resolve } from 'path';
import * as ts from 'typescript';

const ROOT = resolve(__dirname, '..', '..', '..');
const NODE = join(ROOT, 'node_modules', '.bin', 'node');
/** The modules n8n lets a community node import (DESIGN.md; n8n's community lint and scanner). */
const ALLOWED_MODULES = ['n8n-workflow', 'zod', 'lodash', 'luxon', 'moment', 'p-limit', 'crypto'];
const isAllowed = (request: string) =>
	ALLOWED_MODULES.some((m) => request === m || request.startsWith(`${m}/`)) || request === 'node:crypto';

let buildDir: string;
let jsFiles: string[];

function listJs(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = join(dir, name);
		if (statSync(full).isDirectory()) return listJs(full);
		return full.endsWith('.js') ? [full] : [];
	});
}

beforeAll(() => {
	// Inside the checkout, so that the build resolves n8n-workflow and zod from node_modules as
	// dist/ does (n8n puts its own copies on the module path in production).
	mkdirSync(join(ROOT, '.tmp'), { recursive: true });
	buildDir = mkdtempSync(join(ROOT, '.tmp', 'package-checks-build-'));
	execFileSync(NODE, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.json'), '--outDir', buildDir], {
		cwd: ROOT,
		stdio: ['ignore', 'inherit', 'inherit'],
	});
	jsFiles = listJs(buildDir);
}, 240_000);

afterAll(() => rmSync(buildDir, { recursive: true, force: true }));

interface Finding {
	file: string;
	line: number;
	what: string;
}

/** Every require()/import of the file, and every use of what a community node may not touch. */
function readBuiltFile(file: string) {
	const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
	const requests: Array<{ request: string; line: number }> = [];
	const forbidden: Finding[] = [];
	const at = (node: ts.Node) => ({ file: relative(buildDir, file), line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
	const visit = (node: ts.Node): void => {
		if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require') {
			const [arg] = node.arguments;
			if (arg && ts.isStringLiteralLike(arg)) requests.push({ request: arg.text, line: at(node).line });
			else forbidden.push({ ...at(node), what: 'require() of a computed name' });
		}
		if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
			forbidden.push({ ...at(node), what: 'dynamic import()' });
		}
		if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
			requests.push({ request: node.moduleSpecifier.text, line: at(node).line });
		}
		if (ts.isIdentifier(node) && ['process', 'globalThis', '__dirname', '__filename', 'eval'].includes(node.text)) {
			// A property name (`x.process`) is not the global.
			const parent = node.parent;
			const isPropertyName = (ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node);
			if (!isPropertyName) forbidden.push({ ...at(node), what: node.text });
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return { requests, forbidden };
}

describe('the built package, read file by file', () => {
	test('holds the node and the credential', () => {
		const names = jsFiles.map((f) => relative(buildDir, f));
		expect(names).toEqual(expect.arrayContaining([join('nodes', 'Pomelo', 'Pomelo.node.js'), join('credentials', 'PomeloApi.credentials.js')]));
	});

	test('requires only n8n-workflow, zod, lodash, luxon, moment, p-limit, crypto and its own files', () => {
		const outside: Finding[] = [];
		const strayRelative: Finding[] = [];
		let count = 0;
		for (const file of jsFiles) {
			for (const { request, line } of readBuiltFile(file).requests) {
				count++;
				const where = { file: relative(buildDir, file), line, what: request };
				if (request.startsWith('./') || request.startsWith('../')) {
					// A relative path stays inside the package.
					const target = resolve(dirname(file), request);
					if (!target.startsWith(buildDir)) strayRelative.push(where);
				} else if (!isAllowed(request)) {
					outside.push(where);
				}
			}
		}
		expect(count).toBeGreaterThan(jsFiles.length); // the walk found the requires
		expect(outside).toEqual([]);
		expect(strayRelative).toEqual([]);
	});

	test('the reader catches what it looks for (a canary file beside the build)', () => {
		const file = `${buildDir}-canary.js`;
		writeFileSync(file, "const fs = require('fs');\nconst name = 'os';\nrequire(name);\nmodule.exports = () => process.env.HOME ?? globalThis.x;\n");
		try {
			const { requests, forbidden } = readBuiltFile(file);
			expect(requests.map((r) => r.request)).toEqual(['fs']);
			expect(forbidden.map((f) => `${f.line}: ${f.what}`)).toEqual(['3: require() of a computed name', '4: process', '4: globalThis']);
		} finally {
			rmSync(file, { force: true });
		}
	});

	test('uses no process (environment), globalThis, __dirname, __filename or eval, and no computed require or import()', () => {
		const forbidden = jsFiles.flatMap((file) => readBuiltFile(file).forbidden);
		expect(forbidden).toEqual([]);
	});
});

describe('the built package, running a Flux.1 generation in n8n-core with process.env and fs watched', () => {
	interface ProbeReport {
		buildDir: string;
		requires: Array<{ request: string; from: string }>;
		envReads: Array<{ name: string; at: string }>;
		fsCalls: Array<{ call: string; at: string }>;
		/** A module that requires os, reads HOME and reads a file on purpose, watched the same way. */
		canary: { requires: Array<{ request: string }>; envReads: Array<{ name: string }>; fsCalls: Array<{ call: string }> };
		images: Array<{ mimeType: string; id?: string; size: number; signature: string }>;
		error: string | null;
	}
	let report: ProbeReport;

	beforeAll(() => {
		const out = execFileSync(NODE, [join(__dirname, 'probe.js'), buildDir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
		report = JSON.parse(out.trim().split('\n').pop()!) as ProbeReport;
	}, 120_000);

	test('the watching works: the canary module is caught requiring os, reading HOME and reading a file', () => {
		expect(report.canary.requires.map((r) => r.request)).toEqual(['os', 'fs']);
		expect(report.canary.envReads.map((r) => r.name)).toEqual(['HOME']);
		// (readFileSync goes on to call fs.openSync, readSync and closeSync: all on the canary's behalf)
		expect(report.canary.fsCalls[0].call).toBe('fs.readFileSync');
	});

	test('the generation ran: one PNG stored by n8n on disk', () => {
		expect(report.error).toBeNull();
		expect(report.images).toHaveLength(1);
		expect(report.images[0].mimeType).toBe('image/png');
		expect(report.images[0].signature).toBe('89504e470d0a1a0a');
		expect(report.images[0].id).toMatch(/^filesystem(-v2)?:/);
	});

	test('its files required only the allowed modules and each other', () => {
		expect(report.requires.length).toBeGreaterThan(0);
		const outside = report.requires.filter(({ request }) => !request.startsWith('./') && !request.startsWith('../') && !isAllowed(request));
		expect(outside).toEqual([]);
	});

	test('it read no environment variable', () => {
		expect(report.envReads).toEqual([]);
	});

	test('it made no file system call of its own (n8n stored the image)', () => {
		expect(report.fsCalls).toEqual([]);
	});
});
