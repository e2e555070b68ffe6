/**
 * An item's Options as the node reads them (README, "Options (both operations)"): the output
 * settings, the switches, and values an expression can set that are not numbers. The numeric
 * defaults and limits are in retry.test.ts ("the Options of an item").
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readItemOptions } from '../../nodes/Pomelo/actions/image/options';
import { pomeloNodeRef } from '../helpers/node-ref';

/** A node run's context as options.ts sees it: the node (its type) and the item's Options collection. */
function context(options: IDataObject, extra: Partial<IExecuteFunctions> & { type?: string } = {}): IExecuteFunctions {
	const { type = 'n8n-nodes-pomelo.pomelo', ...rest } = extra;
	return {
		getNode: () => ({ ...pomeloNodeRef, type }),
		getNodeParameter: (name: string) => (name === 'options' ? options : undefined),
		...rest,
	} as unknown as IExecuteFunctions;
}

const itemOptions = (options: IDataObject) => readItemOptions(context(options), 0);

function thrownBy(run: () => unknown): unknown {
	try {
		run();
	} catch (error) {
		return error;
	}
	return undefined;
}

describe('output settings', () => {
	test('defaults: the image goes into "data", downloaded, one item per image', () => {
		expect(itemOptions({}).output).toEqual({ binaryPropertyName: 'data', returnUrlsOnly: false, oneItemPerRequest: false });
	});

	test('each is read from the item, the field name trimmed', () => {
		expect(itemOptions({ binaryPropertyName: ' picture ', returnUrlsOnly: true, oneItemPerRequest: true }).output).toEqual({
			binaryPropertyName: 'picture',
			returnUrlsOnly: true,
			oneItemPerRequest: true,
		});
	});

	test.each(['', '   '])('"Put Output in Field" set to %j is an input error naming the option', (value) => {
		expect(thrownBy(() => itemOptions({ binaryPropertyName: value }))).toMatchObject({
			errorClass: 'input',
			message: 'Item 0: "Put Output in Field" (binaryPropertyName) must not be empty',
		});
	});
});

describe('switches', () => {
	test('Retry When Outcome Is Unknown and Allow Private Image Hosts, when on, are on', () => {
		expect(itemOptions({ retryUnknownOutcome: true, allowPrivateImageHosts: true }).transport).toMatchObject({
			retryUnknownOutcome: true,
			allowPrivateImageHosts: true,
		});
	});
});

describe('as an AI Agent\'s tool the node never downloads (README: "whatever Return URLs Only says")', () => {
	test('the tool variant of the node (type n8n-nodes-pomelo.pomeloTool)', () => {
		const options = readItemOptions(context({ returnUrlsOnly: false }, { type: 'n8n-nodes-pomelo.pomeloTool' }), 0);
		expect(options.output.returnUrlsOnly).toBe(true);
	});

	test('an older agent, whose context says isToolExecution()', () => {
		const options = readItemOptions(context({}, { isToolExecution: () => true }), 0);
		expect(options.output.returnUrlsOnly).toBe(true);
	});

	test('a context whose isToolExecution() says no is a plain run', () => {
		const options = readItemOptions(context({}, { isToolExecution: () => false }), 0);
		expect(options.output.returnUrlsOnly).toBe(false);
	});
});

describe('a number option an expression set to blank text', () => {
	// Blank is not 0: the option would silently become its minimum (1 s for the timeout).
	test.each([
		['', 'Item 0: "Request Timeout (Seconds)" (requestTimeout) must be a number; got ""'],
		['  ', 'Item 0: "Request Timeout (Seconds)" (requestTimeout) must be a number; got "  "'],
	])('%j is an input error naming the option', (value, message) => {
		expect(thrownBy(() => itemOptions({ requestTimeout: value }))).toMatchObject({ errorClass: 'input', message });
	});

	test('true (an expression that gives a boolean) is an input error too', () => {
		expect(thrownBy(() => itemOptions({ maxRetries: true }))).toMatchObject({
			errorClass: 'input',
			message: 'Item 0: "Max Retries" (maxRetries) must be a number; got true',
		});
	});
});
