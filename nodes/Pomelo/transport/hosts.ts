/**
 * Hosts an image URL must not point at unless allowed: loopback, private, link-local and
 * unspecified addresses written as literal IPs, and `localhost`. Names are not resolved here
 * (n8n's own SSRF protection, N8N_SSRF_PROTECTION_ENABLED, checks resolved addresses).
 */
function ipv4Parts(host: string): number[] | undefined {
	const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
	if (!match) return undefined;
	const parts = match.slice(1).map(Number);
	return parts.every((part) => part <= 255) ? parts : undefined;
}

function isPrivateIpv4([a, b]: number[]): boolean {
	return (
		a === 127 || // loopback
		a === 10 ||
		(a === 172 && b >= 16 && b <= 31) ||
		(a === 192 && b === 168) ||
		(a === 169 && b === 254) || // link-local
		a === 0 // unspecified ("this network")
	);
}

function isPrivateIpv6(address: string): boolean {
	const text = address.toLowerCase();
	// An IPv4 address mapped into IPv6 (::ffff:127.0.0.1, as URL writes it ::ffff:7f00:1).
	const mapped = /^::ffff:(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/.exec(text);
	if (mapped) {
		const parts = mapped[1]
			? ipv4Parts(mapped[1])
			: [parseInt(mapped[2], 16) >> 8, parseInt(mapped[2], 16) & 255, parseInt(mapped[3], 16) >> 8, parseInt(mapped[3], 16) & 255];
		return parts !== undefined && isPrivateIpv4(parts);
	}
	if (text === '::' || text === '::1') return true;
	const first = parseInt(text.split(':')[0] || '0', 16);
	return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80; // fc00::/7, fe80::/10
}

/** Whether `hostname` (as `URL.hostname` gives it: IPv6 in brackets) is such a host. */
export function isPrivateHost(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/\.$/, '');
	if (host === 'localhost' || host.endsWith('.localhost')) return true;
	if (host.startsWith('[') && host.endsWith(']')) return isPrivateIpv6(host.slice(1, -1));
	const parts = ipv4Parts(host);
	return parts !== undefined && isPrivateIpv4(parts);
}
