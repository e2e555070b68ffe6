'use strict';
// Local Pomelo API emulator: two origins (API + image storage), fault injection, real PNG, JPEG, WebP
// and GIF files.
// Plain CommonJS with Node built-ins only, so tests, n8n e2e runs and benchmarks can all load it.
// Types: JSDoc in each module, checked by tsc (test/tsconfig.json, checkJs); the ones callers use:
/**
 * @typedef {import('./server').Emulator} Emulator
 * @typedef {import('./server').EmulatorOptions} EmulatorOptions
 * @typedef {import('./request-log').RequestLogEntry} RequestLogEntry
 * @typedef {import('./faults').FaultSpec} FaultSpec
 * @typedef {import('./faults').PendingFault} PendingFault
 * @typedef {import('./png-validate').PngInfo} PngInfo
 * @typedef {import('./image-formats').ImageInfo} ImageInfo
 * @typedef {import('./image-formats').ImageFormatName} ImageFormatName
 */

const { startEmulator } = require('./server');
const { encodePng, decodePngInfo, isPng } = require('./png');
const { FAULT_NAMES } = require('./faults');
const { imageInfo, FORMAT_NAMES } = require('./image-formats');

module.exports = { startEmulator, encodePng, decodePngInfo, isPng, imageInfo, FAULT_NAMES, FORMAT_NAMES };
