'use strict';
// The image/storage origin: GET /images/<id>.<png|jpg|webp|gif>, with image-side faults.

const { sendBody, sendError, isGone, splitUrl, methodNotAllowed } = require('./http-util');
const { respondWithFault } = require('./faults');

const IMAGE_PATH = /^\/images\/([A-Za-z0-9_-]+)\.(?:png|jpg|webp|gif)$/;

/**
 * Sends the image file of a record after the image latency. Shared with the API origin's /images-from-api/.
 * @param {import('./server').State} state
 * @param {import('./http-util').Response} res
 * @param {import('./image-store').ImageRecord} record
 */
async function serveImage(state, res, record) {
	await state.wait(state.config.imageLatencyMs);
	if (isGone(res)) return;
	sendBody(res, 200, state.store.mimeType(record), state.store.png(record), { 'Cache-Control': 'public, max-age=86400, immutable' });
}

/** @type {import('./server').Handler} */
async function handleImageRequest(state, req, res, entry) {
	const [pathname, query] = splitUrl(String(req.url));
	const match = IMAGE_PATH.exec(pathname);
	if (!match) return sendError(res, 404, 'not_found', `Nothing at ${pathname} on the image origin`);
	if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');
	const record = state.store.get(match[1]);
	if (!record) return sendError(res, 404, 'not_found', `No image ${match[1]}`);

	// The target of an image-redirect fault is served plainly, or the redirect would loop.
	if (query.get('redirected') !== '1') {
		const directive = state.store.nextDirective(record);
		const fault = state.faultQueue.take('image') || directive;
		if (fault) {
			return respondWithFault(state, fault, entry, {
				res,
				record,
				png: () => state.store.png(record),
				serveImage: () => serveImage(state, res, record),
			});
		}
	}
	return serveImage(state, res, record);
}

module.exports = { handleImageRequest, serveImage };
