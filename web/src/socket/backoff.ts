/** Reconnect delays: exponential from `initialMs`, doubling, capped at `maxMs`. */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /**
   * Fraction of the delay that may be taken off at random (0..1). Jitter spreads
   * the reconnects of many clients after a server restart so they do not all
   * arrive in the same instant.
   */
  jitter: number;
}

export const defaultBackoff: BackoffOptions = { initialMs: 1_000, maxMs: 30_000, jitter: 0.2 };

/** The nominal (jitter-free) delay before reconnect attempt number `attempt` (0-based). */
export function nominalDelay(attempt: number, options: BackoffOptions = defaultBackoff): number {
  // Clamp the exponent so huge attempt counts cannot overflow to Infinity.
  const factor = 2 ** Math.min(attempt, 30);
  return Math.min(options.initialMs * factor, options.maxMs);
}

/**
 * The delay with jitter, in [nominal × (1 − jitter), nominal]. The jitter is only
 * ever subtracted so that the cap stays a true upper bound.
 */
export function backoffDelay(
  attempt: number,
  random: () => number = Math.random,
  options: BackoffOptions = defaultBackoff,
): number {
  const nominal = nominalDelay(attempt, options);
  return Math.round(nominal * (1 - options.jitter * random()));
}
