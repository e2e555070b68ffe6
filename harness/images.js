'use strict';
// The images a workflow's Read/Write Files nodes wrote, read back from disk.

const fs = require('node:fs');
const path = require('node:path');
const { decodePngInfo } = require('../emulator');

/**
 * For every item that a Read/Write Files node of `workflow` output in `runData` (the execution's
 * `data.resultData.runData`): the written file, its size, the PNG's dimensions (the file is fully
 * decoded and validated) and the Pomelo metadata the item carried.
 * @param {import('./examples').Workflow} workflow
 * @param {Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, any> }> | null> } }>>} runData
 */
function summarizeWrittenImages(workflow, runData) {
	const writers = workflow.nodes.filter((n) => n.type === 'n8n-nodes-base.readWriteFile').map((n) => n.name);
	const images = [];
	for (const name of writers) {
		for (const nodeRun of runData[name] || []) {
			const items = (nodeRun.data && nodeRun.data.main && nodeRun.data.main[0]) || [];
			for (const item of items) {
				const file = item.json.fileName;
				if (typeof file !== 'string') continue;
				const bytes = fs.readFileSync(file);
				const png = decodePngInfo(bytes);
				images.push({
					node: name,
					file,
					size: bytes.length,
					width: png.width,
					height: png.height,
					provider: item.json.provider,
					prompt: item.json.prompt,
					json: item.json,
				});
			}
		}
	}
	return images;
}

/** @param {number} bytes */
function formatSize(bytes) {
	if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
	return `${(bytes / 1024).toFixed(1)} kB`;
}

/**
 * @param {ReturnType<typeof summarizeWrittenImages>[number]} image
 * @param {string} [relativeTo]
 */
function formatImageLine(image, relativeTo = process.cwd()) {
	const file = path.relative(relativeTo, image.file) || image.file;
	return [
		file.padEnd(44),
		formatSize(image.size).padStart(9),
		`${image.width}x${image.height}`.padStart(10),
		String(image.provider || '?').padEnd(10),
		JSON.stringify(image.prompt || ''),
	].join('  ');
}

module.exports = { summarizeWrittenImages, formatImageLine, formatSize };
