// The n8n editor in a real browser (Debian's Chromium, headless, driven by playwright-core): sign in
// as the owner, open a new workflow, find "Pomelo" in the node panel, add it, choose an operation and
// see its fields; run a workflow from the editor and read the node's output panel (images, JSON, the
// run summary hint); run the AI Agent example. The README's pictures are taken on the way, into
// .tmp/screenshots/ (`npm run docs:screenshots` copies them to docs/).
import { randomBytes } from 'crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';

import { chromium, selectors, type Browser, type Page } from 'playwright-core';

import { decodePngInfo } from '../../emulator';
import { startOpenAiStub } from '../helpers/openai-stub';
import { NODE_TYPE, OWNER, ROOT, emulatorRequests, eventually, examplesLib, sharedN8n, sleep, state } from './helpers';

const s = state();
const n8n = sharedN8n(s);
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SCREENSHOTS = join(ROOT, '.tmp', 'screenshots');

/**
 * The field names of a table in the README's "The Pomelo node" section (first column), under the
 * heading that starts with `heading`: what the editor's dropdowns must offer, written by the docs,
 * not read from the built node. The required Prompt is a field of its own, not in the dropdown.
 */
function readmeFields(heading: string): string[] {
	const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
	const start = readme.indexOf(`\n### ${heading}`);
	if (start === -1) throw new Error(`README has no "### ${heading}" section`);
	const section = readme.slice(start + 1).split(/\n#{2,3} /)[0];
	return section
		.split('\n')
		.filter((line) => line.startsWith('| ') && !/^\| (field|option) \|/.test(line) && !line.startsWith('|---'))
		.map((line) => line.split('|')[1].trim())
		.filter((name) => name !== 'Prompt')
		.sort();
}

let browser: Browser;
let page: Page;

beforeAll(async () => {
	if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (scripts/ci-e2e.sh does)`);
	selectors.setTestIdAttribute('data-test-id');
	browser = await chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
	page.setDefaultTimeout(60_000);
	mkdirSync(SCREENSHOTS, { recursive: true });
	await n8n.login();
});

afterAll(async () => {
	await browser?.close();
});

/**
 * Opens the "Add Field"/"Add Option" dropdown of a collection parameter (0 = Additional Fields,
 * 1 = Options) and returns the options of that dropdown (the listbox its input controls).
 */
async function openCollection(index: number): Promise<{ texts: string[]; choose(text: string): Promise<void> }> {
	const input = page.getByTestId('collection-parameter-add').nth(index).locator('input');
	await input.click();
	const listbox = page.locator(`[id="${await input.getAttribute('aria-controls')}"]`);
	const options = listbox.getByTestId('collection-parameter-option');
	await options.first().waitFor();
	const texts = (await options.allInnerTexts()).map((t) => t.split('\n')[0].trim());
	return {
		texts,
		choose: async (text: string) => {
			await options.getByText(text, { exact: true }).click();
			await listbox.waitFor({ state: 'hidden' });
		},
	};
}

/** Runs a test's steps; when they fail, keeps what the browser showed (next to the n8n logs). */
async function withFailureScreenshot(name: string, steps: () => Promise<void>) {
	try {
		await steps();
	} catch (error) {
		await page.screenshot({ path: join(s.workDir, `browser-failure-${name}.png`) }).catch(() => undefined);
		throw error;
	}
}

/** A README picture: the whole 1280x800 window (notifications closed), into the screenshots build folder. */
async function takeScreenshot(name: string) {
	for (const close of await page.locator('.el-notification__closeBtn').all()) await close.click().catch(() => undefined);
	await page.locator('.el-notification').first().waitFor({ state: 'hidden' }).catch(() => undefined);
	const file = join(SCREENSHOTS, name);
	await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
	const png = decodePngInfo(readFileSync(file));
	expect([png.width, png.height]).toEqual([1280, 800]);
	expect(statSync(file).size).toBeLessThan(400_000);
}

/** Signs in as the owner unless the page's session already is. */
async function signIn() {
	await page.goto(`${s.baseUrl}/signin`);
	await page.waitForLoadState('networkidle');
	if (!new URL(page.url()).pathname.startsWith('/signin')) return;
	await page.locator('#emailOrLdapLoginId').fill(OWNER.email);
	await page.locator('#password').fill(OWNER.password);
	await page.getByTestId('form-submit-button').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}

type Execution = { id: string; status: string; mode: string };
/** Opens a workflow, clicks "Execute workflow" and waits for the run n8n records for it. */
async function executeInEditor(workflowId: string): Promise<Execution> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const list = async () => (await n8n.rest<{ results: Execution[] }>('GET', `/rest/executions?filter=${filter}`)).results;
	const before = new Set((await list()).map((e) => e.id));
	await page.goto(`${s.baseUrl}/workflow/${workflowId}`);
	await page.getByTestId('execute-workflow-button').click();
	return await eventually(async () => {
		const finished = (await list()).find((e) => !before.has(e.id) && e.status !== 'running' && e.status !== 'new');
		expect(finished).toBeDefined();
		return finished!;
	}, 180_000, 1000);
}

async function openNode(name: string) {
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).dblclick();
	await page.getByTestId('ndv').waitFor();
}

test('the owner signs in, adds the Pomelo node from the node panel and sees its operations and fields', async () => {
	await withFailureScreenshot('add-node', addPomeloNode);
});

async function addPomeloNode() {
	await signIn();
	await page.goto(`${s.baseUrl}/workflow/new`);
	await page.getByTestId('canvas-add-button').click();
	const search = page.getByTestId('node-creator-search-bar');
	await search.fill('Pomelo');
	const found = page.getByTestId('node-creator-item-name');
	await eventually(async () => expect(await found.allInnerTexts()).toEqual(['Pomelo']));
	await found.getByText('Pomelo', { exact: true }).click();

	// The node's actions: one per operation.
	await eventually(async () => {
		const actions = await page.getByTestId('node-creator-item-name').allInnerTexts();
		expect(actions.filter((a) => /flux\.1|midjourney/i.test(a))).toHaveLength(2);
	});
	await page.getByTestId('node-creator-item-name').getByText(/flux\.1/i).click();

	const ndv = page.getByTestId('ndv');
	await ndv.waitFor();
	const prompt = page.getByTestId('parameter-input-prompt').locator('textarea');
	await prompt.waitFor();
	const labels = (await ndv.getByTestId('node-parameters').getByTestId('input-label').allInnerTexts()).map((t) => t.split('\n')[0].trim());
	for (const label of ['Resource', 'Operation', 'Prompt', 'Additional Fields', 'Options']) {
		expect(labels).toContain(label);
	}
	// The only credential of its type is selected by itself.
	await expect(page.getByTestId('node-credentials-select').locator('input').inputValue()).resolves.toBe('Pomelo account');
	await expect(page.getByTestId('parameter-input-operation').locator('input').inputValue()).resolves.toMatch(/flux\.1/i);

	// Additional Fields offers the Flux.1 API parameters.
	await prompt.fill('A red fox in fresh snow, golden hour, photorealistic');
	let fields = await openCollection(0);
	expect([...fields.texts].sort()).toEqual(readmeFields('Generate with Flux.1'));
	await fields.choose('Seed');
	fields = await openCollection(0);
	await fields.choose('Aspect Ratio');
	await page.getByTestId('parameter-input-seed').locator('input').fill('424242');
	await page.getByTestId('parameter-input-aspectRatio').waitFor();

	const options = await openCollection(1);
	expect([...options.texts].sort()).toEqual(readmeFields('Options'));
	await page.keyboard.press('Escape');
	// Out of any field (no hint overlay), then the picture for the README.
	await page.getByTestId('node-parameters').getByText('Resource', { exact: true }).click();

	await takeScreenshot('pomelo-node.png');

	// The other operation: Midjourney's own fields.
	await page.getByTestId('parameter-input-operation').click();
	await page.getByTestId('parameter-input-item').filter({ visible: true }).getByText(/midjourney/i).first().click();
	await expect(page.getByTestId('parameter-input-operation').locator('input').inputValue()).resolves.toMatch(/midjourney/i);
	const midjourneyFields = await openCollection(0);
	expect([...midjourneyFields.texts].sort()).toEqual(readmeFields('Generate with Midjourney'));
}

/** Two prompts → the Pomelo node (Flux.1, 16:9), run from the editor. */
const EDITOR_RUN = {
	id: 'pomeloEditorRun01',
	name: 'Pomelo: two header images (editor run)',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [
		{ id: 'ed-1', name: 'Run now', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'ed-2',
			name: 'Prompts',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [220, 0],
			parameters: {
				jsCode:
					"return [\n  'A lighthouse on a cliff at dawn, watercolor',\n  'A cosy reading nook with a cat, warm light',\n].map((prompt) => ({ json: { prompt } }));\n",
			},
		},
		{
			id: 'ed-3',
			name: 'Generate images',
			type: NODE_TYPE,
			typeVersion: 1,
			position: [440, 0],
			parameters: { resource: 'image', operation: 'flux', prompt: '={{ $json.prompt }}', additionalFields: { aspectRatio: '16:9' }, options: {} },
			credentials: { pomeloApi: { id: examplesLib.CREDENTIAL_ID, name: 'Pomelo account' } },
		},
	],
	connections: {
		'Run now': { main: [[{ node: 'Prompts', type: 'main', index: 0 }]] },
		Prompts: { main: [[{ node: 'Generate images', type: 'main', index: 0 }]] },
	},
	pinData: {},
};

test("a run from the editor: the node's output panel shows the images, their JSON and the run summary", async () => {
	await withFailureScreenshot('editor-run', async () => {
		await n8n.importWorkflow(EDITOR_RUN);
		await signIn();
		const seenBefore = (await emulatorRequests()).length;
		const execution = await executeInEditor(EDITOR_RUN.id);
		expect(execution.status).toBe('success');

		// The images n8n downloaded in that run, fetched again from the image host: their total size
		// is what the summary reports (README, "Run summary": kB below 1 MB).
		const downloads = (await emulatorRequests()).slice(seenBefore).filter((r) => r.origin === 'image');
		expect(downloads).toHaveLength(2);
		let bytes = 0;
		for (const download of downloads) bytes += (await (await fetch(`${s.emulator.imageBaseUrl}${download.path}`)).arrayBuffer()).byteLength;
		expect(bytes).toBeLessThan(1024 * 1024);

		await openNode('Generate images');
		const output = page.getByTestId('output-panel');
		// The run summary (an execution hint) above the output, and nothing else there.
		await eventually(async () => {
			const hints = (await output.getByTestId('run-data-hints').innerText()).replace(/\s+/g, ' ').trim();
			expect(hints).toBe(`2 images from 2 prompts, ${Math.round(bytes / 1024)} kB`);
		});

		// JSON: the documented fields of the first image.
		await output.getByRole('radio', { name: 'JSON' }).click();
		const json = output.getByTestId('ndv-data-container');
		await eventually(async () => {
			const text = (await json.innerText()).replace(/\s+/g, ' ');
			expect(text).toContain('"provider": "flux"');
			expect(text).toContain('"prompt": "A lighthouse on a cliff at dawn, watercolor"');
			expect(text).toContain(`"url": "${s.emulator.imageBaseUrl}/images/`);
			expect(text).toContain('"mimeType": "image/png"');
		});
		await takeScreenshot('pomelo-output-json.png');

		// Binary: the image itself, as n8n shows it from its binary data store.
		await output.getByRole('radio', { name: 'Binary' }).click();
		await output.getByTestId('ndv-view-binary-data').first().click();
		// n8n serves the stored image from its binary-data endpoint.
		const image = page.getByTestId('ndv').locator('img[src*="binary-data"]').first();
		await image.waitFor();
		await eventually(async () => {
			expect(await image.evaluate((img) => { const element = img as unknown as { complete: boolean; naturalWidth: number; naturalHeight: number }; return [element.complete, element.naturalWidth, element.naturalHeight]; })).toEqual([true, 1024, 576]);
		});
		await sleep(500);
		await takeScreenshot('pomelo-output.png');
	});
});

test('the AI Agent example runs in the editor: the agent calls the Pomelo tool and answers with the image URL', async () => {
	const apiKey = `sk-stub-${randomBytes(12).toString('hex')}`;
	const stub = await startOpenAiStub({
		apiKey,
		toolName: /^Generate_image$/,
		toolArguments: { prompt: 'A steaming bowl of pumpkin soup on a rustic wooden table, autumn leaves', aspect_ratio: '1:1' },
	});
	try {
		await withFailureScreenshot('agent', async () => {
			// The example's OpenAI credential, its Base URL at the stub.
			await n8n.importCredentials([{ ...examplesLib.OPENAI_CREDENTIAL, data: { apiKey, url: stub.baseUrl } }]);
			await signIn();
			const agentExample = s.examples[examplesLib.EXAMPLES.agent];
			const execution = await executeInEditor(agentExample.id);
			expect(execution.status).toBe('success');
			expect(stub.completions()).toHaveLength(2);

			// The agent's answer quotes the URL the tool returned to the model.
			const toolMessage = (stub.completions()[1].body.messages as Array<{ role: string; content: string }>).find((m) => m.role === 'tool')!;
			const [image] = JSON.parse(toolMessage.content) as Array<{ url: string }>;
			expect(image.url.startsWith(`${s.emulator.imageBaseUrl}/`)).toBe(true);
			await openNode('AI Agent');
			await eventually(async () => expect(await page.getByTestId('output-panel').innerText()).toContain(image.url));
			await page.getByTestId('ndv-close-button').or(page.getByTestId('back-to-canvas')).first().click();
			await page.getByTestId('ndv').waitFor({ state: 'hidden' });
			await sleep(500);
			await takeScreenshot('pomelo-agent.png');
		});
	} finally {
		await stub.close();
	}
});
