import type { Server } from 'http';
import type { AddressInfo } from 'net';

/**
 * For a describe block's own small HTTP servers: `listen` starts one on a free loopback port and
 * returns its origin; all of them are closed (open sockets too) after the block.
 */
export function localServersPerBlock(): { listen(server: Server): Promise<string> } {
	const servers: Server[] = [];
	afterAll(async () => {
		for (const server of servers) {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		}
	});
	return {
		async listen(server) {
			servers.push(server);
			await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
			return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		},
	};
}
