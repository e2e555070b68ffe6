'use strict';
// Successful generation answers, in exactly the seed's response formats.

const crypto = require('crypto');
const { hash32 } = require('./checksums');
const { randomHex } = require('./http-util');
const { UINT32_MAX } = require('./validation');
const { IMAGE_FORMATS, formatFromPrompt } = require('./image-formats');

/**
 * @typedef {import('./validation').GenerationParams} GenerationParams
 *
 * @typedef {object} GenerationContext
 * @property {import('./image-store').ImageStore} store
 * @property {(id: string, extension: string) => string} imageUrl
 * @property {boolean} noise
 * @property {{ width: number, height: number }} [imageSize]
 * @property {number} fluxLongSide
 * @property {import('./faults').Directive[]} imageDirectives
 * @property {number} [imageCount] the extra-images fault: that many images whatever was asked
 * @property {import('./image-formats').ImageFormatName} [format]
 */

/** "2023-06-15T10:30:45Z": ISO 8601 without milliseconds, as in the seed. */
function isoSeconds(date = new Date()) {
	return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Output size for an aspect ratio "W:H" with the long side fixed (16:9 at 1024 → 1024x576).
 * @param {string} aspectRatio
 * @param {number} longSide
 */
function fluxSize(aspectRatio, longSide) {
	const [w, h] = aspectRatio.split(':').map(Number);
	if (w >= h) return { width: longSide, height: Math.max(1, Math.round((longSide * h) / w)) };
	return { width: Math.max(1, Math.round((longSide * w) / h)), height: longSide };
}

/**
 * Builds the success body and registers its images.
 * imageCount (extra-images fault) lists that many images whatever was asked; the extra ones reuse
 * the pixels of the asked-for ones, so serving them stays cheap.
 * The images are PNGs unless the prompt asks for another format ("[format:jpeg]", webp, gif).
 * @param {import('./validation').Endpoint} endpoint
 * @param {GenerationParams} params
 * @param {GenerationContext} ctx
 */
function generate(endpoint, params, ctx) {
	const withFormat = { ...ctx, format: formatFromPrompt(params.prompt) };
	// validateGenerationBody(endpoint, …) applied that endpoint's rules to `params`.
	return endpoint === 'flux'
		? generateFlux(/** @type {import('./validation').FluxParams} */ (params), withFormat)
		: generateMidjourney(/** @type {import('./validation').MidjourneyParams} */ (params), withFormat);
}

/**
 * @param {GenerationContext} ctx
 * @param {{ width: number, height: number }} size
 * @param {number | string} seed
 */
function addImage(ctx, size, seed) {
	const id = `img_${randomHex(6)}`;
	const { width, height } = ctx.imageSize || size;
	const record = ctx.store.add({ id, width, height, seed, noise: ctx.noise, format: ctx.format, directives: ctx.imageDirectives });
	return { id, url: ctx.imageUrl(id, IMAGE_FORMATS[record.format].extension), width, height };
}

/**
 * @param {import('./validation').MidjourneyParams} params
 * @param {GenerationContext} ctx
 */
function generateMidjourney(params, ctx) {
	const createdAt = isoSeconds();
	// Midjourney takes no seed: every output is a fresh image.
	const seeds = Array.from({ length: params.num_outputs }, () => `mj:${randomHex(8)}`);
	const count = ctx.imageCount === undefined ? params.num_outputs : ctx.imageCount;
	const images = [];
	for (let i = 0; i < count; i++) {
		const image = addImage(ctx, { width: params.width, height: params.height }, seeds[i % seeds.length]);
		images.push({ url: image.url, id: image.id, created_at: createdAt });
	}
	return { status: 'success', images, prompt: params.prompt, model: params.model };
}

/**
 * @param {import('./validation').FluxParams} params
 * @param {GenerationContext} ctx
 */
function generateFlux(params, ctx) {
	const seed = params.seed !== undefined ? params.seed : crypto.randomInt(0, UINT32_MAX + 1);
	// Same prompt + seed + size → same pixels, like a real seeded model.
	const patternSeed = hash32(`${params.prompt}\u0000${seed}`);
	const size = fluxSize(params.aspect_ratio, ctx.fluxLongSide);
	const images = Array.from({ length: ctx.imageCount === undefined ? 1 : ctx.imageCount }, () => {
		const image = addImage(ctx, size, patternSeed);
		return { url: image.url, width: image.width, height: image.height };
	});
	return {
		id: `gen_${randomHex(6)}`,
		created: Math.floor(Date.now() / 1000),
		images,
		prompt: params.prompt,
		model: 'flux.1',
		seed,
		status: 'complete',
	};
}

module.exports = { generate, fluxSize, isoSeconds };
