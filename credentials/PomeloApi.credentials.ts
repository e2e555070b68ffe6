import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class PomeloApi implements ICredentialType {
	name = 'pomeloApi';

	displayName = 'Pomelo API';

	icon: Icon = { light: 'file:../nodes/Pomelo/pomelo.svg', dark: 'file:../nodes/Pomelo/pomelo.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-pomelo/n8n-nodes-pomelo#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Your Pomelo API key, sent as "Authorization: Bearer &lt;key&gt;"',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.pomeloapi.example.com',
			required: true,
			description:
				'Origin of the Pomelo API. Change it only for a proxy, a staging host or a local emulator.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				// A key pasted with a trailing space or newline is sent without it.
				Authorization: '=Bearer {{$credentials.apiKey.trim()}}',
			},
		},
	};

	// The API has no "who am I" endpoint, and a real generation would be billed. A request with an
	// empty prompt is refused as invalid (400/422) once the key is accepted, and as unauthorised
	// (401/403) when it is not: only the statuses listed in `except` fail the test. A redirect is
	// not followed (the key stays with the Base URL's origin) and fails the test.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/api/v1/flux.1',
			method: 'POST',
			body: { prompt: '' },
			json: true,
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
			ignoreHttpStatusErrors: {
				ignore: true,
				except: [301, 302, 303, 307, 308, 401, 403, 404, 405, 407, 500, 501, 502, 503, 504],
			},
		},
		rules: [
			{
				type: 'responseCode',
				properties: { value: 401, message: 'Invalid API key: Pomelo answered 401 Unauthorized' },
			},
			{
				type: 'responseCode',
				properties: { value: 403, message: 'API key not allowed: Pomelo answered 403 Forbidden' },
			},
			{
				type: 'responseCode',
				properties: { value: 404, message: 'No Pomelo API at this Base URL (404 Not Found)' },
			},
			...[301, 302, 303, 307, 308].map((value) => ({
				type: 'responseCode' as const,
				properties: {
					value,
					message: `The Base URL redirects elsewhere (HTTP ${value}); the key was not sent there. Enter the API's own address.`,
				},
			})),
		],
	};
}
