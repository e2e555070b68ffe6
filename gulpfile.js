// Build step after tsc: n8n reads node icons from dist next to the compiled node files.
const { src, dest, task } = require('gulp');

function copyIcons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

task('build:icons', copyIcons);
