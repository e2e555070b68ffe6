const REDACTED = '[redacted]';

/**
 * Removes every occurrence of the API key, as stored and as sent (trimmed), from text that may
 * reach output, errors or logs. Run it before any length cut, so that no part of a key survives.
 */
export function redactSecret(text: string, secret: string): string {
	let clean = text;
	for (const form of [secret, secret.trim()]) {
		if (form.length >= 4) clean = clean.split(form).join(REDACTED);
	}
	return clean;
}

/** Every string inside `value` (objects and lists included) passed through `clean`. */
export function redactStrings<T>(value: T, clean: (text: string) => string): T {
	if (typeof value === 'string') return clean(value) as T;
	if (Array.isArray(value)) return value.map((entry: unknown) => redactStrings(entry, clean)) as T;
	if (value !== null && typeof value === 'object') {
		return Object.fromEntries(
			Object.entries(value).map(([key, entry]) => [key, redactStrings(entry as unknown, clean)]),
		) as T;
	}
	return value;
}
