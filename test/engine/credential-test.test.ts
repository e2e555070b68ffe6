/**
 * The credential's Test request as n8n-core sends it, checked at the server: where it goes, what it
 * carries, that it generates nothing. The verdict n8n shows for it (OK, "Invalid API key: …") comes
 * from n8n's own credential tester, which only a real n8n has: test/e2e/workflows.test.ts.
 */
import { emulatorPerFile } from '../helpers/emulator-per-file';
import { sendCredentialTestRequest } from '../helpers/credential-tester';

const API_KEY = 'sk-cred-test-5d1e';
const emulator = emulatorPerFile({ apiKey: API_KEY });

const apiRequests = () => emulator.requests.filter((entry) => entry.origin === 'api');

// README, Credentials: "it sends a request with an empty prompt, which Pomelo refuses as invalid
// (422) when the key is good and as unauthorised (401/403) when it is not."
test('a good key: one request with an empty prompt and the bearer key, refused as invalid (422), nothing generated', async () => {
	await sendCredentialTestRequest({ apiKey: API_KEY, baseUrl: emulator.baseUrl });
	expect(emulator.requests).toEqual([
		expect.objectContaining({ origin: 'api', method: 'POST', path: '/api/v1/flux.1', body: { prompt: '' }, status: 422 }),
	]);
	expect(emulator.requests[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
	expect(emulator.stats().generations.performed).toBe(0);
});

test('a key pasted with a trailing space and newline is sent trimmed', async () => {
	await sendCredentialTestRequest({ apiKey: ` ${API_KEY} \n`, baseUrl: emulator.baseUrl });
	expect(apiRequests().map((entry) => [entry.headers.authorization, entry.status])).toEqual([[`Bearer ${API_KEY}`, 422]]);
});

test('a wrong key: sent as the bearer key, refused as unauthorised (401), nothing generated', async () => {
	await sendCredentialTestRequest({ apiKey: 'sk-wrong', baseUrl: emulator.baseUrl });
	const requests = apiRequests();
	expect(requests.length).toBeGreaterThanOrEqual(1);
	for (const request of requests) {
		expect(request).toMatchObject({ method: 'POST', path: '/api/v1/flux.1', status: 401 });
		expect(request.headers.authorization).toBe('Bearer sk-wrong');
	}
	expect(emulator.requests.filter((entry) => entry.origin === 'image')).toHaveLength(0);
	expect(emulator.stats().generations.performed).toBe(0);
});

test('a Base URL with a trailing slash is tested against the same endpoint', async () => {
	await sendCredentialTestRequest({ apiKey: API_KEY, baseUrl: `${emulator.baseUrl}/` });
	expect(emulator.requests.map((entry) => [entry.path, entry.status])).toEqual([['/api/v1/flux.1', 422]]);
});

test('a Base URL where no Pomelo API answers: the request goes there once and is answered 404', async () => {
	await sendCredentialTestRequest({ apiKey: API_KEY, baseUrl: emulator.imageBaseUrl });
	expect(emulator.requests.map((entry) => [entry.origin, entry.method, entry.path, entry.status])).toEqual([
		['image', 'POST', '/api/v1/flux.1', 404],
	]);
});
