'use strict';
// Redis and PostgreSQL for n8n's queue mode, from Debian's packages, as plain child processes on
// loopback: own ports, own data folders (under the caller's work folder), no systemd, no cluster
// of the system's. scripts/queue/ensure-packages.sh installs the packages.
//
//   const redis = await startRedis({ dir });            // { host, port, stop() }
//   const pg = await startPostgres({ dir });            // { host, port, user, database, stop() }

const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { freePorts, run, sleep, stopChild } = require('../n8n');

/** @typedef {import('node:child_process').ChildProcess} ChildProcess */

const HOST = '127.0.0.1';

/** /usr/lib/postgresql/<newest>/bin (Debian's layout), or $POMELO_PG_BIN. */
function postgresBinDir() {
	if (process.env.POMELO_PG_BIN) return process.env.POMELO_PG_BIN;
	const root = '/usr/lib/postgresql';
	const versions = fs.existsSync(root)
		? fs
				.readdirSync(root)
				.filter((v) => fs.existsSync(path.join(root, v, 'bin', 'pg_ctl')))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	if (versions.length === 0) {
		throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/pg_ctl): run scripts/queue/ensure-packages.sh');
	}
	return path.join(root, versions[0], 'bin');
}

function redisServerBin() {
	for (const candidate of [process.env.POMELO_REDIS_SERVER, '/usr/bin/redis-server']) {
		if (candidate && fs.existsSync(candidate)) return candidate;
	}
	throw new Error('redis-server is not installed: run scripts/queue/ensure-packages.sh');
}

/**
 * Resolves once something accepts TCP connections on host:port.
 * @param {number} port
 * @param {{ host?: string, timeoutMs?: number, child?: ChildProcess, name: string }} options
 */
async function waitForPort(port, { host = HOST, timeoutMs = 30_000, child, name }) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child && child.exitCode !== null) throw new Error(`${name} exited (code ${child.exitCode}) before it listened on ${port}`);
		const ok = await new Promise((resolve) => {
			const socket = net.connect({ host, port });
			socket.once('connect', () => {
				socket.destroy();
				resolve(true);
			});
			socket.once('error', () => resolve(false));
		});
		if (ok) return;
		await sleep(100);
	}
	throw new Error(`${name} did not listen on ${host}:${port} within ${timeoutMs / 1000}s`);
}

/**
 * redis-server on 127.0.0.1:<free port>, no persistence, its log in <dir>/redis.log.
 * (Runs as the current user: Redis needs no special account.)
 * @param {{ dir: string, port?: number }} options
 */
async function startRedis({ dir, port }) {
	fs.mkdirSync(dir, { recursive: true });
	const [redisPort] = port ? [port] : await freePorts(1);
	const log = fs.openSync(path.join(dir, 'redis.log'), 'a');
	const child = spawn(
		redisServerBin(),
		[
			'--bind', HOST,
			'--port', String(redisPort),
			'--dir', dir,
			'--save', '',
			'--appendonly', 'no',
			'--daemonize', 'no',
			'--protected-mode', 'yes',
			'--logfile', '',
		],
		{ stdio: ['ignore', log, log] },
	);
	fs.closeSync(log);
	try {
		await waitForPort(redisPort, { child, name: 'redis-server' });
	} catch (error) {
		await stopChild(child, { graceMs: 2000 });
		throw error;
	}
	return {
		host: HOST,
		port: redisPort,
		pid: child.pid,
		process: child,
		logFile: path.join(dir, 'redis.log'),
		stop: () => stopChild(child, { graceMs: 5000 }),
	};
}

/**
 * A throw-away PostgreSQL cluster: `initdb` into <dir>/data (trust auth, loopback only), started
 * with `postgres` as a child process on 127.0.0.1:<free port> (unix socket in <dir>/socket), and an
 * empty database `n8n`. As root, the server runs as the `postgres` account (Debian's package
 * creates it; PostgreSQL refuses to run as root); as anyone else, as that user.
 * Durability is off (fsync, synchronous_commit, full_page_writes): it is a test database.
 * @param {{ dir: string, port?: number, database?: string, user?: string }} options
 */
async function startPostgres({ dir, port, database = 'n8n', user = 'n8n' }) {
	const bin = postgresBinDir();
	const [pgPort] = port ? [port] : await freePorts(1);
	const dataDir = path.join(dir, 'data');
	const socketDir = path.join(dir, 'socket');
	const logFile = path.join(dir, 'postgres.log');
	fs.mkdirSync(dir, { recursive: true });
	fs.rmSync(dataDir, { recursive: true, force: true });
	fs.mkdirSync(socketDir, { recursive: true });

	const asRoot = process.getuid && process.getuid() === 0;
	// The postgres account must reach the folder: every parent needs o+x.
	const owner = asRoot ? pgAccount() : null;
	if (owner) {
		for (let d = dir; d !== path.dirname(d); d = path.dirname(d)) {
			const mode = fs.statSync(d).mode;
			if ((mode & 0o001) === 0) fs.chmodSync(d, mode | 0o001);
		}
		fs.chownSync(dir, owner.uid, owner.gid);
		fs.chownSync(socketDir, owner.uid, owner.gid);
	}
	// Node's spawn switches to the account itself (setuid/setgid), so signals reach postgres directly.
	const identity = owner ? { uid: owner.uid, gid: owner.gid } : {};
	const env = { ...process.env, LC_ALL: 'C', ...(asRoot ? { HOME: dir, USER: 'postgres', LOGNAME: 'postgres' } : {}) };

	await runAs(
		path.join(bin, 'initdb'),
		['-D', dataDir, '--auth=trust', `--username=${user}`, '--encoding=UTF8', '--locale=C', '--no-sync'],
		{ cwd: dir, env, ...identity },
	);

	const settings = [
		'-c', `listen_addresses=${HOST}`,
		'-c', `port=${pgPort}`,
		'-c', `unix_socket_directories=${socketDir}`,
		'-c', 'fsync=off',
		'-c', 'synchronous_commit=off',
		'-c', 'full_page_writes=off',
		'-c', 'max_connections=200',
		'-c', 'shared_buffers=128MB',
	];
	const log = fs.openSync(logFile, 'a');
	const child = spawn(path.join(bin, 'postgres'), ['-D', dataDir, ...settings], {
		cwd: dir,
		env,
		stdio: ['ignore', log, log],
		...identity,
	});
	fs.closeSync(log);
	// SIGINT is PostgreSQL's "fast" shutdown (SIGTERM, "smart", waits for clients to leave).
	const stop = () => stopChild(child, { signal: 'SIGINT', graceMs: 15_000 });
	try {
		await waitForPort(pgPort, { child, name: 'postgres' });
		// Accepting TCP is not yet accepting queries (startup): retry createdb briefly.
		const psql = path.join(bin, 'psql');
		const deadline = Date.now() + 30_000;
		for (;;) {
			const result = await run(
				psql,
				['-h', HOST, '-p', String(pgPort), '-U', user, '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE "${database}"`],
				{ allowFailure: true, timeoutMs: 20_000 },
			);
			if (result.code === 0) break;
			if (Date.now() > deadline) throw new Error(`CREATE DATABASE failed: ${result.stderr}`);
			await sleep(300);
		}
	} catch (error) {
		await stop();
		throw new Error(`${error instanceof Error ? error.message : error}\n${tailFile(logFile)}`);
	}
	return {
		host: HOST,
		port: pgPort,
		user,
		database,
		pid: child.pid,
		process: child,
		logFile,
		binDir: bin,
		/**
		 * Runs one SQL statement with psql; resolves with its unaligned, tuples-only output.
		 * @param {string} sql
		 */
		async query(sql) {
			const result = await run(
				path.join(bin, 'psql'),
				['-h', HOST, '-p', String(pgPort), '-U', user, '-d', database, '-v', 'ON_ERROR_STOP=1', '-At', '-F', '\t', '-c', sql],
				{ timeoutMs: 60_000 },
			);
			return result.stdout;
		},
		stop,
	};
}

/**
 * Like run() of harness/n8n.js, with uid/gid: rejects with the output on a non-zero exit.
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions} options
 */
function runAs(command, args, options) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (d) => (output += d));
		child.stderr.on('data', (d) => (output += d));
		child.on('error', reject);
		child.on('close', (code) =>
			code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(' ')} failed (exit ${code}):\n${output.slice(-4000)}`)),
		);
	});
}

function pgAccount() {
	try {
		const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
		const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
		return { uid, gid };
	} catch {
		throw new Error('No `postgres` account (Debian\'s postgresql package creates it): run scripts/queue/ensure-packages.sh');
	}
}

/** @param {string} file */
function tailFile(file, chars = 4000) {
	try {
		return fs.readFileSync(file, 'utf8').slice(-chars);
	} catch {
		return '';
	}
}

module.exports = { HOST, startRedis, startPostgres, waitForPort, postgresBinDir, tailFile };
