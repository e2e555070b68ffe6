import { emulatorPerFile } from '../helpers/emulator-per-file';
import { testPomeloCredential } from '../helpers/credential-tester';

const API_KEY = 'sk-cred-test-5d1e';
const emulator = emulatorPerFile({ apiKey: API_KEY });

test('a good key passes the credential test without generating anything', async () => {
	expect(await testPomeloCredential({ apiKey: API_KEY, baseUrl: emulator.baseUrl })).toEqual({
		status: 'OK',
		message: 'Connection successful!',
	});
	const [request] = emulator.requests;
	expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
	expect(request.body).toEqual({ prompt: '' });
	expect(request.status).toBe(422);
	expect(emulator.requests.filter((entry) => entry.origin === 'image')).toHaveLength(0);
});

test('a wrong key fails it with a message saying so', async () => {
	expect(await testPomeloCredential({ apiKey: 'sk-wrong', baseUrl: emulator.baseUrl })).toEqual({
		status: 'Error',
		message: 'Invalid API key: Pomelo answered 401 Unauthorized',
	});
});

test('a Base URL with a trailing slash is tested against the same endpoint', async () => {
	expect((await testPomeloCredential({ apiKey: API_KEY, baseUrl: `${emulator.baseUrl}/` })).status).toBe('OK');
	expect(emulator.requests[0].path).toBe('/api/v1/flux.1');
});

test('a Base URL where no Pomelo API answers fails it', async () => {
	const verdict = await testPomeloCredential({ apiKey: API_KEY, baseUrl: emulator.imageBaseUrl });
	expect(verdict).toEqual({ status: 'Error', message: 'No Pomelo API at this Base URL (404 Not Found)' });
});
