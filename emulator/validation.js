'use strict';
// Request validation for the two generation endpoints, following the seed's parameter tables.
// Strict on purpose: a client that sends camelCase names, strings for integers or nulls for
// "unset" must be caught here, not by the real service.

/**
 * @typedef {'midjourney' | 'flux'} Endpoint
 * @typedef {{ prompt: string, style?: string, width: number, height: number, model: string, num_outputs: number }} MidjourneyParams
 * @typedef {{ prompt: string, negative_prompt?: string, style?: string, seed?: number, steps: number, aspect_ratio: string }} FluxParams
 * @typedef {MidjourneyParams | FluxParams} GenerationParams A request body that passed its endpoint's checks, defaults applied.
 */

const PROMPT_MAX_LENGTH = 4000;
const UINT32_MAX = 4294967295;
const MODERATED_WORDS = /\b(gore|nsfw|explicit|violence|hateful)\b/i;

class ParameterError extends Error {
	/**
	 * @param {string} param
	 * @param {string} message
	 */
	constructor(param, message) {
		super(message);
		this.param = param;
	}
}

/** @typedef {(value: unknown) => unknown} Rule checks one parameter; its value with the default applied */

/** @type {Rule} */
const promptRule = (value) => {
	if (typeof value !== 'string') throw new ParameterError('prompt', '"prompt" must be a string');
	if (value.trim() === '') throw new ParameterError('prompt', '"prompt" must not be empty');
	if (value.length > PROMPT_MAX_LENGTH) {
		throw new ParameterError('prompt', `"prompt" must be at most ${PROMPT_MAX_LENGTH} characters, got ${value.length}`);
	}
	return value;
};

/**
 * @param {string} name
 * @param {string | undefined} fallback
 * @returns {Rule}
 */
const stringRule = (name, fallback) => (value) => {
	if (value === undefined) return fallback;
	if (typeof value !== 'string') throw new ParameterError(name, `"${name}" must be a string, got ${describe(value)}`);
	return value;
};

/**
 * @param {string} name
 * @param {number} min
 * @param {number} max
 * @param {number | undefined} fallback
 * @returns {Rule}
 */
const integerRule = (name, min, max, fallback) => (value) => {
	if (value === undefined) return fallback;
	if (typeof value !== 'number' || !Number.isInteger(value)) {
		throw new ParameterError(name, `"${name}" must be an integer, got ${describe(value)}`);
	}
	if (value < min || value > max) {
		throw new ParameterError(name, `"${name}" must be between ${min} and ${max}, got ${value}`);
	}
	return value;
};

/** @type {Rule} */
const aspectRatioRule = (value) => {
	if (value === undefined) return '1:1';
	const match = typeof value === 'string' ? /^(\d+):(\d+)$/.exec(value) : null;
	const inRange = (/** @type {string} */ part) => Number(part) >= 1 && Number(part) <= 32;
	if (!match || !inRange(match[1]) || !inRange(match[2])) {
		throw new ParameterError(
			'aspect_ratio',
			`"aspect_ratio" must look like "16:9" with both sides between 1 and 32, got ${describe(value)}`,
		);
	}
	return value;
};

/**
 * Parameter rules per endpoint, in the seed's table order.
 * @type {Record<Endpoint, Record<string, Rule>>}
 */
const ENDPOINT_PARAMS = {
	midjourney: {
		prompt: promptRule,
		style: stringRule('style', undefined),
		width: integerRule('width', 64, 2048, 512),
		height: integerRule('height', 64, 2048, 512),
		model: stringRule('model', '5'),
		num_outputs: integerRule('num_outputs', 1, 4, 1),
	},
	flux: {
		prompt: promptRule,
		negative_prompt: stringRule('negative_prompt', undefined),
		style: stringRule('style', undefined),
		seed: integerRule('seed', 0, UINT32_MAX, undefined),
		steps: integerRule('steps', 1, 50, 30),
		aspect_ratio: aspectRatioRule,
	},
};

/** @param {unknown} value */
function describe(value) {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
	if (typeof value === 'object') return 'an object';
	return `${typeof value} ${String(value)}`;
}

/**
 * Validates a parsed body. Returns {params} (defaults applied) or {error: {status, body}}.
 * Unknown names are reported first: they are usually the real mistake behind a "missing" one.
 * @param {Endpoint} endpoint
 * @param {unknown} body
 * @returns {{ params: GenerationParams, error?: undefined } | { params?: undefined, error: { status: number, body: object } }}
 */
function validateGenerationBody(endpoint, body) {
	const rules = ENDPOINT_PARAMS[endpoint];
	if (body === null || typeof body !== 'object' || Array.isArray(body)) {
		return {
			error: {
				status: 400,
				body: { error: { code: 'invalid_body', message: 'The request body must be a JSON object' } },
			},
		};
	}
	const unknown = Object.keys(body).find((name) => !Object.prototype.hasOwnProperty.call(rules, name));
	if (unknown !== undefined) {
		return invalidParameter(
			unknown,
			`Unknown parameter "${unknown}"; this endpoint accepts: ${Object.keys(rules).join(', ')}`,
		);
	}
	const fields = /** @type {Record<string, unknown>} */ (body);
	if (fields.prompt === undefined) return invalidParameter('prompt', '"prompt" is required');

	/** @type {Record<string, unknown>} */
	const params = {};
	try {
		for (const [name, rule] of Object.entries(rules)) {
			const value = rule(fields[name]);
			if (value !== undefined) params[name] = value;
		}
	} catch (error) {
		if (error instanceof ParameterError) return invalidParameter(error.param, error.message);
		throw error;
	}
	return { params: /** @type {GenerationParams} */ (params) };
}

/**
 * @param {string} param
 * @param {string} message
 */
function invalidParameter(param, message) {
	return { error: { status: 422, body: { error: { code: 'invalid_parameter', param, message } } } };
}

const MODERATION_ERROR = {
	code: 'content_policy_violation',
	type: 'moderation',
	message: 'Your request was rejected by content moderation: the prompt violates the usage policy',
};

/** @param {string} prompt */
function violatesContentPolicy(prompt) {
	return MODERATED_WORDS.test(prompt);
}

module.exports = { ENDPOINT_PARAMS, validateGenerationBody, violatesContentPolicy, MODERATION_ERROR, UINT32_MAX };
