/**
 * Shared by the fault, cancellation and soak tests: a distinctive key, a capture of everything
 * n8n logs, and the checks that the key went nowhere it must not.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { randomBytes } from 'crypto';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { LoggerProxy } from 'n8n-workflow';

import type { Emulator, RequestLogEntry } from '../../emulator';
import type { RunResult } from './engine';

/** A key that cannot occur by chance in any output, log line or message. */
export function secretKey(): string {
	return `sk-live-SECRET-${randomBytes(12).toString('hex')}`;
}

export interface LogCapture {
	/** Every log call, all levels (debug included), message and metadata serialised. */
	lines: string[];
	restore(): void;
}

/**
 * Records every call to n8n's logger, at every level, instead of printing it:
 * - the Logger in the container is replaced by a recorder, so `this.logger` in node code and
 *   n8n-core's LoggerProxy record everything, debug included, whatever N8N_LOG_LEVEL says;
 * - Logger#log is patched, so loggers that services took from the container before (n8n-core's
 *   error reporter, scoped loggers) record what their level lets through as well.
 */
export function captureLogs(): LogCapture {
	const lines: string[] = [];
	const record = (level: string, message: unknown, metadata?: unknown) => {
		let meta: string;
		try {
			meta = JSON.stringify(metadata ?? {});
		} catch {
			meta = String(metadata);
		}
		lines.push(`${level} ${String(message)} ${meta}`);
	};
	const prototype = Logger.prototype as unknown as { log: typeof record };
	const originalLog = prototype.log;
	prototype.log = record;

	const previous = Container.get(Logger);
	const recorder = Object.create(Logger.prototype) as Logger & Record<string, unknown>;
	Object.assign(recorder, { log: record, scoped: () => recorder });
	Container.set(Logger, recorder);
	LoggerProxy.init(recorder);
	return {
		lines,
		restore: () => {
			prototype.log = originalLog;
			Container.set(Logger, previous);
			LoggerProxy.init(previous);
		},
	};
}

/** Captures n8n's log lines for the whole test file (see captureLogs). */
export function capturedLogsPerFile(): Pick<LogCapture, 'lines'> {
	let capture: LogCapture | undefined;
	beforeAll(() => {
		capture = captureLogs();
	});
	afterAll(() => capture?.restore());
	return {
		get lines() {
			return capture?.lines ?? [];
		},
	};
}

/** The `error` of a continueOnFail error item (README, Errors): its message, errorClass and the API's fields. */
export function errorOf(item: INodeExecutionData): IDataObject {
	return (item.json.error ?? {}) as IDataObject;
}

export function apiRequests(emulator: Emulator): RequestLogEntry[] {
	return emulator.requests.filter((entry) => entry.origin === 'api');
}

export function imageRequests(emulator: Emulator): RequestLogEntry[] {
	return emulator.requests.filter((entry) => entry.origin === 'image');
}

/** Generation requests only (the API origin also serves /images-from-api/). */
export function generationRequests(emulator: Emulator): RequestLogEntry[] {
	return apiRequests(emulator).filter((entry) => entry.path.startsWith('/api/v1/'));
}

/** The key must not reach the image origin, nor appear anywhere in the run data or the logs. */
export function expectKeyContained(
	emulator: Emulator,
	result: RunResult,
	logs: Pick<LogCapture, 'lines'>,
	key: string,
): void {
	for (const entry of imageRequests(emulator)) {
		expect({ path: entry.path, authorization: entry.headers.authorization }).toEqual({
			path: entry.path,
			authorization: undefined,
		});
		expect(JSON.stringify(entry.headers)).not.toContain(key);
	}
	expect(JSON.stringify(result.run.data)).not.toContain(key);
	expect(JSON.stringify(result.run)).not.toContain(key);
	const leaked = logs.lines.filter((line) => line.includes(key));
	expect(leaked).toEqual([]);
}

/** Waits for a condition checked every 10 ms, failing after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
	const started = Date.now();
	while (!condition()) {
		if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

/** Gaps between consecutive requests of a log: end of one answer to the start of the next. */
export function gapsMs(entries: RequestLogEntry[]): number[] {
	const gaps: number[] = [];
	for (let index = 1; index < entries.length; index++) {
		gaps.push(entries[index].startedAt - (entries[index - 1].endedAt ?? entries[index - 1].startedAt));
	}
	return gaps;
}
