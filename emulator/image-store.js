'use strict';
// Generated images: a small record per id (format, size, seed, noise, image-side fault directives)
// and files rendered lazily on first download, kept in a byte-bounded LRU cache.

const { encodePng } = require('./png');
const { IMAGE_FORMATS } = require('./image-formats');

const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * @typedef {object} ImageRecord
 * @property {string} id
 * @property {number} width
 * @property {number} height
 * @property {number | string} seed
 * @property {boolean} noise
 * @property {import('./image-formats').ImageFormatName} format
 * @property {import('./faults').Directive[]} directives image-side faults from the prompt (times undefined = always)
 * @property {number} downloads
 */

class ImageStore {
	/** @param {{ cacheBytes?: number }} [options] */
	constructor({ cacheBytes = DEFAULT_CACHE_BYTES } = {}) {
		/** @type {Map<string, ImageRecord>} */
		this.records = new Map();
		/** @type {Map<string, Buffer>} render key → file, in least-recently-used-first order */
		this.cache = new Map();
		this.cacheBytes = cacheBytes;
		this.cachedBytes = 0;
	}

	/**
	 * Noise images are always PNG.
	 * @param {Omit<ImageRecord, 'downloads' | 'noise' | 'format' | 'directives'> & Partial<ImageRecord>} record
	 * @returns {ImageRecord}
	 */
	add({ id, width, height, seed, noise = false, format = 'png', directives = [] }) {
		const record = { id, width, height, seed, noise, format: noise ? 'png' : format, directives, downloads: 0 };
		this.records.set(id, record);
		return record;
	}

	/** @param {string} id */
	get(id) {
		return this.records.get(id);
	}

	/**
	 * Counts a download attempt and returns the image-side directive that applies to it, if any.
	 * @param {ImageRecord} record
	 */
	nextDirective(record) {
		record.downloads += 1;
		return record.directives.find((d) => d.times === undefined || record.downloads <= d.times) || null;
	}

	/**
	 * Content-Type of the record's file.
	 * @param {ImageRecord} record
	 */
	mimeType(record) {
		return IMAGE_FORMATS[record.format].mimeType;
	}

	/**
	 * The record's file, in its format (the name is older than the other formats).
	 * @param {ImageRecord} record
	 */
	png(record) {
		const key = `${record.format}:${record.width}x${record.height}:${record.noise ? 'noise' : 'pattern'}:${record.seed}`;
		const hit = this.cache.get(key);
		if (hit) {
			this.cache.delete(key); // re-insert to mark as most recently used
			this.cache.set(key, hit);
			return hit;
		}
		const png = record.noise
			? encodePng({ width: record.width, height: record.height, seed: record.seed, noise: true })
			: IMAGE_FORMATS[record.format].encode({ width: record.width, height: record.height, seed: record.seed });
		if (png.length <= this.cacheBytes) {
			this.cache.set(key, png);
			this.cachedBytes += png.length;
			for (const [oldKey, oldPng] of this.cache) {
				if (this.cachedBytes <= this.cacheBytes) break;
				this.cache.delete(oldKey);
				this.cachedBytes -= oldPng.length;
			}
		}
		return png;
	}
}

module.exports = { ImageStore };
