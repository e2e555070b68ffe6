'use strict';
// The API origin: the two generation endpoints and /images-from-api/<id>.png (used by the
// image-on-api-origin and image-redirect-api faults).
//
// Order of checks on a generation request, as a real gateway would do it:
// [queued gateway fault: redirect-post] → auth → body size → content type → JSON → parameters →
// injected fault → moderation → latency → answer.
// Auth comes first so that a credential test can POST "{}" and tell a bad key (401) from a good one (422).

const { sendError, sendJson, sendBody, readBody, mediaType, methodNotAllowed, splitUrl, errorMessage } = require('./http-util');
const { validateGenerationBody, violatesContentPolicy, MODERATION_ERROR } = require('./validation');
const { parseDirectives, activeDirective, respondWithFault } = require('./faults');
const { generate } = require('./generation');
const { serveImage } = require('./image-origin');

/**
 * @typedef {import('./server').State} State
 * @typedef {import('./http-util').Request} Request
 * @typedef {import('./http-util').Response} Response
 * @typedef {import('./request-log').RequestLogEntry} RequestLogEntry
 * @typedef {import('./validation').Endpoint} Endpoint
 */

/** @type {Record<string, Endpoint>} */
const GENERATION_ENDPOINTS = {
	'/api/v1/midjourney/generate': 'midjourney',
	'/api/v1/flux.1': 'flux',
};
const API_IMAGE_PATH = /^\/images-from-api\/([A-Za-z0-9_-]+)\.png$/;

/** @type {import('./server').Handler} */
async function handleApiRequest(state, req, res, entry) {
	const [pathname] = splitUrl(String(req.url));
	const endpoint = Object.hasOwn(GENERATION_ENDPOINTS, pathname) ? GENERATION_ENDPOINTS[pathname] : undefined;
	if (endpoint) {
		if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
		return handleGeneration(state, endpoint, req, res, entry);
	}
	const imageMatch = API_IMAGE_PATH.exec(pathname);
	if (imageMatch) {
		if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');
		const record = state.store.get(imageMatch[1]);
		if (!record) return sendError(res, 404, 'not_found', `No image ${imageMatch[1]}`);
		return serveImage(state, res, record); // no auth and no faults: the test looks at the headers logged
	}
	return sendError(res, 404, 'not_found', `No route for ${req.method} ${pathname} on the API origin`);
}

/**
 * 401 body for a bad Authorization header, or null when the key is right.
 * @param {string | undefined} header
 * @param {string} apiKey
 */
function authError(header, apiKey) {
	const value = String(header || '').trim();
	if (value === '' || /^Bearer$/i.test(value)) {
		return { code: 'missing_api_key', message: 'Missing API key: send Authorization: Bearer <key>' };
	}
	const match = /^Bearer\s+(.+)$/i.exec(value);
	if (!match || match[1].trim() !== apiKey) return { code: 'invalid_api_key', message: 'Invalid API key' };
	return null;
}

/**
 * Auth, size, content type, JSON and parameters: the validated params, or null once refused.
 * @param {State} state
 * @param {Endpoint} endpoint
 * @param {Request} req
 * @param {Response} res
 * @param {RequestLogEntry} entry
 */
async function acceptedParameters(state, endpoint, req, res, entry) {
	const { text, tooLarge } = await readBody(req);
	entry.body = text;

	const denied = authError(req.headers.authorization, state.config.apiKey);
	if (denied) return refuse(() => sendError(res, 401, denied.code, denied.message));
	if (tooLarge) return refuse(() => sendError(res, 413, 'payload_too_large', 'The request body is larger than 1 MB'));
	if (mediaType(req.headers['content-type']) !== 'application/json') {
		return refuse(() =>
			sendError(res, 415, 'unsupported_media_type', 'Send the body as JSON with Content-Type: application/json'),
		);
	}
	let body;
	try {
		body = JSON.parse(text);
	} catch (error) {
		return refuse(() => sendError(res, 400, 'invalid_json', `The request body is not valid JSON: ${errorMessage(error)}`));
	}
	entry.body = body;

	const { params, error } = validateGenerationBody(endpoint, body);
	if (error) return refuse(() => sendJson(res, error.status, error.body));
	return params;
}

/** @param {() => void} sendRefusal */
function refuse(sendRefusal) {
	sendRefusal();
	return null;
}

/**
 * A queued fault that a gateway applies before looking at the request (redirect-post).
 * @param {State} state
 * @param {import('./faults').ChosenFault} fault
 * @param {Endpoint} endpoint
 * @param {Request} req
 * @param {Response} res
 * @param {RequestLogEntry} entry
 */
async function respondBeforeChecks(state, fault, endpoint, req, res, entry) {
	const { text } = await readBody(req);
	entry.body = parsedOrText(text);
	return respondWithFault(state, fault, entry, { req, res, endpoint });
}

/** @param {string} text */
function parsedOrText(text) {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

/**
 * @param {State} state
 * @param {Endpoint} endpoint
 * @param {Request} req
 * @param {Response} res
 * @param {RequestLogEntry} entry
 * @returns {Promise<void>}
 */
async function handleGeneration(state, endpoint, req, res, entry) {
	const early = state.faultQueue.take(endpoint, { beforeChecks: true });
	if (early) return respondBeforeChecks(state, early, endpoint, req, res, entry);
	const params = await acceptedParameters(state, endpoint, req, res, entry);
	if (!params) return undefined;

	let directives;
	try {
		directives = parseDirectives(params.prompt);
	} catch (directiveError) {
		return sendError(res, 400, 'emulator_unknown_fault', errorMessage(directiveError));
	}
	const attempt = directives.length > 0 ? state.directiveAttempts.next(params.prompt) : 0;
	const fault = state.faultQueue.take(endpoint) || activeDirective(directives, attempt);

	const noiseHeader = String(req.headers['x-emulator-noise'] || '').toLowerCase();
	// Building the success body IS the generation: it is counted as performed (billed) right then,
	// whether or not the client is still there to get the answer. performed: false for an answer
	// that says the generation failed.
	/** @param {import('./faults').SuccessOptions} [options] */
	const success = ({ imageUrl, imageCount, performed = true } = {}) => {
		const body = generate(endpoint, params, {
			store: state.store,
			imageUrl: imageUrl || ((id, extension) => `${state.imageBaseUrl}/images/${id}.${extension}`),
			noise: state.config.noiseImages || noiseHeader === '1' || noiseHeader === 'true',
			imageSize: state.config.imageSize,
			fluxLongSide: state.config.fluxLongSide,
			imageDirectives: directives.filter((d) => d.stage === 'image'),
			imageCount,
		});
		if (performed) state.log.generationPerformed(entry, { id: 'id' in body ? body.id : null, images: body.images.length });
		return body;
	};
	/** @param {unknown} responseBody */
	const answer = async (responseBody) => {
		await state.wait(state.config.latencyMs);
		sendJson(res, 200, responseBody);
	};

	if (fault) {
		return respondWithFault(state, fault, entry, {
			req,
			res,
			endpoint,
			success,
			answer,
			answerText: async (contentType, responseText) => {
				await state.wait(state.config.latencyMs);
				sendBody(res, 200, contentType, responseText);
			},
		});
	}
	if (violatesContentPolicy(params.prompt)) return sendJson(res, 400, { error: MODERATION_ERROR });
	// latencyMs is the generation's own time: it is performed (and billed) at the end of it.
	await state.wait(state.config.latencyMs);
	sendJson(res, 200, success());
}

module.exports = { handleApiRequest, GENERATION_ENDPOINTS };
