// Lint for every source file. The product (nodes/, credentials/, package.json) gets n8n's own lint
// set-up for community nodes (the one `n8n-node lint` runs) as is; its community-node rules (no
// process spawning, no hard-coded keys…) are about code that runs inside n8n, so the tooling
// (tests, emulator, scripts, bench) gets the same TypeScript rules without them, and plain
// JavaScript gets ESLint's recommended rules with Node's globals.
import js from '@eslint/js';
import globals from 'globals';
import { config } from '@n8n/node-cli/eslint';

const PRODUCT_TS = ['nodes/**/*.ts', 'credentials/**/*.ts'];
const isCommunityNodeRules = (c) => c.plugins?.['@n8n/community-nodes'] && c.files?.includes('**/*.ts');

export default [
	{ ignores: ['node_modules/**', 'coverage/**', 'output/**', '.tmp/**', 'dist/**'] },
	...config.map((c) => (isCommunityNodeRules(c) ? { ...c, files: PRODUCT_TS } : c)),
	{
		files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
		...js.configs.recommended,
		languageOptions: { ecmaVersion: 2023, sourceType: 'commonjs', globals: { ...globals.node } },
	},
	{ files: ['**/*.mjs'], languageOptions: { sourceType: 'module' } },
];
