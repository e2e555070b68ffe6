'use strict';
// Small response/request helpers shared by the API and image origins.

const crypto = require('crypto');

/**
 * @typedef {import('node:http').IncomingMessage} Request
 * @typedef {import('node:http').ServerResponse & { rawAnswer?: RawAnswer }} Response
 * @typedef {{ status: number, completed: boolean }} RawAnswer an answer written to the socket by hand
 */

const MAX_BODY_BYTES = 1024 * 1024;

function newRequestId() {
	return `req_${crypto.randomBytes(8).toString('hex')}`;
}

/** @param {number} bytes */
function randomHex(bytes) {
	return crypto.randomBytes(bytes).toString('hex');
}

/** True once nothing more can (or should) be written: client gone or answer already complete. */
/** @param {Response} res */
function isGone(res) {
	return res.destroyed || res.writableEnded;
}

/**
 * @param {Response} res
 * @param {number} status
 * @param {string} contentType
 * @param {Buffer | string} body
 * @param {Record<string, string>} [headers]
 */
function sendBody(res, status, contentType, body, headers = {}) {
	if (isGone(res)) return;
	const payload = Buffer.isBuffer(body) ? body : Buffer.from(String(body), 'utf8');
	res.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': payload.length });
	res.end(payload);
}

/**
 * @param {Response} res
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
function sendJson(res, status, body, headers = {}) {
	sendBody(res, status, 'application/json; charset=utf-8', JSON.stringify(body), headers);
}

/**
 * The emulator's error body: {"error": {"code", "message", ...extra}}.
 * @param {Response} res
 * @param {number} status
 * @param {string} code
 * @param {string} message
 * @param {Record<string, unknown>} [extra]
 * @param {Record<string, string>} [headers]
 */
function sendError(res, status, code, message, extra = {}, headers = {}) {
	sendJson(res, status, { error: { code, ...extra, message } }, headers);
}

/**
 * Ends the connection with a TCP RST where supported, so the client sees ECONNRESET, not a reply.
 * @param {Response} res
 */
function resetConnection(res) {
	const socket = res.socket;
	if (!socket) return;
	if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
	else socket.destroy();
}

/**
 * Resolves on 'drain' or when the response is closed (client gone), whichever comes first.
 * @param {Response} res
 * @returns {Promise<void>}
 */
function drainOrClose(res) {
	return new Promise((resolve) => {
		const done = () => {
			res.off('drain', done);
			res.off('close', done);
			resolve();
		};
		res.on('drain', done);
		res.on('close', done);
	});
}

/**
 * Reads the whole body as UTF-8; beyond `limit` bytes it keeps draining but reports tooLarge.
 * @param {Request} req
 * @returns {Promise<{ text: string, size: number, tooLarge: boolean }>}
 */
function readBody(req, limit = MAX_BODY_BYTES) {
	return new Promise((resolve) => {
		/** @type {Buffer[]} */
		const parts = [];
		let size = 0;
		req.on('data', (chunk) => {
			size += chunk.length;
			if (size <= limit) parts.push(chunk);
		});
		const finish = () => resolve({ text: Buffer.concat(parts).toString('utf8'), size, tooLarge: size > limit });
		req.on('end', finish);
		req.on('error', finish);
		req.on('close', finish); // client went away mid-body
	});
}

/**
 * The message of what was thrown (errors made in Node's own realm are not `instanceof Error` under jest).
 * @param {unknown} error
 */
function errorMessage(error) {
	return typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
}

/**
 * @param {Response} res
 * @param {string} allow
 */
function methodNotAllowed(res, allow) {
	sendError(res, 405, 'method_not_allowed', `Use ${allow}`, {}, { Allow: allow });
}

/**
 * "/path?x=1" → ["/path", URLSearchParams]; no URL parsing, so odd paths like "//x" stay paths.
 * @param {string} url
 * @returns {[string, URLSearchParams]}
 */
function splitUrl(url) {
	const q = url.indexOf('?');
	return q === -1 ? [url, new URLSearchParams()] : [url.slice(0, q), new URLSearchParams(url.slice(q + 1))];
}

/** Media type without parameters, lower-case ("application/json; charset=utf-8" → "application/json"). */
/** @param {string | undefined} contentTypeHeader */
function mediaType(contentTypeHeader) {
	return String(contentTypeHeader || '')
		.split(';')[0]
		.trim()
		.toLowerCase();
}

module.exports = {
	MAX_BODY_BYTES,
	newRequestId,
	randomHex,
	isGone,
	sendBody,
	sendJson,
	sendError,
	resetConnection,
	drainOrClose,
	readBody,
	mediaType,
	methodNotAllowed,
	splitUrl,
	errorMessage,
};
