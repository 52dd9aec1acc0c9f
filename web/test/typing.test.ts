import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../src/clock';
import { TypingThrottle, TypingUsers, typingText } from '../src/typing';

describe('typingText', () => {
  it('names one or two people and summarises three or more, with a real ellipsis', () => {
    expect(typingText([])).toBe('');
    expect(typingText(['Ana'])).toBe('Ana is typing…');
    expect(typingText(['Ana', 'Ben'])).toBe('Ana and Ben are typing…');
    expect(typingText(['Ana', 'Ben', 'Cy'])).toBe('Several people are typing…');
    expect(typingText(['Ana', 'Ben', 'Cy', 'Dee'])).toBe('Several people are typing…');
    expect(typingText(['Ana'])).not.toContain('...');
  });
});

describe('TypingUsers', () => {
  let now = 0;
  const users = () => new TypingUsers(() => now);

  beforeEach(() => {
    now = 1_000_000;
  });

  it('lists users in the order they started typing', () => {
    const typing = users();
    typing.typing(1, 'Ana');
    typing.typing(2, 'Ben');
    typing.typing(1, 'Ana'); // a refresh keeps Ana first
    expect(typing.text()).toBe('Ana and Ben are typing…');
  });

  it('expires an entry 5 s after its last refresh', () => {
    const typing = users();
    typing.typing(1, 'Ana');
    now += 4_000;
    typing.typing(1, 'Ana');
    typing.typing(2, 'Ben');
    now += 4_999;
    expect(typing.names()).toEqual(['Ana', 'Ben']);
    expect(typing.nextExpiryIn()).toBe(1);
    now += 1;
    expect(typing.names()).toEqual([]);
    expect(typing.text()).toBe('');
    expect(typing.nextExpiryIn()).toBeNull();
  });

  it('removes a user on stop_typing or on a new message from them', () => {
    const typing = users();
    typing.typing(1, 'Ana');
    typing.typing(2, 'Ben');
    typing.typing(3, 'Cy');
    expect(typing.text()).toBe('Several people are typing…');
    typing.stopped(2); // user_stop_typing
    expect(typing.text()).toBe('Ana and Cy are typing…');
    typing.stopped(1); // new_message by Ana
    expect(typing.text()).toBe('Cy is typing…');
  });
});

describe('TypingThrottle', () => {
  let sent: string[];
  let throttle: TypingThrottle;
  // vitest's fake timers drive both Date.now and setTimeout behind this clock.
  const clock: Clock = {
    now: () => Date.now(),
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle),
  };

  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    throttle = new TypingThrottle({
      sendTyping: () => sent.push('typing'),
      sendStopTyping: () => sent.push('stop_typing'),
      clock,
    });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends typing at most once every 2 s while the user keeps typing', () => {
    throttle.keystroke();
    for (let i = 0; i < 7; i++) {
      vi.advanceTimersByTime(250);
      throttle.keystroke();
    }
    expect(sent).toEqual(['typing']); // t = 1.75 s
    vi.advanceTimersByTime(249);
    throttle.keystroke();
    expect(sent).toEqual(['typing']); // t = 1.999 s
    vi.advanceTimersByTime(1);
    throttle.keystroke();
    expect(sent).toEqual(['typing', 'typing']); // t = 2 s
  });

  it('sends stop_typing after 3 s without a keystroke', () => {
    throttle.keystroke();
    vi.advanceTimersByTime(1_500);
    throttle.keystroke(); // restarts the idle timer
    vi.advanceTimersByTime(2_999);
    expect(sent).toEqual(['typing']);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual(['typing', 'stop_typing']);
    vi.advanceTimersByTime(60_000);
    expect(sent).toEqual(['typing', 'stop_typing']);
  });

  it('sends stop_typing right after sending, and not again when idle', () => {
    throttle.keystroke();
    throttle.sent();
    expect(sent).toEqual(['typing', 'stop_typing']);
    vi.advanceTimersByTime(10_000);
    expect(sent).toEqual(['typing', 'stop_typing']);
  });

  it('sends stop_typing on blur, and nothing when the user was not typing', () => {
    throttle.blur();
    expect(sent).toEqual([]);
    throttle.keystroke();
    throttle.blur();
    throttle.blur();
    expect(sent).toEqual(['typing', 'stop_typing']);
  });

  it('signals typing at once when typing resumes after a stop', () => {
    throttle.keystroke();
    vi.advanceTimersByTime(500);
    throttle.sent();
    vi.advanceTimersByTime(500);
    throttle.keystroke();
    expect(sent).toEqual(['typing', 'stop_typing', 'typing']);
  });
});
