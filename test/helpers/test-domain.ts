// The default import is the module object itself: assigning its lookup patches it for every caller.
import dns from 'dns';

/**
 * For the describe block it is called in: names ending in `.test` (api.pomelo.test and its
 * subdomains) resolve to 127.0.0.1, so the API can be reached by name and a redirect to a subdomain
 * of its host tried. Other names resolve as usual.
 */
export function resolveTestDomainToLoopback(): void {
	const originalLookup = dns.lookup;
	beforeAll(() => {
		const patched = function (this: unknown, hostname: string, ...rest: unknown[]): void {
			if (!/\.test$/.test(hostname)) {
				(originalLookup as (...args: unknown[]) => unknown).apply(this, [hostname, ...rest]);
				return;
			}
			const callback = rest[rest.length - 1] as (...args: unknown[]) => void;
			const options = (typeof rest[0] === 'object' && rest[0] !== null ? rest[0] : {}) as { all?: boolean };
			if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
			else callback(null, '127.0.0.1', 4);
		};
		(dns as { lookup: unknown }).lookup = patched;
	});
	afterAll(() => {
		(dns as { lookup: unknown }).lookup = originalLookup;
	});
}
