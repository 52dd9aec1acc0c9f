import { describe, expect, it } from 'vitest';
import { backoffDelay, nominalDelay } from '../src/socket/backoff';

describe('backoff', () => {
  it('doubles from 1 s and caps at 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((attempt) => nominalDelay(attempt))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000,
    ]);
    expect(nominalDelay(10_000)).toBe(30_000);
  });

  it('only ever takes jitter off, up to 20 %', () => {
    for (let attempt = 0; attempt < 8; attempt++) {
      const nominal = nominalDelay(attempt);
      expect(backoffDelay(attempt, () => 0)).toBe(nominal);
      expect(backoffDelay(attempt, () => 0.999_999)).toBeGreaterThanOrEqual(Math.floor(nominal * 0.8));
      for (let i = 0; i < 50; i++) {
        const delay = backoffDelay(attempt);
        expect(delay).toBeGreaterThanOrEqual(nominal * 0.8);
        expect(delay).toBeLessThanOrEqual(nominal);
      }
    }
  });
});
