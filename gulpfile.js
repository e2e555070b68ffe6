// Build steps around tsc: start from an empty dist (nothing stale may be packed), and copy the
// icons, which n8n reads from dist next to the compiled node files.
const { rmSync } = require('fs');
const { src, dest, task } = require('gulp');

function clean(done) {
	rmSync('dist', { recursive: true, force: true });
	done();
}

function copyIcons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

task('clean', clean);
task('build:icons', copyIcons);
