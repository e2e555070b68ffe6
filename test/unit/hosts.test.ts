/**
 * Which image hosts are refused unless allowed (README, Reliability: image hosts): loopback,
 * private, link-local and unspecified addresses written as literal IPs, and localhost.
 */
import { isPrivateHost } from '../../nodes/Pomelo/transport/hosts';

/** The hostname as the node sees it: parsed by URL, as every image URL is. */
const hostOf = (url: string) => new URL(url).hostname;

describe('isPrivateHost', () => {
	test.each([
		'http://127.0.0.1/admin',
		'http://127.8.9.10/',
		'http://localhost:5678/',
		'http://LOCALHOST./',
		'http://api.localhost/',
		'http://10.0.3.17/',
		'http://172.16.0.1/',
		'http://172.31.255.255/',
		'http://192.168.1.1/',
		'http://169.254.169.254/latest/meta-data/',
		'http://0.0.0.0/',
		'http://[::1]/',
		'http://[::]/',
		'http://[fc00::1]/',
		'http://[fd12:3456::1]/',
		'http://[fe80::1]/',
		'http://[::ffff:127.0.0.1]/',
		'http://[::ffff:10.1.2.3]/',
		// Other spellings of 127.0.0.1 that URL normalises.
		'http://2130706433/',
		'http://0x7f.1/',
		'http://127.1/',
	])('%s is refused', (url) => {
		expect(isPrivateHost(hostOf(url))).toBe(true);
	});

	test.each([
		'https://storage.pomeloapi.example.com/images/a.png',
		'http://8.8.8.8/',
		'http://172.15.255.255/',
		'http://172.32.0.1/',
		'http://192.169.0.1/',
		'http://169.253.1.1/',
		'http://[2001:db8::1]/',
		'http://[::ffff:8.8.8.8]/',
		'http://localhost.example.com/',
		// A name that starts like an address is a name (resolved and checked by n8n, not here).
		'http://192.168.1.1.example.com/',
		// Public addresses whose second number is that of a private range.
		'http://100.20.0.1/',
		'http://100.168.1.1/',
		'http://100.254.1.1/',
		// Only ::ffff:0:0/96 holds IPv4 addresses: 127.0.0.1's bits elsewhere are not 127.0.0.1.
		'http://[2001:db8::ffff:7f00:1]/',
		'http://[::ffff:7f00:1:0]/',
	])('%s is allowed', (url) => {
		expect(isPrivateHost(hostOf(url))).toBe(false);
	});
});
