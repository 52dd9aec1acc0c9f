/**
 * Time as a dependency. Everything that waits or measures time (backoff,
 * typing throttle, typing expiry) takes a Clock so tests can drive it without
 * sleeping.
 */
export type TimerHandle = ReturnType<typeof setTimeout>;

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/**
 * The real clock. The globals are looked up at call time (not captured at
 * import time) so that fake timers installed later by a test runner still apply.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle),
};
