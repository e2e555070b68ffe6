const REDACTED = '[redacted]';

/** Removes every occurrence of the API key from text that may reach output, errors or logs. */
export function redactSecret(text: string, secret: string): string {
	if (!secret || secret.length < 4) return text;
	return text.split(secret).join(REDACTED);
}
