'use strict';
// n8n 2.41 in queue mode on one machine: Redis + PostgreSQL (services.js), one main
// instance (`n8n start`: editor, REST API, webhooks, puts executions on the Bull queue in Redis) and
// N workers (`n8n worker`: take executions from the queue and run them). All share one
// N8N_USER_FOLDER (with this package installed in <user folder>/.n8n/nodes by
// scripts/install-package.sh), one N8N_ENCRYPTION_KEY and one database, as the n8n docs require for
// queue mode.
//
// Binary data: `database` mode (N8N_DEFAULT_BINARY_DATA_MODE=database), n8n 2.41's default in queue
// mode (n8n-core/dist/binary-data/binary-data.config.js: `mode ??= executions.mode === 'queue' ?
// 'database' : 'filesystem'`). A worker writes the images into PostgreSQL, so the main instance
// (Respond to Webhook, the execution view) and every other worker can read them. `filesystem` is
// not refused in queue mode by 2.41, but it keeps the bytes on the disk of the process that wrote
// them, so it only works when every instance mounts the same storage path; `s3`/`azure` need a
// licence; `default` (in memory) is deprecated and cannot cross processes.
//
//   const cluster = await QueueCluster.start({ workDir, workers: 2, onStep });
//   cluster.main            an N8n (harness/n8n.js): rest(), setupOwner(), cli(), logs
//   cluster.workers[i]      { name, pid, healthPort, logFile, stop(signal), exited }
//   await cluster.stop();   every process it started (and their children): { errors, leftovers }

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { N8n, provideN8n, installPackage, freePorts, sleep, stopChild } = require('../n8n');
const { startRedis, startPostgres, HOST } = require('./services');

/**
 * @typedef {Awaited<ReturnType<typeof startRedis>>} Redis
 * @typedef {Awaited<ReturnType<typeof startPostgres>>} Postgres
 * @typedef {{ code: number | null, signal: NodeJS.Signals | null, at: number }} Exit
 */

/**
 * The environment that makes an n8n process part of the queue-mode cluster.
 * @param {{ redis: Redis, postgres: Postgres, encryptionKey: string }} services
 */
function queueEnv({ redis, postgres, encryptionKey }) {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host,
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: '',
		N8N_ENCRYPTION_KEY: encryptionKey,
		N8N_DEFAULT_BINARY_DATA_MODE: 'database',
		// Executions started from the editor run on workers too (the queue-mode recommendation).
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		// Every execution is kept, with its data, so the test can read the record of each call.
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		EXECUTIONS_DATA_PRUNE: 'false',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '30',
		// One JSON object a line, with a timestamp: the test reads which worker ran what, and when.
		N8N_LOG_FORMAT: 'json',
	};
}

class Worker {
	/** @param {{ name: string, bin: string, env: NodeJS.ProcessEnv, cwd: string, healthPort: number, logFile: string }} options */
	constructor({ name, bin, env, cwd, healthPort, logFile }) {
		this.name = name;
		this.bin = bin;
		this.env = env;
		this.cwd = cwd;
		this.healthPort = healthPort;
		this.logFile = logFile;
		/** @type {import('node:child_process').ChildProcess | null} */
		this.process = null;
		/** @type {number | undefined} */
		this.pid = undefined;
		/** @type {Exit | null} */
		this.exit = null;
		/** @type {Promise<Exit> | null} */
		this.exited = null;
	}

	/** @param {{ concurrency: number, timeoutMs?: number }} options */
	async start({ concurrency, timeoutMs = 180_000 }) {
		const out = fs.openSync(this.logFile, 'a');
		const child = spawn(this.bin, ['worker', `--concurrency=${concurrency}`], {
			env: this.env,
			cwd: this.cwd,
			stdio: ['ignore', out, out],
		});
		fs.closeSync(out);
		this.process = child;
		this.pid = child.pid;
		this.exited = new Promise((resolve) =>
			child.once('exit', (code, signal) => {
				const exit = { code, signal, at: Date.now() };
				this.exit = exit;
				resolve(exit);
			}),
		);
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (this.exit) throw new Error(`${this.name} exited (code ${this.exit.code}, ${this.exit.signal}) before it was ready:\n${this.tail()}`);
			try {
				const res = await fetch(`http://${HOST}:${this.healthPort}/healthz/readiness`, { signal: AbortSignal.timeout(2000) });
				if (res.status === 200 && this.log().includes('n8n worker is now ready')) return this;
			} catch {
				// not listening yet
			}
			await sleep(500);
		}
		throw new Error(`${this.name} was not ready after ${timeoutMs / 1000}s:\n${this.tail()}`);
	}

	get running() {
		return this.process !== null && this.exit === null;
	}

	/**
	 * Sends `signal` and resolves with the exit once the process is gone (SIGKILL after graceMs).
	 * @param {{ signal?: NodeJS.Signals, graceMs?: number }} [options]
	 */
	async stop({ signal = 'SIGTERM', graceMs = 45_000 } = {}) {
		if (!this.running) return this.exit;
		await stopChild(this.process, { signal, graceMs });
		return await this.exited;
	}

	log() {
		try {
			return fs.readFileSync(this.logFile, 'utf8');
		} catch {
			return '';
		}
	}

	tail(chars = 6000) {
		return this.log().slice(-chars);
	}

	/** Execution ids from the worker's "Waiting for N active executions to finish... (execution IDs: …)" lines (its drain on shutdown). */
	drained() {
		const ids = new Set();
		for (const m of this.log().matchAll(/Waiting for \d+ active executions to finish\.\.\. \(execution IDs: ([\d, ]+)\)/g)) {
			for (const id of m[1].split(',')) ids.add(id.trim());
		}
		return [...ids];
	}

	/**
	 * What this worker logged about executions, from its JSON log lines ("Worker started execution
	 * 12 (job 12)", "Worker finished execution 12 (job 12)"): { started, finished }, each a list of
	 * { id, at } (at = the log line's timestamp in ms), and startedIds/finishedIds.
	 */
	executions() {
		/** @type {Array<{ id: string, at: number }>} */
		const started = [];
		/** @type {Array<{ id: string, at: number }>} */
		const finished = [];
		for (const line of this.log().split('\n')) {
			if (!line.includes('Worker ')) continue;
			let entry;
			try {
				entry = JSON.parse(line);
			} catch {
				continue;
			}
			const m = /^Worker (started|finished) execution (\d+) \(job/.exec(String(entry.message || ''));
			if (!m) continue;
			// n8n's JSON format puts the timestamp into `metadata` (winston's metadata() after timestamp()).
			const at = Date.parse(entry.timestamp ?? entry.metadata?.timestamp);
			if (Number.isNaN(at)) throw new Error(`${this.name}: log line without a timestamp: ${line.slice(0, 300)}`);
			(m[1] === 'started' ? started : finished).push({ id: m[2], at });
		}
		return { started, finished, startedIds: started.map((e) => e.id), finishedIds: finished.map((e) => e.id) };
	}
}

/**
 * @typedef {object} ClusterOptions
 * @property {string} workDir         created if missing; holds services/, n8n/ (user folder, logs)
 * @property {number} [workers=2]
 * @property {number} [concurrency=10] `n8n worker --concurrency` (n8n's default is 10)
 * @property {boolean} [build=true]   `npm run build` before packing the package
 * @property {Parameters<N8n['importCredentials']>[0]} [credentials] imported before the main instance starts
 * @property {object[]} [workflows]   imported before the main instance starts
 * @property {Record<string, string>} [env] extra environment for every n8n process
 * @property {string} [bin]           n8n's launcher (default: provideN8n())
 * @property {(msg: string) => void} [onStep]
 */

class QueueCluster {
	/**
	 * Starts everything; on any failure, stops what it had started and rethrows.
	 * @param {ClusterOptions} o
	 */
	static async start(o) {
		const cluster = new QueueCluster(o);
		try {
			await cluster.#start(o);
			return cluster;
		} catch (error) {
			await cluster.stop().catch(() => {});
			throw error;
		}
	}

	/** @param {ClusterOptions} options */
	constructor({ workDir, onStep = () => {} }) {
		this.workDir = path.resolve(workDir);
		this.step = onStep;
		/** @type {Redis | null} */
		this.redis = null;
		/** @type {Postgres | null} */
		this.postgres = null;
		/** @type {N8n | null} */
		this.main = null;
		/** @type {Worker[]} */
		this.workers = [];
		/** @type {Record<string, number>} */
		this.timings = {};
		/** pid → start time (in clock ticks since boot) of every process of the cluster seen so far. */
		this.seen = new Map();
		fs.mkdirSync(this.workDir, { recursive: true });
	}

	/**
	 * @template T
	 * @param {string} name
	 * @param {() => Promise<T>} fn
	 */
	async #timed(name, fn) {
		const t = Date.now();
		const result = await fn();
		this.timings[name] = Date.now() - t;
		this.step(`${name}: ${((Date.now() - t) / 1000).toFixed(1)}s`);
		return result;
	}

	/** @param {ClusterOptions} options */
	async #start({ workers = 2, concurrency = 10, build = true, credentials = [], workflows = [], env = {}, bin }) {
		const servicesDir = path.join(this.workDir, 'services');
		this.redis = await this.#timed('redis-server started', () => startRedis({ dir: path.join(servicesDir, 'redis') }));
		this.postgres = await this.#timed('PostgreSQL started (initdb + createdb)', () =>
			startPostgres({ dir: path.join(servicesDir, 'postgres') }),
		);
		this.step(`Redis on ${this.redis.host}:${this.redis.port}, PostgreSQL on ${this.postgres.host}:${this.postgres.port}`);

		const n8nBin = bin || (await this.#timed('n8n 2.41.1 provided', () => provideN8n()));
		this.encryptionKey = crypto.randomBytes(24).toString('hex');
		const shared = { ...queueEnv({ redis: this.redis, postgres: this.postgres, encryptionKey: this.encryptionKey }), ...env };
		const main = await N8n.create({ bin: n8nBin, workDir: path.join(this.workDir, 'n8n'), env: shared });
		this.main = main;

		await this.#timed('package built, packed and installed into the shared user folder', () =>
			installPackage(main.userFolder, { build }),
		);
		// CLI commands run the migrations on the empty database first.
		if (credentials.length) await this.#timed('credentials imported', () => main.importCredentials(credentials));
		if (workflows.length) await this.#timed('workflows imported', () => main.importWorkflow(workflows));

		await this.#timed('main instance ready (n8n start)', () => main.start());

		const ports = await freePorts(workers * 2);
		for (let i = 0; i < workers; i++) {
			const [brokerPort, healthPort] = [ports[2 * i], ports[2 * i + 1]];
			const worker = new Worker({
				name: `worker-${i + 1}`,
				bin: n8nBin,
				cwd: main.workDir,
				healthPort,
				logFile: main.logFile(`worker-${i + 1}`),
				env: {
					...main.env(brokerPort),
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(healthPort),
					N8N_WORKER_SERVER_ADDRESS: HOST,
				},
			});
			this.workers.push(worker);
		}
		// One after the other: on 2 cores, two n8n processes booting together take longer in total.
		for (const worker of this.workers) {
			await this.#timed(`${worker.name} ready (n8n worker --concurrency=${concurrency})`, () => worker.start({ concurrency }));
		}
		this.track();
	}

	/** Pids the cluster started directly (still running). */
	rootPids() {
		/** @type {Array<number | undefined>} */
		const pids = [];
		for (const w of this.workers) if (w.running) pids.push(w.pid);
		if (this.main?.process) pids.push(this.main.process.pid);
		for (const s of [this.postgres, this.redis]) if (s && s.process.exitCode === null && s.process.signalCode === null) pids.push(s.pid);
		return pids.filter((pid) => pid !== undefined);
	}

	/**
	 * Records the cluster's processes and all their descendants (n8n's task runners, PostgreSQL's
	 * backends) so that survivors() can find any left after stop(). Called after start, before a
	 * worker is signalled, and by stop().
	 */
	track() {
		for (const [pid, start] of processTree(this.rootPids())) this.seen.set(pid, start);
	}

	/** Processes recorded by track() that still run (same pid and same start time). */
	survivors() {
		const alive = [];
		for (const [pid, start] of this.seen) {
			if (procStartTime(pid) === start) alive.push(pid);
		}
		return alive;
	}

	/**
	 * Stops the workers (SIGTERM, graceful), the main instance, PostgreSQL and Redis, then SIGKILLs
	 * (by pid) any process of the cluster still running. Never throws: resolves with
	 * { errors, leftovers } (leftovers: pids that had to be killed).
	 */
	async stop() {
		this.track();
		/** @type {unknown[]} */
		const errors = [];
		/** @param {() => Promise<unknown>} fn */
		const attempt = async (fn) => {
			try {
				await fn();
			} catch (error) {
				errors.push(error);
			}
		};
		await Promise.all(this.workers.map((w) => attempt(() => w.stop({ graceMs: 40_000 }))));
		const { main, postgres, redis } = this;
		if (main) await attempt(() => main.stop({ graceMs: 30_000 }));
		if (postgres) await attempt(() => postgres.stop());
		if (redis) await attempt(() => redis.stop());
		// Children get a moment to notice that their parent is gone (task runners exit on their own).
		let leftovers = this.survivors();
		for (let i = 0; i < 20 && leftovers.length; i++) {
			await sleep(250);
			leftovers = this.survivors();
		}
		for (const pid of leftovers) {
			try {
				process.kill(pid, 'SIGKILL');
			} catch {
				// gone meanwhile
			}
		}
		return { errors, leftovers };
	}

	printLogs(stream = process.stderr, chars = 6000) {
		const files = [];
		if (this.main) {
			for (const f of fs.readdirSync(this.main.logDir).sort()) files.push(path.join(this.main.logDir, f));
		}
		for (const s of [this.postgres, this.redis]) if (s) files.push(s.logFile);
		for (const file of files) {
			let text = '';
			try {
				text = fs.readFileSync(file, 'utf8');
			} catch {
				continue;
			}
			stream.write(`\n==> ${file} (last ${chars} chars) <==\n${text.slice(-chars)}\n`);
		}
	}
}

/**
 * Field 22 of /proc/<pid>/stat (start time since boot), or null if there is no such process or it
 * is a zombie (dead; in a container whose init does not reap, it stays listed).
 * @param {number} pid
 */
function procStartTime(pid) {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return fields[0] === 'Z' ? null : fields[19];
	} catch {
		return null;
	}
}

/**
 * [pid, startTime] of `roots` and all their descendants (from /proc).
 * @param {number[]} roots
 */
function processTree(roots) {
	/** @type {Map<number, number[]>} */
	const children = new Map();
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			const siblings = children.get(ppid) ?? [];
			siblings.push(Number(entry));
			children.set(ppid, siblings);
		} catch {
			// gone
		}
	}
	/** @type {Map<number, string>} */
	const tree = new Map();
	const queue = [...roots];
	for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
		if (tree.has(pid)) continue;
		const start = procStartTime(pid);
		if (start === null) continue;
		tree.set(pid, start);
		queue.push(...(children.get(pid) || []));
	}
	return tree;
}

module.exports = { QueueCluster, Worker, queueEnv, processTree };
