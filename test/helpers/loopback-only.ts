// Tests send traffic only to this machine. Some tests hand the node image URLs on private,
// link-local or public addresses to prove it refuses them before fetching; if that refusal ever
// broke, the fetch must fail here instead of reaching a real host. Every TCP/TLS connection made in
// a jest process goes through net.Socket#connect: a literal address, or a name's resolved
// addresses, outside 127.0.0.0/8 and ::1 is refused with an error that names this guard.
import * as dns from 'dns';
import * as net from 'net';

export const GUARD_MESSAGE = 'blocked by the tests\' loopback-only guard';

export function isLoopback(address: string): boolean {
	const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
	if (net.isIPv4(v4)) return v4.startsWith('127.');
	return address === '::1';
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;
type Lookup = (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => void;

function blocked(target: string): NodeJS.ErrnoException {
	const error: NodeJS.ErrnoException = new Error(`connect ECONNREFUSED ${target} (${GUARD_MESSAGE})`);
	error.code = 'ECONNREFUSED';
	return error;
}

/** A lookup that resolves as the original (or dns.lookup, as patched at call time) and refuses non-loopback answers. */
function guardedLookup(original: Lookup | undefined): Lookup {
	return (hostname, options, callback) => {
		const lookup = original ?? (dns.lookup as unknown as Lookup);
		lookup(hostname, options, (error, address, family) => {
			if (error) return callback(error, address, family);
			const addresses = Array.isArray(address) ? address.map((entry) => entry.address) : [address];
			const outside = addresses.find((entry) => !isLoopback(entry));
			if (outside !== undefined) return callback(blocked(`${hostname} → ${outside}`), address, family);
			callback(null, address, family);
		});
	};
}

const connect = net.Socket.prototype.connect as (this: net.Socket, ...args: unknown[]) => net.Socket;
net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
	// net.connect passes [options, callback] as one normalised array; direct calls pass options or port, host.
	const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
	if (first !== null && typeof first === 'object') {
		const options = first as net.TcpNetConnectOpts & { path?: string };
		// http passes `path: null` for TCP; a string path is a Unix socket (local by nature).
		if (typeof options.path !== 'string') {
			const host = options.host ?? 'localhost';
			if (net.isIP(host) && !isLoopback(host)) {
				process.nextTick(() => this.destroy(blocked(`${host}:${options.port}`)));
				return this;
			}
			options.lookup = guardedLookup(options.lookup as Lookup | undefined) as net.LookupFunction;
		}
	} else if (typeof first === 'number' || typeof first === 'string') {
		const host = typeof args[1] === 'string' ? args[1] : 'localhost';
		if (net.isIP(host) && !isLoopback(host)) {
			process.nextTick(() => this.destroy(blocked(`${host}:${String(first)}`)));
			return this;
		}
	}
	return connect.apply(this, args);
} as typeof net.Socket.prototype.connect;
