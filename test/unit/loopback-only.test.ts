// The guard that keeps every test's traffic on this machine (test/helpers/loopback-only.ts, loaded
// for every jest process by jest.setup.ts) refuses other addresses and lets loopback through.
import * as http from 'http';
import type { AddressInfo } from 'net';

import { GUARD_MESSAGE } from '../helpers/loopback-only';

function get(url: string): Promise<number> {
	return new Promise((resolve, reject) => {
		http.get(url, (res) => {
			res.resume();
			resolve(res.statusCode ?? 0);
		}).on('error', reject);
	});
}

test('a connection to loopback goes through', async () => {
	const server = http.createServer((_req, res) => res.end('ok'));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	try {
		await expect(get(`http://127.0.0.1:${port}/`)).resolves.toBe(200);
		await expect(get(`http://localhost:${port}/`)).resolves.toBe(200);
	} finally {
		server.close();
	}
});

test.each(['10.0.0.1', '172.16.0.1', '192.168.1.1', '169.254.169.254', '[fe80::1]', '8.8.8.8'])(
	'a connection to %s is refused by the guard, nothing is sent',
	async (host) => {
		await expect(get(`http://${host}:80/admin`)).rejects.toThrow(GUARD_MESSAGE);
	},
);
