'use strict';
// A real n8n process for the demo, the dev editor and the end-to-end tests.
// CommonJS, runs under the project's Node 24 (npm scripts); n8n itself runs under the Node 24 that
// scripts/provide-n8n.sh installs next to it.
//
//   const { provideN8n, installPackage, N8n } = require('./harness');
//   const bin = await provideN8n();                       // cached install of n8n 2.41.1
//   const n8n = await N8n.create({ bin, workDir });        // own user folder, free ports
//   await installPackage(n8n.userFolder, { build: false }); // npm pack → .n8n/nodes (as n8n does)
//   await n8n.importCredentials([...]); await n8n.importWorkflow(wf);
//   const run = await n8n.execute(wf.id);                 // `n8n execute --id --rawOutput`
//   await n8n.start(); await n8n.setupOwner(); await n8n.rest('GET', '/rest/executions');
//   await n8n.stop();

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const PACKAGE_NAME = 'n8n-nodes-pomelo';
/** Type of the node when n8n loads the package from its community-packages folder. */
const NODE_TYPE = `${PACKAGE_NAME}.pomelo`;
const CREDENTIAL_TYPE = 'pomeloApi';

const OWNER = Object.freeze({
	email: 'owner@example.com',
	firstName: 'Pomelo',
	lastName: 'Owner',
	password: 'Pomelo-dev-1',
});

/**
 * A port nobody listens on right now (the kernel's choice), on the loopback interface. It is free
 * when asked, not reserved: another process may take it before n8n binds it, so every user of these
 * ports retries with new ones when the bind fails (PORT_CLASH below).
 */
function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = /** @type {net.AddressInfo} */ (server.address());
			server.close(() => resolve(port));
		});
	});
}

/**
 * n8n's output when a port it was given was taken in the meantime: its own ("n8n's port 5678 is
 * already in use") or the task broker's (EADDRINUSE).
 */
const PORT_CLASH = /EADDRINUSE|port \d+ is already in use/;
/** How many times a command whose port was taken is started again with new ports. */
const PORT_ATTEMPTS = 5;

/**
 * Distinct free ports (asked for together, so that two calls cannot hand out the same one).
 * @param {number} count
 * @returns {Promise<number[]>}
 */
async function freePorts(count) {
	const servers = [];
	try {
		for (let i = 0; i < count; i++) {
			const server = net.createServer();
			await new Promise((resolve, reject) => {
				server.on('error', reject);
				server.listen(0, '127.0.0.1', () => resolve(undefined));
			});
			servers.push(server);
		}
		return servers.map((s) => /** @type {net.AddressInfo} */ (s.address()).port);
	} finally {
		await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
	}
}

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * SIGTERM, then SIGKILL after graceMs; resolves when the process has exited.
 * @param {import('node:child_process').ChildProcess | null} child
 * @param {{ graceMs?: number, signal?: NodeJS.Signals }} [options]
 */
async function stopChild(child, { graceMs = 10_000, signal = 'SIGTERM' } = {}) {
	if (!child || child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((r) => child.once('exit', r));
	child.kill(signal);
	/** @type {NodeJS.Timeout | undefined} */
	let timer;
	const timedOut = await Promise.race([
		exited.then(() => false),
		new Promise((r) => (timer = setTimeout(() => r(true), graceMs))),
	]);
	clearTimeout(timer);
	if (timedOut) {
		child.kill('SIGKILL');
		await exited;
	}
}

/**
 * Runs scripts/provide-n8n.sh (installs n8n into a cache folder on the first call, then reuses it)
 * and resolves with the path of its `n8n` launcher. Its progress (a line every 30 s while npm works
 * silently) goes to stderr unless `quiet`.
 */
function provideN8n({ quiet = false } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn('bash', [path.join(ROOT, 'scripts', 'provide-n8n.sh')], {
			cwd: ROOT,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => {
			stderr += d;
			if (!quiet) process.stderr.write(d);
		});
		child.on('error', reject);
		child.on('close', (code) => {
			const bin = stdout.trim().split('\n').pop();
			if (code !== 0 || !bin || !fs.existsSync(bin)) {
				reject(new Error(`scripts/provide-n8n.sh failed (exit ${code}):\n${stderr.slice(-4000)}`));
			} else {
				resolve(bin);
			}
		});
	});
}

/**
 * @typedef {object} RunResult
 * @property {number | null} code
 * @property {NodeJS.Signals | null} signal
 * @property {string} stdout
 * @property {string} stderr
 */

/**
 * Runs a command, collects its output; rejects on a non-zero exit unless allowFailure (the error
 * carries the output as `result`). With `outputDir`, the command writes its output into files
 * there, read once it has exited: a Node program that ends with process.exit() loses what it
 * still had queued for a pipe (n8n 1.x's `execute` cut its JSON short that way), never what it
 * wrote to a file.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, allowFailure?: boolean, timeoutMs?: number, echo?: boolean, outputDir?: string }} [options]
 * @returns {Promise<RunResult>}
 */
function run(command, args, { cwd = ROOT, env = process.env, allowFailure = false, timeoutMs = 0, echo = false, outputDir } = {}) {
	return new Promise((resolve, reject) => {
		const outDir = outputDir && fs.mkdtempSync(path.join(outputDir, '.output-'));
		const outFile = (/** @type {string} */ name) => path.join(/** @type {string} */ (outDir), name);
		const fds = outDir ? [fs.openSync(outFile('stdout'), 'w'), fs.openSync(outFile('stderr'), 'w')] : undefined;
		/** @type {import('node:child_process').StdioOptions} */
		const stdio = fds ? ['ignore', fds[0], fds[1]] : ['ignore', 'pipe', 'pipe'];
		const child = spawn(command, args, { cwd, env, stdio });
		let stdout = '';
		let stderr = '';
		child.stdout?.on('data', (d) => {
			stdout += d;
			if (echo) process.stderr.write(d);
		});
		child.stderr?.on('data', (d) => {
			stderr += d;
			if (echo) process.stderr.write(d);
		});
		/** @type {NodeJS.Timeout | undefined} */
		let timer;
		if (timeoutMs) {
			timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		}
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			if (outDir && fds) {
				for (const fd of fds) fs.closeSync(fd);
				stdout = fs.readFileSync(outFile('stdout'), 'utf8');
				stderr = fs.readFileSync(outFile('stderr'), 'utf8');
				fs.rmSync(outDir, { recursive: true, force: true });
			}
			const result = { code, signal, stdout, stderr };
			if ((code !== 0 || signal) && !allowFailure) {
				const message = `${command} ${args.join(' ')} failed (exit ${code}${signal ? `, ${signal}` : ''}):\n${(stdout + stderr).slice(-6000)}`;
				reject(Object.assign(new Error(message), { result }));
			} else {
				resolve(result);
			}
		});
	});
}

/**
 * Installs this package into `<userFolder>/.n8n/nodes` the way n8n's Community Nodes screen does
 * (scripts/install-package.sh: build, npm pack, extract, strip dev/peer/optional dependencies,
 * npm install --install-strategy=shallow --ignore-scripts, the nodes/package.json ledger).
 * Resolves with the folder it was installed into.
 * @param {string} userFolder
 * @param {{ build?: boolean, echo?: boolean }} [options]
 */
async function installPackage(userFolder, { build = true, echo = false } = {}) {
	const args = [path.join(ROOT, 'scripts', 'install-package.sh'), userFolder];
	if (!build) args.push('--no-build');
	const result = await run('bash', args, { echo });
	return result.stdout.trim().split('\n').pop();
}

/**
 * One HTTP request on its own connection.
 * @param {string} url
 * @param {{ method?: string, headers?: import('node:http').OutgoingHttpHeaders, body?: Buffer, timeoutMs?: number }} [options]
 * @returns {Promise<{ status: number | undefined, headers: import('node:http').IncomingHttpHeaders, body: Buffer }>}
 */
function httpRequest(url, { method = 'GET', headers = {}, body, timeoutMs = 60_000 } = {}) {
	const http = require('node:http');
	return new Promise((resolve, reject) => {
		const req = http.request(url, { method, headers, agent: false, timeout: timeoutMs }, (res) => {
			/** @type {Buffer[]} */
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
			res.on('error', reject);
		});
		req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer in ${timeoutMs} ms`)));
		req.on('error', reject);
		req.end(body);
	});
}

/**
 * Removes terminal colour codes.
 * @param {string} text
 */
function stripAnsi(text) {
	// eslint-disable-next-line no-control-regex
	return text.replace(/\x1b\[[0-9;]*m/g, '');
}

/**
 * The JSON object that `n8n execute --rawOutput` prints after its log lines. n8n prints it through
 * its logger: at log level debug its first line carries the logger's "<time> | info |" prefix.
 * @param {string} stdout
 * @returns {any} n8n's execution (IRun as JSON), or undefined
 */
function parseRawOutput(stdout) {
	const lines = stripAnsi(stdout).split('\n');
	for (let i = 0; i < lines.length; i++) {
		const start = /^(?:.*\binfo\b\W*)?\{$/.exec(lines[i].trimEnd());
		if (!start) continue;
		for (let j = i + 1; j < lines.length; j++) {
			// The last line may carry the logger's metadata: `} { "file": "base-command.js", ... }`.
			if (!/^\}(\s+\{.*\})?$/.test(lines[j].trimEnd())) continue;
			try {
				return JSON.parse(['{', ...lines.slice(i + 1, j), '}'].join('\n'));
			} catch {
				// not the end of this object: keep looking
			}
		}
	}
	return undefined;
}

/**
 * @typedef {object} N8nOptions
 * @property {string} bin          the launcher from provideN8n()
 * @property {string} workDir      gets `user/` (N8N_USER_FOLDER), `files/` (the only folder the
 *                                 Read/Write Files node may use) and `logs/`
 * @property {number} [port]       editor/REST port (default: a free one)
 * @property {string} [filesDir]   instead of `<workDir>/files`
 * @property {Record<string, string>} [env] extra environment for every n8n command
 * @property {string} [logLevel]   N8N_LOG_LEVEL (default info)
 */

/** n8n exited before it was ready (the caller may try again on other ports). */
class StartError extends Error {}

class N8n {
	/** @param {N8nOptions} o */
	static async create(o) {
		const [port] = o.port ? [o.port] : await freePorts(1);
		return new N8n({ ...o, port, portChosen: !o.port });
	}

	/**
	 * portChosen: the port was picked here (not by the caller), so start() may pick another one.
	 * @param {N8nOptions & { port: number, portChosen?: boolean }} options
	 */
	constructor({ bin, workDir, port, filesDir, env = {}, logLevel = 'info', portChosen = false }) {
		this.bin = bin;
		this.workDir = path.resolve(workDir);
		this.userFolder = path.join(this.workDir, 'user');
		this.filesDir = path.resolve(filesDir || path.join(this.workDir, 'files'));
		this.logDir = path.join(this.workDir, 'logs');
		this.port = port;
		this.baseUrl = `http://127.0.0.1:${port}`;
		this.portChosen = portChosen;
		this.extraEnv = env;
		this.logLevel = logLevel;
		/** @type {import('node:child_process').ChildProcess | null} */
		this.process = null;
		/** @type {string | null} */
		this.cookie = null;
		this.commandCount = 0;
		for (const dir of [this.userFolder, this.filesDir, this.logDir]) fs.mkdirSync(dir, { recursive: true });
	}

	/**
	 * The environment of every n8n command (`start`, `import:*`, `execute`…).
	 * @param {number} brokerPort
	 */
	env(brokerPort) {
		/** @type {NodeJS.ProcessEnv} */
		const env = {
			...process.env,
			N8N_USER_FOLDER: this.userFolder,
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PORT: String(this.port),
			N8N_PROTOCOL: 'http',
			N8N_EDITOR_BASE_URL: `${this.baseUrl}/`,
			WEBHOOK_URL: `${this.baseUrl}/`,
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_DYNAMIC_BANNERS_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_VERIFIED_PACKAGES_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
			N8N_RESTRICT_FILE_ACCESS_TO: this.filesDir,
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			N8N_LOG_LEVEL: this.logLevel,
			N8N_LOG_OUTPUT: 'console',
			// As n8n's Docker image runs it; also keeps `execute --rawOutput` free of log prefixes at
			// the default log level.
			NODE_ENV: 'production',
			NO_COLOR: '1',
			DB_TYPE: 'sqlite',
			...this.extraEnv,
		};
		// Settings of the surrounding shell that would change what is tested, and this project's own
		// variables (POMELO_API_KEY…): n8n gets the key only through the imported credential.
		delete env.N8N_CUSTOM_EXTENSIONS;
		delete env.NODE_OPTIONS;
		for (const name of Object.keys(env)) {
			if (name.startsWith('POMELO_') || name.startsWith('JEST_')) delete env[name];
		}
		return env;
	}

	/** @param {string} name */
	logFile(name) {
		return path.join(this.logDir, `${name}.log`);
	}

	/**
	 * Runs one n8n CLI command with its own task-broker port; output kept in logs/cli-<time>-….log.
	 * A command that could not bind its broker port (taken since it was picked) runs again with a new
	 * one: it failed while starting, before doing anything.
	 * @param {string[]} args
	 * @param {{ allowFailure?: boolean, timeoutMs?: number }} [options]
	 * @returns {Promise<RunResult>}
	 */
	async cli(args, { allowFailure = false, timeoutMs = 300_000 } = {}) {
		// Unique and in time order, also across N8n objects sharing a work folder (e2e test files).
		const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 19);
		const name = `cli-${stamp}-${process.pid}-${++this.commandCount}-${args[0].replace(/[^a-z0-9]+/gi, '_')}`;
		const attempt = async () => {
			const [brokerPort] = await freePorts(1);
			return run(this.bin, args, { env: this.env(brokerPort), cwd: this.workDir, allowFailure: true, timeoutMs, outputDir: this.workDir });
		};
		let result = await attempt();
		for (let n = 2; n <= PORT_ATTEMPTS && result.code !== 0 && PORT_CLASH.test(result.stdout + result.stderr); n++) {
			result = await attempt();
		}
		fs.writeFileSync(
			this.logFile(name),
			`$ n8n ${args.join(' ')}\n# exit ${result.code}${result.signal ? ` ${result.signal}` : ''}\n# stdout\n${result.stdout}\n# stderr\n${result.stderr}`,
		);
		if ((result.code !== 0 || result.signal) && !allowFailure) {
			throw new Error(
				`n8n ${args.join(' ')} failed (exit ${result.code}${result.signal ? `, ${result.signal}` : ''}); log ${this.logFile(name)}:\n` +
					`${(result.stdout + result.stderr).slice(-6000)}`,
			);
		}
		return result;
	}

	/**
	 * Writes JSON to a temporary file (owner-only: a credential holds its key in plain text until
	 * n8n encrypts it) outside the user folder, imports it, deletes the file.
	 * @param {string} command
	 * @param {unknown} value
	 */
	async importJson(command, value) {
		const file = path.join(this.workDir, `.import-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
		fs.writeFileSync(file, JSON.stringify(value), { mode: 0o600 });
		try {
			return await this.cli([command, `--input=${file}`]);
		} finally {
			fs.rmSync(file, { force: true });
		}
	}

	/**
	 * n8n encrypts the credentials' `data` on import.
	 * @param {Array<{ id: string, name: string, type: string, data: Record<string, unknown> }>} credentials
	 */
	importCredentials(credentials) {
		return this.importJson('import:credentials', credentials);
	}

	/** @param {object | object[]} workflows One workflow object (with an `id`), or an array of them. */
	importWorkflow(workflows) {
		return this.importJson('import:workflow', workflows);
	}

	/**
	 * `n8n execute --id=<id> --rawOutput`: resolves with { code, run, stdout, stderr } where `run` is
	 * the parsed execution (`run.data.resultData.runData[nodeName][0].data.main[output]`).
	 * @param {string} workflowId
	 * @param {{ allowFailure?: boolean, timeoutMs?: number }} [options]
	 */
	async execute(workflowId, { allowFailure = false, timeoutMs = 300_000 } = {}) {
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], { allowFailure: true, timeoutMs });
		const parsed = parseRawOutput(result.stdout);
		if ((result.code !== 0 || !parsed) && !allowFailure) {
			throw new Error(
				`n8n execute --id=${workflowId} failed (exit ${result.code}):\n${(result.stdout + result.stderr).slice(-8000)}`,
			);
		}
		return { ...result, run: parsed };
	}

	/**
	 * `n8n start`, resolving once /healthz/readiness and /rest/settings answer 200. When n8n exits
	 * because a port it was given was taken in the meantime, it starts again on new ports (its own port
	 * too, unless the caller chose it): the port is bound by n8n itself, and only n8n can tell it was
	 * free.
	 * @param {{ timeoutMs?: number }} [options]
	 */
	async start({ timeoutMs = 180_000 } = {}) {
		for (let attempt = 1; ; attempt++) {
			const logStart = fs.existsSync(this.logFile('n8n-start')) ? fs.statSync(this.logFile('n8n-start')).size : 0;
			try {
				return await this.startOnce({ timeoutMs });
			} catch (error) {
				const output = fs.readFileSync(this.logFile('n8n-start'), 'utf8').slice(logStart);
				if (!(error instanceof StartError) || !PORT_CLASH.test(output) || attempt === PORT_ATTEMPTS) throw error;
				if (this.portChosen) {
					[this.port] = await freePorts(1);
					this.baseUrl = `http://127.0.0.1:${this.port}`;
				}
			}
		}
	}

	/** @param {{ timeoutMs: number }} options */
	async startOnce({ timeoutMs }) {
		if (this.process) throw new Error('n8n is already running');
		const [brokerPort] = await freePorts(1);
		const out = fs.openSync(this.logFile('n8n-start'), 'a');
		const child = spawn(this.bin, ['start'], {
			env: this.env(brokerPort),
			cwd: this.workDir,
			stdio: ['ignore', out, out],
		});
		fs.closeSync(out);
		this.process = child;
		let exited = /** @type {{ code: number | null, signal: NodeJS.Signals | null } | null} */ (null);
		child.on('exit', (code, signal) => {
			exited = { code, signal };
			if (this.process === child) this.process = null;
		});
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (exited) {
				throw new StartError(`n8n start exited (code ${exited.code}, ${exited.signal}) before it was ready:\n${this.tail('n8n-start')}`);
			}
			try {
				// n8n 1.x answers readiness before it has mounted its REST routes: wait for both.
				const ready = await httpRequest(`${this.baseUrl}/healthz/readiness`, { timeoutMs: 2000 });
				const settings = ready.status === 200 && (await httpRequest(`${this.baseUrl}/rest/settings`, { timeoutMs: 2000 }));
				if (settings && settings.status === 200) return this;
			} catch {
				// not listening yet
			}
			await sleep(500);
		}
		await this.stop();
		throw new Error(`n8n was not ready after ${timeoutMs / 1000}s:\n${this.tail('n8n-start')}`);
	}

	/** SIGTERM (n8n shuts down gracefully), SIGKILL after `graceMs`. */
	async stop({ graceMs = 20_000 } = {}) {
		await stopChild(this.process, { graceMs });
		this.process = null;
		this.cookie = null;
	}

	/**
	 * The last `chars` characters of a log file.
	 * @param {string} name
	 */
	tail(name, chars = 8000) {
		try {
			const text = fs.readFileSync(this.logFile(name), 'utf8');
			return text.slice(-chars);
		} catch {
			return '(no log)';
		}
	}

	/** Every log this instance wrote, concatenated (for leak checks and failure reports). */
	allLogs() {
		return fs
			.readdirSync(this.logDir)
			.sort()
			.map((f) => `==> ${f} <==\n${fs.readFileSync(path.join(this.logDir, f), 'utf8')}`)
			.join('\n');
	}

	printLogs(stream = process.stderr, chars = 20_000) {
		stream.write(`\n----- n8n logs (${this.logDir}) -----\n${this.allLogs().slice(-chars)}\n----- end of n8n logs -----\n`);
	}

	/**
	 * A REST call to the running n8n, with the owner's session cookie once logged in. One connection
	 * per request (no keep-alive: n8n closes idle connections, and a reused one fails mid-request).
	 * Resolves with the answer's `data` (or the whole JSON answer when it has none).
	 * @template [T=any]
	 * @param {string} method
	 * @param {string} urlPath
	 * @param {unknown} [body]
	 * @param {{ headers?: Record<string, string>, timeoutMs?: number }} [options]
	 * @returns {Promise<T>}
	 */
	async rest(method, urlPath, body, { headers = {}, timeoutMs = 60_000 } = {}) {
		const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
		const res = await httpRequest(`${this.baseUrl}${urlPath}`, {
			method,
			headers: {
				'content-type': 'application/json',
				'browser-id': 'pomelo-e2e-browser',
				...(payload ? { 'content-length': String(payload.length) } : {}),
				...(this.cookie ? { cookie: this.cookie } : {}),
				...headers,
			},
			body: payload,
			timeoutMs,
		});
		const auth = (res.headers['set-cookie'] ?? []).find((c) => c.startsWith('n8n-auth='));
		if (auth) this.cookie = auth.split(';')[0];
		const text = res.body.toString('utf8');
		let json;
		try {
			json = text ? JSON.parse(text) : undefined;
		} catch {
			json = undefined;
		}
		if (!res.status || res.status < 200 || res.status >= 300) {
			const message = `${method} ${urlPath} → ${res.status}: ${text.slice(0, 2000)}`;
			throw Object.assign(new Error(message), { status: res.status, body: json ?? text });
		}
		return json && typeof json === 'object' && 'data' in json ? json.data : json;
	}

	/** Turns the instance's placeholder owner into a real account (once) and logs in as it. */
	async setupOwner(owner = OWNER) {
		const settings = await this.rest('GET', '/rest/settings');
		if (settings?.userManagement?.showSetupOnFirstLoad) {
			await this.rest('POST', '/rest/owner/setup', owner);
		}
		await this.login(owner);
		return owner;
	}

	async login(owner = OWNER) {
		await this.rest('POST', '/rest/login', { emailOrLdapLoginId: owner.email, password: owner.password });
		if (!this.cookie) throw new Error('n8n login did not set the n8n-auth cookie');
	}
}

module.exports = {
	ROOT,
	PACKAGE_NAME,
	NODE_TYPE,
	CREDENTIAL_TYPE,
	OWNER,
	freePort,
	freePorts,
	httpRequest,
	provideN8n,
	installPackage,
	parseRawOutput,
	stripAnsi,
	run,
	sleep,
	stopChild,
	N8n,
};
