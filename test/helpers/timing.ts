/**
 * Timing bounds, derived from the configured waits. A loaded machine (2 shared cores, other suites
 * running) only ever makes a wait longer, by up to SCHEDULING_TOLERANCE_MS here; a timer may fire
 * up to TIMER_EARLY_MS early against Date.now(). Every upper bound stays well below the wait of the
 * behaviour it rules out (a longer configured wait, a Retry-After that was not capped, a timeout
 * that never fired), and the tests state which.
 */
export const SCHEDULING_TOLERANCE_MS = 2000;
export const TIMER_EARLY_MS = 50;
/** The latest a wait configured as `configuredMs` may end. */
export const atMost = (configuredMs: number) => configuredMs + SCHEDULING_TOLERANCE_MS;
/** The earliest a wait configured as `configuredMs` may end. */
export const atLeast = (configuredMs: number) => configuredMs - TIMER_EARLY_MS;
