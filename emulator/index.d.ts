/// <reference types="node" />
// Types for the Pomelo API emulator (emulator/index.js).

/** Faults that replace the answer to a generation request (POST /api/v1/...). */
export type GenerationFaultName =
	| '401'
	| '403'
	| '422'
	| 'moderation'
	| '429'
	| '429-date'
	| '429-none'
	| '500'
	| '502'
	| '503'
	| 'html-error'
	| 'reset'
	| 'hang'
	| 'slow'
	| 'malformed-json'
	| 'wrong-shape'
	| 'not-complete'
	| 'empty-images'
	| 'image-bad-scheme'
	| 'image-on-api-origin'
	| 'ok-cut'
	| 'slow-generation'
	| '504'
	| 'json-huge'
	| 'redirect-post'
	| 'extra-images'
	| 'trickle'
	| 'image-url'
	| 'echo-key';

/** Faults that replace the answer to an image download (GET /images/<id>.png). */
export type ImageFaultName =
	| 'image-404'
	| 'image-500'
	| 'image-503'
	| 'image-truncated'
	| 'image-wrong-type'
	| 'image-not-png'
	| 'image-redirect'
	| 'image-redirect-api'
	| 'image-oversized'
	| 'image-slow'
	| 'image-hang';

export type FaultName = GenerationFaultName | ImageFaultName;

/** 'generate' = either generation endpoint. Image faults need 'image' or 'any'. */
export type FaultTarget = 'flux' | 'midjourney' | 'generate' | 'image' | 'any';

export interface FaultSpec {
	fault: FaultName;
	/** Which requests it applies to; default 'any' (of the fault's own stage). */
	on?: FaultTarget;
	/** How many matching requests it affects; default 1; Infinity or -1 = every one. */
	times?: number;
	/** 429 / 429-date / image-503: seconds in Retry-After (default 1). */
	retryAfter?: number;
	/** slow / image-slow: delay before answering (default 2000); image-404: delay before the 404 (default 0). */
	delayMs?: number;
	/** image-oversized: body size (default 60 MiB). */
	sizeBytes?: number;
	/** wrong-shape: 'missing' (default) or 'not-array'; 504: 'json' (default) or 'html'. */
	variant?: 'missing' | 'not-array' | 'json' | 'html';
	/** json-huge: size of the answer in MB (default 8). */
	sizeMb?: number;
	/** redirect-post: where to (default 'other-origin', the image origin). */
	target?: 'other-origin' | 'subdomain' | 'loop';
	/** redirect-post: 307 (default) or 308. */
	status?: number;
	/** redirect-post subdomain: the label put in front of the Host (default 'sub'), or the whole host. */
	label?: string;
	host?: string;
	/** extra-images: how many image URLs the answer lists (default 1000). */
	count?: number;
	/** trickle: milliseconds between bytes (default 500); headers: true trickles the head too. */
	intervalMs?: number;
	headers?: boolean;
	/** image-url: the URL every image of the answer gets. */
	url?: string;
	[arg: string]: unknown;
}

export interface PendingFault {
	fault: FaultName;
	on: FaultTarget;
	/** Uses left; -1 = always. */
	times: number;
	[arg: string]: unknown;
}

export interface EmulatorOptions {
	/** Default '127.0.0.1'. */
	host?: string;
	/** API origin port; default 0 (any free port). */
	port?: number;
	/** Image origin port; default 0 (any free port). */
	imagePort?: number;
	/** Expected bearer key; default 'test-key'. */
	apiKey?: string;
	/** Delay before successful generation answers; default 0. */
	latencyMs?: number;
	/** Delay before image answers; default 0. */
	imageLatencyMs?: number;
	/** Flux output size: the long side of the aspect ratio; default 1024. */
	flux?: { longSide?: number };
	/** Every image is an incompressible noise PNG (also per request: header X-Emulator-Noise: 1). */
	noiseImages?: boolean;
	/** Forces the size of every generated image (reported in Flux answers too). */
	imageSize?: { width: number; height: number };
	/** Byte limit of the rendered-PNG cache; default 64 MiB. */
	imageCacheBytes?: number;
}

export interface RequestLogEntry {
	/** The X-Request-Id sent back. */
	id: string;
	origin: 'api' | 'image';
	method: string;
	/** Path with query string, as received. */
	path: string;
	/** Request headers, lower-case names, as received. */
	headers: Record<string, string | string[] | undefined>;
	/** API POSTs: the parsed JSON, or the raw text when it did not parse; otherwise null. */
	body: unknown;
	/** Status sent; null while in flight or when no answer was sent (reset, hang). */
	status: number | null;
	/** Name of the fault applied, or null. */
	fault: FaultName | null;
	/**
	 * Set once the server performed (and would bill) the generation of this request, whether or not
	 * the client got the answer: the Flux generation id (null for Midjourney), the images produced,
	 * and when (Date.now()). null for requests that generated nothing.
	 */
	generation: { id: string | null; images: number; at: number } | null;
	/** False while in flight or when the answer was cut off (image-truncated, client gone). */
	completed: boolean;
	/** Date.now() values. */
	startedAt: number;
	endedAt: number | null;
}

export interface OriginStats {
	count: number;
	inFlight: number;
	maxInFlight: number;
}

export interface GenerationStats {
	/** Generations the server finished (billed), answered or not. */
	performed: number;
	/** Images those generations produced. */
	images: number;
}

export interface EmulatorStats {
	api: OriginStats;
	image: OriginStats;
	generations: GenerationStats;
}

export interface Emulator {
	/** e.g. 'http://127.0.0.1:41541' (no trailing slash). */
	baseUrl: string;
	/** The image/storage origin, e.g. 'http://127.0.0.1:41542'. */
	imageBaseUrl: string;
	apiKey: string;
	/** Live log of requests on both origins (admin routes excluded); emptied by clearLog(). */
	requests: RequestLogEntry[];
	setLatency(ms: number): void;
	setImageLatency(ms: number): void;
	/** Queues faults, matched in order; throws on an unknown name or a bad target. Returns how many were queued. */
	injectFaults(faults: FaultSpec | FaultSpec[]): number;
	/** Drops queued faults and the attempt counts of prompt directives. */
	resetFaults(): void;
	pendingFaults(): PendingFault[];
	/** Empties the log and resets counts (requests in flight stay counted as in flight). */
	clearLog(): void;
	stats(): EmulatorStats;
	/** Destroys open sockets (hung ones too) and resolves once both servers are closed. */
	close(): Promise<void>;
}

export function startEmulator(options?: EmulatorOptions): Promise<Emulator>;

export interface EncodePngOptions {
	width: number;
	height: number;
	/** Same seed (and size) → same bytes. Default 0. */
	seed?: number | string;
	/** Incompressible pseudo-random pixels, stored uncompressed (1200x1200 ≈ 4.3 MB). */
	noise?: boolean;
}

export interface PngInfo {
	width: number;
	height: number;
	bitDepth: number;
	colorType: number;
}

/** An 8-bit RGB PNG with valid CRCs. */
export function encodePng(options: EncodePngOptions): Buffer;

/**
 * Validates the whole file (signature, every CRC, chunk order, nothing after IEND, image data
 * inflating to exactly the expected size with valid filter bytes) and returns its header.
 * Throws an Error whose message starts with "Invalid PNG:" otherwise.
 */
export function decodePngInfo(buffer: Uint8Array): PngInfo;

/** Signature check only. */
export function isPng(buffer: Uint8Array): boolean;

export const FAULT_NAMES: readonly FaultName[];

/** The formats the emulator serves; a prompt picks one with "[format:jpeg]" (png is the default). */
export type ImageFormatName = 'png' | 'jpeg' | 'webp' | 'gif';
export const FORMAT_NAMES: readonly ImageFormatName[];

export interface ImageInfo {
	format: ImageFormatName;
	mimeType: 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif';
	width: number;
	height: number;
}
/** Format and size read from a file's bytes (a PNG is fully validated); throws for anything else. */
export function imageInfo(buffer: Buffer): ImageInfo;
