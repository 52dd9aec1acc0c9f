import { systemClock, type Clock, type TimerHandle } from './clock';

/**
 * The typing indicator's sentence for the given names (in the order they started
 * typing); empty when nobody is typing.
 */
export function typingText(names: readonly string[]): string {
  const [first, second] = names;
  if (first === undefined) return '';
  if (second === undefined) return `${first} is typing…`;
  if (names.length === 2) return `${first} and ${second} are typing…`;
  return 'Several people are typing…';
}

/** How long a `user_typing` counts without being refreshed (senders refresh every 2 s). */
export const TYPING_TTL_MS = 5_000;

/**
 * Who is typing in one channel. An entry ends when its user stops typing, sends a
 * message, or is not heard from for `ttlMs` (a `stop_typing` can be lost, e.g.
 * when the other user's tab closes, so expiry is the backstop).
 */
export class TypingUsers {
  private readonly users = new Map<number, { name: string; expiresAt: number }>();

  constructor(
    private readonly now: () => number = () => Date.now(),
    private readonly ttlMs: number = TYPING_TTL_MS,
  ) {}

  /** On `user_typing`: adds or refreshes the user. */
  typing(userId: number, name: string): void {
    const expiresAt = this.now() + this.ttlMs;
    const existing = this.users.get(userId);
    if (existing) existing.expiresAt = expiresAt; // Keep their place in the order.
    else this.users.set(userId, { name, expiresAt });
  }

  /** On `user_stop_typing`, or on a `new_message` by that user. */
  stopped(userId: number): void {
    this.users.delete(userId);
  }

  clear(): void {
    this.users.clear();
  }

  /** Names of users still typing, in the order they started. */
  names(): string[] {
    this.prune();
    return [...this.users.values()].map((user) => user.name);
  }

  text(): string {
    return typingText(this.names());
  }

  /** Milliseconds until the next entry expires, or null if nobody is typing. */
  nextExpiryIn(): number | null {
    this.prune();
    let next: number | null = null;
    for (const user of this.users.values()) {
      if (next === null || user.expiresAt < next) next = user.expiresAt;
    }
    return next === null ? null : Math.max(0, next - this.now());
  }

  private prune(): void {
    const now = this.now();
    for (const [userId, user] of this.users) {
      if (user.expiresAt <= now) this.users.delete(userId);
    }
  }
}

export interface TypingThrottleOptions {
  /** Sends `typing` for the composer's channel. */
  sendTyping: () => void;
  /** Sends `stop_typing` for the composer's channel. */
  sendStopTyping: () => void;
  clock?: Clock;
  /** Minimum time between two `typing` signals. */
  intervalMs?: number;
  /** Idle time after the last keystroke before `stop_typing` is sent. */
  idleMs?: number;
}

/**
 * Turns the composer's keystrokes into few typing signals: `typing` at most once
 * per `intervalMs` (2 s) while the user types, which keeps receivers' 5 s entries
 * alive; `stop_typing` after a send, on blur, and after `idleMs` (3 s) idle.
 */
export class TypingThrottle {
  private readonly sendTyping: () => void;
  private readonly sendStopTyping: () => void;
  private readonly clock: Clock;
  private readonly intervalMs: number;
  private readonly idleMs: number;

  private isTyping = false;
  private lastTypingSentAt = 0;
  private idleTimer: TimerHandle | null = null;

  constructor(options: TypingThrottleOptions) {
    this.sendTyping = options.sendTyping;
    this.sendStopTyping = options.sendStopTyping;
    this.clock = options.clock ?? systemClock;
    this.intervalMs = options.intervalMs ?? 2_000;
    this.idleMs = options.idleMs ?? 3_000;
  }

  /** Call on every edit of the composer that leaves text in it. */
  keystroke(): void {
    const now = this.clock.now();
    if (!this.isTyping || now - this.lastTypingSentAt >= this.intervalMs) {
      this.sendTyping();
      this.lastTypingSentAt = now;
      this.isTyping = true;
    }
    this.restartIdleTimer();
  }

  /** Call after the message was sent (or the composer emptied). */
  sent(): void {
    this.stop();
  }

  /** Call when the composer loses focus. */
  blur(): void {
    this.stop();
  }

  /** Stops timers without signalling (e.g. when switching channels after `blur`). */
  dispose(): void {
    this.clearIdleTimer();
    this.isTyping = false;
  }

  private stop(): void {
    this.clearIdleTimer();
    if (!this.isTyping) return;
    this.isTyping = false;
    this.sendStopTyping();
  }

  private restartIdleTimer(): void {
    this.clearIdleTimer();
    this.idleTimer = this.clock.setTimeout(() => {
      this.idleTimer = null;
      this.stop();
    }, this.idleMs);
  }

  private clearIdleTimer(): void {
    if (this.idleTimer !== null) this.clock.clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}
