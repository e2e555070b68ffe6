/**
 * The credential test (n8n's "Test" button, through n8n-core's RoutingNode) never sends the key to
 * another origin, whatever the API answers (issue 10, point 4). From the review's repro: n8n's
 * default for sendCredentialsOnCrossOriginRedirect is true, and a credential test request that
 * does not say otherwise follows a redirect with the Authorization header.
 */
import { createServer } from 'http';

import { sendCredentialTestRequest } from '../helpers/credential-tester';
import { resolveTestDomainToLoopback } from '../helpers/test-domain';
import { emulatorPerFile } from '../helpers/emulator-per-file';
import { localServersPerBlock } from '../helpers/local-servers';
import { secretKey } from '../helpers/reliability';

const KEY = secretKey();
const emulator = emulatorPerFile({ apiKey: KEY });

describe('a redirect to another server', () => {
	// The review's set-up: the API answers 307 to another server, which answers 422 to anything
	// (what a Pomelo API answers a good key) and records what it got.
	const seen: Array<{ where: string; authorization?: string; headers: string }> = [];
	const { listen } = localServersPerBlock();
	let apiUrl: string;

	beforeAll(async () => {
		const otherUrl = await listen(
			createServer((req, res) => {
				seen.push({ where: 'other', authorization: req.headers.authorization, headers: JSON.stringify(req.headers) });
				req.resume();
				res.writeHead(422, { 'Content-Type': 'application/json' });
				res.end('{"error":"prompt required"}');
			}),
		);
		apiUrl = await listen(
			createServer((req, res) => {
				seen.push({ where: 'api', authorization: req.headers.authorization, headers: JSON.stringify(req.headers) });
				req.resume();
				res.writeHead(307, { Location: `${otherUrl}/steal` });
				res.end();
			}),
		);
	});

	test('does not get the key', async () => {
		await sendCredentialTestRequest({ apiKey: KEY, baseUrl: apiUrl });
		expect(seen[0]).toMatchObject({ where: 'api', authorization: `Bearer ${KEY}` });
		const elsewhere = seen.filter((entry) => entry.where !== 'api');
		expect(elsewhere.filter((entry) => entry.headers.includes(KEY))).toEqual([]);
	});
});

describe('the emulator redirecting the credential test POST', () => {
	test('to another origin (its image origin): the key does not go there', async () => {
		emulator.injectFaults({ fault: 'redirect-post', target: 'other-origin' });
		await sendCredentialTestRequest({ apiKey: KEY, baseUrl: emulator.baseUrl });
		const image = emulator.requests.filter((entry) => entry.origin === 'image');
		expect(image.filter((entry) => JSON.stringify(entry.headers).includes(KEY))).toEqual([]);
	});

	describe('to a subdomain of the API host', () => {
		// The API is reached by name: api.pomelo.test and its subdomains resolve to the emulator.
		resolveTestDomainToLoopback();

		test('the key does not go there', async () => {
			emulator.injectFaults({ fault: 'redirect-post', target: 'subdomain', label: 'attacker' });
			const port = new URL(emulator.baseUrl).port;
			await sendCredentialTestRequest({ apiKey: KEY, baseUrl: `http://api.pomelo.test:${port}` });
			expect(emulator.requests[0].headers).toMatchObject({ host: `api.pomelo.test:${port}`, authorization: `Bearer ${KEY}` });
			const offOrigin = emulator.requests.filter((entry) => entry.headers.host !== `api.pomelo.test:${port}`);
			expect(offOrigin.filter((entry) => JSON.stringify(entry.headers).includes(KEY))).toEqual([]);
		});
	});
});
