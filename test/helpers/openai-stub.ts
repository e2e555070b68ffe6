// A small OpenAI-compatible chat model on 127.0.0.1, for n8n's AI Agent + OpenAI Chat Model nodes
// (the `openAiApi` credential's Base URL points here). It plays a model that makes one image:
//   1. a conversation with no tool result yet → a call of the image tool with the tool arguments;
//   2. once the conversation holds the tool's result → a final answer quoting the image URL (or,
//      when the tool reported an error, that error).
// Every request is recorded, so a test sees what the model was given: the tools with their
// descriptions, and the tool result the agent passed back. Answers plain JSON, or server-sent
// events when the request asks for `stream: true`.
import { createServer, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';

export interface StubAnswer {
	toolCall?: { id: string; name: string; arguments: string };
	content?: string;
	error?: string;
}

export interface StubRequest {
	method: string;
	path: string;
	authorization?: string;
	/** The parsed JSON body (chat completions: model, messages, tools, stream…). */
	body: Record<string, unknown>;
	/** What the stub answered. */
	answer?: StubAnswer;
}

export interface OpenAiStub {
	/** `http://127.0.0.1:<port>/v1`: the `openAiApi` credential's Base URL. */
	baseUrl: string;
	requests: StubRequest[];
	/** The chat-completion requests, in order. */
	completions(): StubRequest[];
	/** The arguments of the next tool calls. */
	setToolArguments(args: Record<string, unknown>): void;
	close(): Promise<void>;
}

export interface OpenAiStubOptions {
	/** The key the credential holds; any other gets a 401. */
	apiKey: string;
	/** Picks the image tool among the request's tools. */
	toolName: RegExp;
	/** The arguments the "model" calls the tool with (until setToolArguments changes them). */
	toolArguments: Record<string, unknown>;
}

type Message = { role: string; content?: unknown };

/** A tool message's content: a string, or (LangChain) an array of text parts. */
function contentText(content: unknown): string {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) return content.map((part) => (typeof part === 'string' ? part : (part?.text ?? ''))).join('');
	return JSON.stringify(content);
}

/** What a model would write from the tool's result: the image URL, or the tool's error. */
function finalAnswer(toolResultText: string): string {
	let result: unknown;
	try {
		result = JSON.parse(toolResultText);
	} catch {
		return `The image tool answered something I cannot read: ${toolResultText.slice(0, 200)}`;
	}
	const first = (Array.isArray(result) ? result[0] : result) as Record<string, unknown> | undefined;
	if (typeof first?.url === 'string') return `Here is your image: ${first.url}`;
	if (typeof first?.error === 'string') return `I could not make the image: ${first.error}`;
	return `The image tool answered without an image: ${toolResultText.slice(0, 200)}`;
}

function assistantMessage(answer: StubAnswer) {
	if (answer.toolCall) {
		const { id, name, arguments: args } = answer.toolCall;
		return { role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name, arguments: args } }] };
	}
	return { role: 'assistant', content: answer.content };
}

function sendJson(res: ServerResponse, status: number, value: unknown) {
	const body = JSON.stringify(value);
	res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
	res.end(body);
}

function sendCompletion(res: ServerResponse, model: string, answer: StubAnswer) {
	sendJson(res, 200, {
		id: `chatcmpl-stub-${Date.now()}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model,
		choices: [{ index: 0, message: assistantMessage(answer), finish_reason: answer.toolCall ? 'tool_calls' : 'stop' }],
		usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
	});
}

/** The same answer as chat.completion.chunk events. */
function sendStream(res: ServerResponse, model: string, answer: StubAnswer) {
	res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
	const base = { id: `chatcmpl-stub-${Date.now()}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model };
	const send = (delta: object, finishReason: string | null = null) =>
		res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`);
	const message = assistantMessage(answer);
	if (answer.toolCall) {
		send({ ...message, tool_calls: message.tool_calls!.map((call, index) => ({ index, ...call })) });
		send({}, 'tool_calls');
	} else {
		send(message);
		send({}, 'stop');
	}
	res.end('data: [DONE]\n\n');
}

export async function startOpenAiStub({ apiKey, toolName, toolArguments }: OpenAiStubOptions): Promise<OpenAiStub> {
	const requests: StubRequest[] = [];
	let callArguments = toolArguments;
	let callCount = 0;

	type ChatRequest = { messages?: Message[]; tools?: Array<{ function?: { name?: string } }> };
	function chooseAnswer(body: ChatRequest): StubAnswer {
		const toolResult = [...(body.messages ?? [])].reverse().find((m) => m.role === 'tool');
		if (toolResult) return { content: finalAnswer(contentText(toolResult.content)) };
		const tools = (body.tools ?? []).map((t) => t.function?.name).filter((name): name is string => Boolean(name));
		const tool = tools.find((name) => toolName.test(name));
		if (!tool) return { error: `no tool matching ${toolName} among [${tools.join(', ')}]` };
		callCount += 1;
		return { toolCall: { id: `call_stub_${callCount}`, name: tool, arguments: JSON.stringify(callArguments) } };
	}

	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			let body: Record<string, unknown>;
			try {
				body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
			} catch {
				body = { unparsed: text };
			}
			const path = (req.url ?? '').split('?')[0];
			const entry: StubRequest = { method: req.method ?? '', path, authorization: req.headers.authorization, body };
			requests.push(entry);

			if (req.headers.authorization !== `Bearer ${apiKey}`) {
				return sendJson(res, 401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } });
			}
			if (req.method === 'GET' && path === '/v1/models') {
				return sendJson(res, 200, { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', owned_by: 'stub' }] });
			}
			if (req.method !== 'POST' || path !== '/v1/chat/completions') {
				return sendJson(res, 404, { error: { message: `stub: no route ${req.method} ${path}`, type: 'invalid_request_error' } });
			}
			const answer = chooseAnswer(body as ChatRequest);
			entry.answer = answer;
			if (answer.error) return sendJson(res, 400, { error: { message: `stub: ${answer.error}`, type: 'invalid_request_error' } });
			const model = typeof body.model === 'string' ? body.model : 'gpt-4o-mini';
			return body.stream === true ? sendStream(res, model, answer) : sendCompletion(res, model, answer);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

	return {
		baseUrl: `${origin}/v1`,
		requests,
		completions: () => requests.filter((r) => r.path === '/v1/chat/completions'),
		setToolArguments: (args) => {
			callArguments = args;
		},
		close: async () => {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}
