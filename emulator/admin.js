'use strict';
// Admin routes under /__emulator/ on the API origin, for tests running in another process
// (e.g. real-n8n e2e). No key needed; not logged, not counted in stats.

const { sendJson, sendError, readBody, splitUrl, errorMessage } = require('./http-util');

const ADMIN_PREFIX = '/__emulator/';

/** @param {string} url */
function isAdminPath(url) {
	return url.startsWith(ADMIN_PREFIX);
}

/**
 * @param {unknown} value
 * @param {string} name
 */
function nonNegativeNumber(value, name) {
	if (value === undefined) return undefined;
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
		throw new Error(`"${name}" must be a number of milliseconds >= 0`);
	}
	return value;
}

/**
 * @param {import('./server').State} emulator
 * @param {import('./http-util').Request} req
 * @param {import('./http-util').Response} res
 */
async function handleAdminRequest(emulator, req, res) {
	const [pathname] = splitUrl(String(req.url));
	const { text } = await readBody(req);
	/** @type {any} the client's JSON: the emulator's own checks (injectFaults, nonNegativeNumber) judge it */
	let body = {};
	if (text.trim() !== '') {
		try {
			body = JSON.parse(text);
		} catch (error) {
			return sendError(res, 400, 'invalid_json', `The request body is not valid JSON: ${errorMessage(error)}`);
		}
	}

	try {
		switch (`${req.method} ${pathname}`) {
			case 'POST /__emulator/faults': {
				const queued = emulator.injectFaults(Array.isArray(body) ? body : body.faults);
				return sendJson(res, 200, { queued, faults: emulator.pendingFaults() });
			}
			case 'GET /__emulator/faults':
				return sendJson(res, 200, { faults: emulator.pendingFaults() });
			case 'DELETE /__emulator/faults':
				emulator.resetFaults();
				return sendJson(res, 200, { ok: true });
			case 'GET /__emulator/requests':
				return sendJson(res, 200, { requests: emulator.requests });
			case 'GET /__emulator/stats':
				return sendJson(res, 200, emulator.stats());
			case 'POST /__emulator/latency': {
				const latencyMs = nonNegativeNumber(body.latencyMs, 'latencyMs');
				const imageLatencyMs = nonNegativeNumber(body.imageLatencyMs, 'imageLatencyMs');
				if (latencyMs !== undefined) emulator.setLatency(latencyMs);
				if (imageLatencyMs !== undefined) emulator.setImageLatency(imageLatencyMs);
				return sendJson(res, 200, emulator.latency());
			}
			case 'POST /__emulator/reset':
				emulator.resetFaults();
				emulator.clearLog();
				return sendJson(res, 200, { ok: true });
			default:
				return sendError(res, 404, 'not_found', `No admin route ${req.method} ${pathname}`);
		}
	} catch (error) {
		return sendError(res, 400, 'invalid_admin_request', errorMessage(error));
	}
}

module.exports = { handleAdminRequest, isAdminPath };
