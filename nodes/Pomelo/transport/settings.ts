/** How one item's requests behave, from the node's "Options" (already checked and clamped). */
export interface TransportSettings {
	/** A deadline for each attempt, answer included. */
	timeoutMs: number;
	maxRetries: number;
	maxRetryWaitMs: number;
	maxImageBytes: number;
	/** Also retry failures after which the generation may have run (and been billed). */
	retryUnknownOutcome: boolean;
	/** Download images from loopback/private/link-local hosts too. */
	allowPrivateImageHosts: boolean;
}
