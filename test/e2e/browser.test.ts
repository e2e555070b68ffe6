// The n8n editor in a real browser (Debian's Chromium, headless, driven by playwright-core): sign in
// as the owner, open a new workflow, find "Pomelo" in the node panel, add it, choose an operation and
// see its fields. The screenshot of the open node goes to .tmp/screenshots/pomelo-node.png;
// `npm run docs:screenshots` copies it to docs/ for the README.
import { mkdirSync, readFileSync, statSync, existsSync } from 'fs';
import { join } from 'path';

import { chromium, selectors, type Browser, type Page } from 'playwright-core';

import { decodePngInfo } from '../../emulator';
import { OWNER, ROOT, eventually, state } from './helpers';

const s = state();
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SCREENSHOT_DIR = join(ROOT, '.tmp', 'screenshots');
const SCREENSHOT = join(SCREENSHOT_DIR, 'pomelo-node.png');

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

test('the owner signs in, adds the Pomelo node from the node panel and sees its operations and fields', async () => {
	try {
		await addPomeloNode();
	} catch (error) {
		// What the browser showed when it failed (next to the n8n logs).
		await page.screenshot({ path: join(s.workDir, 'browser-failure.png') }).catch(() => undefined);
		throw error;
	}
});

async function addPomeloNode() {
	await page.goto(`${s.baseUrl}/signin`);
	await page.locator('#emailOrLdapLoginId').fill(OWNER.email);
	await page.locator('#password').fill(OWNER.password);
	await page.getByTestId('form-submit-button').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));

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

	mkdirSync(SCREENSHOT_DIR, { recursive: true });
	await page.screenshot({ path: SCREENSHOT, animations: 'disabled', caret: 'hide' });
	const png = decodePngInfo(readFileSync(SCREENSHOT));
	expect([png.width, png.height]).toEqual([1280, 800]);
	expect(statSync(SCREENSHOT).size).toBeLessThan(400_000);

	// The other operation: Midjourney's own fields.
	await page.getByTestId('parameter-input-operation').click();
	await page.getByTestId('parameter-input-item').filter({ visible: true }).getByText(/midjourney/i).first().click();
	await expect(page.getByTestId('parameter-input-operation').locator('input').inputValue()).resolves.toMatch(/midjourney/i);
	const midjourneyFields = await openCollection(0);
	expect([...midjourneyFields.texts].sort()).toEqual(readmeFields('Generate with Midjourney'));
}
