// The Pomelo node as an AI Agent's tool, in the real n8n 2.41.1 of the e2e suite: example 05 as
// shipped (Manual Trigger → Brief → n8n's AI Agent, with n8n's OpenAI Chat Model and the Pomelo
// tool, `n8n-nodes-pomelo.pomeloTool`), run by `n8n execute`. The chat model's credential is an
// `openAiApi` credential whose Base URL points at a small OpenAI-compatible stub
// (test/helpers/openai-stub.js) that calls the tool, then answers with what the tool returned; the
// Pomelo credential points at the emulator. What the tool returns to the model is documented in the
// README ("As an AI Agent's tool"), and that is what is checked here.
import { randomBytes } from 'crypto';

import { decodePngInfo, type RequestLogEntry } from '../../emulator';
import { startOpenAiStub, type OpenAiStub, type StubRequest } from '../helpers/openai-stub';
import { NODE_TYPE, emulatorRequests, examplesLib, nodeItems, sharedN8n, state, type ExecutionRun } from './helpers';

const s = state();
const n8n = sharedN8n(s);
const { EXAMPLES, OPENAI_CREDENTIAL } = examplesLib;
const example = () => s.examples[EXAMPLES.agent];

/** The tool node and the name a model sees it by (n8n: the node name, non-word characters → _). */
const TOOL_NODE = 'Generate image';
const TOOL_NAME = 'Generate_image';
const PROMPT = 'A steaming bowl of pumpkin soup on a rustic wooden table, autumn leaves, soft morning light';
const STUB_KEY = `sk-stub-${randomBytes(12).toString('hex')}`;

let stub: OpenAiStub;

beforeAll(async () => {
	stub = await startOpenAiStub({ apiKey: STUB_KEY, toolName: new RegExp(`^${TOOL_NAME}$`), toolArguments: {} });
	// The credential example 05 references, with its Base URL at the stub instead of api.openai.com.
	await n8n.importCredentials([{ ...OPENAI_CREDENTIAL, data: { apiKey: STUB_KEY, url: stub.baseUrl } }]);
});

afterAll(async () => {
	await stub?.close();
});

interface AgentRun {
	run: ExecutionRun;
	/** The requests the emulator received during the run (API and image origins). */
	emulator: RequestLogEntry[];
	/** The chat-completion requests the stub received during the run. */
	completions: StubRequest[];
}

async function runAgent(toolArguments: Record<string, unknown>): Promise<AgentRun> {
	stub.setToolArguments(toolArguments);
	const emulatorBefore = (await emulatorRequests()).length;
	const stubBefore = stub.completions().length;
	const result = await n8n.execute(example().id);
	expect(result.code).toBe(0);
	expect(result.run?.data.resultData.error).toBeUndefined();
	return {
		run: result.run!,
		emulator: (await emulatorRequests()).slice(emulatorBefore),
		completions: stub.completions().slice(stubBefore),
	};
}

/** The tool result the agent passed back to the model (the `tool` message of the second call). */
function toolResult(completions: StubRequest[]): { content: unknown[]; toolCallId: string } {
	const messages = completions[1].body.messages as Array<{ role: string; content: unknown; tool_call_id?: string }>;
	const toolMessages = messages.filter((m) => m.role === 'tool');
	expect(toolMessages).toHaveLength(1);
	const content = toolMessages[0].content;
	expect(typeof content).toBe('string');
	return { content: JSON.parse(content as string) as unknown[], toolCallId: toolMessages[0].tool_call_id! };
}

/** Items the tool node handed to the agent (its `ai_tool` output in the execution). */
function toolNodeItems(run: ExecutionRun) {
	const runs = run.data.resultData.runData[TOOL_NODE] as unknown as Array<{ data?: { ai_tool?: Array<Array<{ json: Record<string, unknown>; binary?: unknown }>> } }>;
	expect(runs).toHaveLength(1);
	return runs[0].data?.ai_tool?.[0] ?? [];
}

test('the node panel offers "Pomelo Tool", whose description (offered as the Tool Description) says what comes back', async () => {
	await n8n.login();
	type Description = { name: string; displayName: string; description: string; properties: Array<{ name: string; default?: unknown }> };
	const nodes = await n8n.rest<Description[]>('GET', '/types/nodes.json');
	const tool = nodes.find((n) => n.name === `${NODE_TYPE}Tool`)!;
	expect(tool.displayName).toBe('Pomelo Tool');
	expect(tool.description).toMatch(/returns.*URL.*prompt/i);
	expect(tool.properties.find((p) => p.name === 'toolDescription')!.default).toBe(tool.description);
});

test("the agent calls the Pomelo tool with the model's prompt; the model gets the image URL and seed, no image is downloaded, and the answer quotes the URL", async () => {
	const { run, emulator, completions } = await runAgent({ prompt: PROMPT, aspect_ratio: '16:9' });

	// The model was offered the tool under the node's name, with the workflow's description and the
	// two $fromAI() parameters.
	expect(completions).toHaveLength(2);
	expect(completions[0].authorization).toBe(`Bearer ${STUB_KEY}`);
	const tools = completions[0].body.tools as Array<{ function: { name: string; description: string; parameters: { properties: Record<string, unknown>; required?: string[] } } }>;
	const offered = tools.find((t) => t.function.name === TOOL_NAME);
	expect(offered).toBeDefined();
	const shipped = examplesLib.loadExample(EXAMPLES.agent).nodes.find((n) => n.name === TOOL_NODE)!;
	expect(offered!.function.description).toBe(shipped.parameters.toolDescription);
	expect(Object.keys(offered!.function.parameters.properties).sort()).toEqual(['aspect_ratio', 'prompt']);
	expect(offered!.function.parameters.required).toContain('prompt');

	// The emulator: one Flux.1 generation with the model's prompt and aspect ratio, and no image
	// download at all.
	const generations = emulator.filter((r) => r.origin === 'api' && r.method === 'POST');
	expect(generations).toHaveLength(1);
	expect(generations[0].path).toBe('/api/v1/flux.1');
	expect(generations[0].body).toEqual({ prompt: PROMPT, aspect_ratio: '16:9' });
	expect(generations[0].headers.authorization).toBe(`Bearer ${s.apiKey}`);
	expect(emulator.filter((r) => r.origin === 'image')).toHaveLength(0);

	// What the model received as the tool's result: the image's URL, seed, size, prompt and model.
	const { content, toolCallId } = toolResult(completions);
	expect(toolCallId).toBe(completions[0].answer!.toolCall!.id);
	expect(content).toHaveLength(1);
	const image = content[0] as Record<string, unknown>;
	expect(image).toMatchObject({ provider: 'flux', prompt: PROMPT, model: 'flux.1', width: 1024, height: 576, imageCount: 1 });
	expect(Number.isInteger(image.seed)).toBe(true);
	expect(typeof image.url).toBe('string');
	expect((image.url as string).startsWith(`${s.emulator.imageBaseUrl}/`)).toBe(true);
	// Nothing meant for a binary item: no file name, MIME type or size of a download.
	for (const key of ['fileName', 'mimeType', 'fileSize', 'binaryProperty']) expect(image).not.toHaveProperty(key);

	// The tool node's items in the execution carry no binary data.
	const items = toolNodeItems(run);
	expect(items).toHaveLength(1);
	expect(items[0].binary).toBeUndefined();

	// The agent's final output quotes the URL.
	const [answer] = nodeItems(run, 'AI Agent');
	expect(answer.json.output).toContain(image.url as string);

	// And the URL the model got is a real 1024x576 PNG (fetched by the test, after the counts above).
	const res = await fetch(image.url as string);
	expect(res.status).toBe(200);
	const png = decodePngInfo(Buffer.from(await res.arrayBuffer()));
	expect([png.width, png.height]).toEqual([1024, 576]);
});

test('a prompt refused by moderation: the model gets a short error it can act on, the run does not fail', async () => {
	const { run, emulator, completions } = await runAgent({ prompt: 'A street fight full of gore', aspect_ratio: '1:1' });

	const generations = emulator.filter((r) => r.origin === 'api' && r.method === 'POST');
	expect(generations).toHaveLength(1);
	expect(generations[0].status).toBe(400);
	expect(emulator.filter((r) => r.origin === 'image')).toHaveLength(0);

	expect(completions).toHaveLength(2);
	const { content } = toolResult(completions);
	expect(content).toHaveLength(1);
	const refusal = content[0] as Record<string, string>;
	expect(refusal.errorClass).toBe('moderation');
	expect(refusal.error).toMatch(/moderation/i);
	// It tells the model what to do next (README: rephrase and call again).
	expect(refusal.whatToDo).toMatch(/rephrase/i);
	expect(JSON.stringify(refusal)).not.toContain(s.apiKey);

	const [answer] = nodeItems(run, 'AI Agent');
	expect(answer.json.output).toContain(refusal.error);
});
