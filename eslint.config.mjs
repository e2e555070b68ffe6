// n8n's own lint set-up for community nodes (the one `n8n-node lint` runs): the community-node
// rules in their recommended (n8n Cloud) form, plus eslint-plugin-n8n-nodes-base, used as is.
import { config } from '@n8n/node-cli/eslint';

export default [
	{ ignores: ['node_modules/**', 'coverage/**', 'output/**', '.tmp/**', 'emulator/**', 'scripts/**', 'bench/**', 'test/**', 'examples/**', '*.js', '*.mjs'] },
	...config,
];
