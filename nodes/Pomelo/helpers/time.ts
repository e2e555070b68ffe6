/** ISO 8601 for a unix time in seconds; undefined when absent or outside what a Date can hold. */
export function unixSecondsToIso(seconds: number | undefined): string | undefined {
	if (seconds === undefined) return undefined;
	const date = new Date(seconds * 1000);
	return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
