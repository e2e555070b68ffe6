'use strict';
// Small response/request helpers shared by the API and image origins.

const crypto = require('crypto');

const MAX_BODY_BYTES = 1024 * 1024;

function newRequestId() {
	return `req_${crypto.randomBytes(8).toString('hex')}`;
}

function randomHex(bytes) {
	return crypto.randomBytes(bytes).toString('hex');
}

/** True once nothing more can (or should) be written: client gone or answer already complete. */
function isGone(res) {
	return res.destroyed || res.writableEnded;
}

function sendBody(res, status, contentType, body, headers = {}) {
	if (isGone(res)) return;
	const payload = Buffer.isBuffer(body) ? body : Buffer.from(String(body), 'utf8');
	res.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': payload.length });
	res.end(payload);
}

function sendJson(res, status, body, headers = {}) {
	sendBody(res, status, 'application/json; charset=utf-8', JSON.stringify(body), headers);
}

/** The emulator's error body: {"error": {"code", "message", ...extra}}. */
function sendError(res, status, code, message, extra = {}, headers = {}) {
	sendJson(res, status, { error: { code, ...extra, message } }, headers);
}

/** Ends the connection with a TCP RST where supported, so the client sees ECONNRESET, not a reply. */
function resetConnection(res) {
	const socket = res.socket;
	if (!socket) return;
	if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
	else socket.destroy();
}

/** Resolves on 'drain' or when the response is closed (client gone), whichever comes first. */
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

/** Reads the whole body as UTF-8; beyond `limit` bytes it keeps draining but reports tooLarge. */
function readBody(req, limit = MAX_BODY_BYTES) {
	return new Promise((resolve) => {
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

function methodNotAllowed(res, allow) {
	sendError(res, 405, 'method_not_allowed', `Use ${allow}`, {}, { Allow: allow });
}

/** "/path?x=1" → ["/path", URLSearchParams]; no URL parsing, so odd paths like "//x" stay paths. */
function splitUrl(url) {
	const q = url.indexOf('?');
	return q === -1 ? [url, new URLSearchParams()] : [url.slice(0, q), new URLSearchParams(url.slice(q + 1))];
}

/** Media type without parameters, lower-case ("application/json; charset=utf-8" → "application/json"). */
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
};
