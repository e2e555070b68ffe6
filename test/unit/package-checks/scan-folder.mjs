// Child process of scanner-rules.test.ts (the scanner is an ES module; jest here runs CommonJS):
// n8n's community package scanner on one folder with the given file patterns, as the scanner itself
// runs it (analyzePackage). Prints { passed, message, details } as JSON.
// Usage: node scan-folder.mjs <dir> <pattern>...
import { resolve } from 'node:path';

import { analyzePackage } from '@n8n/scan-community-package/scanner/scanner.mjs';

// eslint-plugin-n8n-nodes-base switches to its own rule-test behaviour when NODE_ENV is "test".
if (process.env.NODE_ENV === 'test') delete process.env.NODE_ENV;
const [folder, ...patterns] = process.argv.slice(2);
const dir = resolve(folder);
const original = console.error;
console.error = (...a) => process.stderr.write(`${a.map(String).join(' ')}\n`);
const { passed, message, details } = await analyzePackage(dir, patterns);
console.error = original;
process.stdout.write(`${JSON.stringify({ passed, message, details: details ?? null })}\n`);
