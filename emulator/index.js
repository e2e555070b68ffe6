'use strict';
// Local Pomelo API emulator: two origins (API + image storage), fault injection, real PNG, JPEG, WebP
// and GIF files.
// Plain CommonJS with Node built-ins only, so tests, n8n e2e runs and benchmarks can all load it.

const { startEmulator } = require('./server');
const { encodePng, decodePngInfo, isPng } = require('./png');
const { FAULT_NAMES } = require('./faults');
const { imageInfo, FORMAT_NAMES } = require('./image-formats');

module.exports = { startEmulator, encodePng, decodePngInfo, isPng, imageInfo, FAULT_NAMES, FORMAT_NAMES };
