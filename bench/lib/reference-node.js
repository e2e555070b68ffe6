'use strict';
// The least any node can do for one Flux item through n8n's own helpers: read the prompt, POST the
// generation with the credential (httpRequestWithAuthentication), GET each image as a stream and
// hand it to prepareBinaryData. No validation, no retries, no size guard, no error mapping.
// The bench runs it in the same engine as the Pomelo node to split the Pomelo node's time per image
// into "n8n's helpers" (this node) and "the Pomelo node's own code" (the difference).

class ReferenceNode {
	constructor() {
		this.description = {
			displayName: 'Reference (n8n helpers only)',
			name: 'benchReference',
			group: ['transform'],
			version: 1,
			description: 'Bench only',
			defaults: { name: 'Reference' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'pomeloApi', required: true }],
			properties: [
				{ displayName: 'Prompt', name: 'prompt', type: 'string', default: '' },
				{ displayName: 'Concurrency', name: 'concurrency', type: 'number', default: 5 },
			],
		};
	}

	async execute() {
		const items = this.getInputData();
		const credentials = await this.getCredentials('pomeloApi');
		const baseUrl = String(credentials.baseUrl).replace(/\/+$/, '');
		const concurrency = this.getNodeParameter('concurrency', 0);
		const results = new Array(items.length);
		let next = 0;
		const lane = async () => {
			while (next < items.length) {
				const i = next++;
				const answer = await this.helpers.httpRequestWithAuthentication.call(this, 'pomeloApi', {
					method: 'POST',
					url: `${baseUrl}/api/v1/flux.1`,
					body: { prompt: this.getNodeParameter('prompt', i) },
					json: true,
				});
				results[i] = await Promise.all(
					answer.images.map(async (image, k) => {
						const response = await this.helpers.httpRequest({
							method: 'GET',
							url: image.url,
							encoding: 'stream',
							returnFullResponse: true,
						});
						const binary = await this.helpers.prepareBinaryData(response.body, `image-${i}-${k}.png`, 'image/png');
						return { json: { url: image.url }, binary: { data: binary }, pairedItem: { item: i } };
					}),
				);
			}
		};
		await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
		return [results.flat()];
	}
}

module.exports = { ReferenceNode, REFERENCE_TYPE: 'bench.reference' };
