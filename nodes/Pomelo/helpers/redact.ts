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
