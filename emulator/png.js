'use strict';
// PNG helpers: encodePng (the emulator's images), decodePngInfo (full validation), isPng (signature).

const { encodePng } = require('./png-encode');
const { decodePngInfo, isPng } = require('./png-validate');

module.exports = { encodePng, decodePngInfo, isPng };
