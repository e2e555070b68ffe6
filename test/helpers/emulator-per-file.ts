import type { Emulator, EmulatorOptions } from '../../emulator';
import { startEmulator, useFilesystemBinaryData } from '../../harness';

/**
 * Starts one emulator for the test file (with n8n's file-system binary mode, as in production),
 * empties its log and its faults before each test and closes it after the file. The returned
 * object stands for the running emulator.
 */
export function emulatorPerFile(options: EmulatorOptions): Emulator {
	let current: Emulator | undefined;
	beforeAll(async () => {
		await useFilesystemBinaryData();
		current = await startEmulator(options);
	});
	afterAll(async () => await current?.close());
	beforeEach(() => {
		current!.clearLog();
		current!.resetFaults();
	});
	return new Proxy({} as Emulator, {
		get(_target, property) {
			if (!current) throw new Error('the emulator is started in beforeAll');
			const value = current[property as keyof Emulator];
			return typeof value === 'function' ? value.bind(current) : value;
		},
	});
}
