import { describe, expect, it } from 'vitest';
import { isSafeHref, splitLinks } from '../src/reading/links';

describe('splitLinks', () => {
  it('finds http and https links between text', () => {
    expect(splitLinks('see https://example.org/a?b=1 and http://x.test')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.org/a?b=1', href: 'https://example.org/a?b=1' },
      { kind: 'text', text: ' and ' },
      { kind: 'link', text: 'http://x.test', href: 'http://x.test' },
    ]);
  });

  it('leaves trailing punctuation and closing brackets out of the link', () => {
    expect(splitLinks('(see https://example.org/a).')).toEqual([
      { kind: 'text', text: '(see ' },
      { kind: 'link', text: 'https://example.org/a', href: 'https://example.org/a' },
      { kind: 'text', text: ').' },
    ]);
    expect(splitLinks('https://en.wikipedia.org/wiki/Foo_(bar)')[0]).toEqual({
      kind: 'link',
      text: 'https://en.wikipedia.org/wiki/Foo_(bar)',
      href: 'https://en.wikipedia.org/wiki/Foo_(bar)',
    });
  });

  it('never links other schemes and keeps markup as text', () => {
    const text = 'javascript:alert(1) <img src=x onerror=alert(1)> data:text/html,hi';
    expect(splitLinks(text)).toEqual([{ kind: 'text', text }]);
    expect(isSafeHref('javascript:alert(1)')).toBe(false);
    expect(isSafeHref('https://')).toBe(false);
    expect(isSafeHref('https://ok.test/')).toBe(true);
  });

  it('does not let a quote or angle bracket into a link', () => {
    expect(splitLinks('"https://a.test/x"><b>')).toEqual([
      { kind: 'text', text: '"' },
      { kind: 'link', text: 'https://a.test/x', href: 'https://a.test/x' },
      { kind: 'text', text: '"><b>' },
    ]);
  });

  it('returns nothing for an empty text', () => {
    expect(splitLinks('')).toEqual([]);
  });
});
