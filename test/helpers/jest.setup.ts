// n8n-core writes its config and binary data under N8N_USER_FOLDER: give each test worker its own.
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

if (!process.env.POMELO_TEST_KEEP_USER_FOLDER) {
	process.env.N8N_USER_FOLDER = mkdtempSync(join(tmpdir(), 'pomelo-n8n-'));
}
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';

// Tests reach only this machine, whatever the code under test tries.
import './loopback-only';
