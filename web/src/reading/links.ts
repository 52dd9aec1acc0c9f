/** A piece of a message's text: plain text, or a link the UI renders as an anchor. */
export type TextSegment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

/** http(s) URLs up to whitespace or an angle bracket; trailing punctuation is trimmed off below. */
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"]+/gi;
const TRAILING_PUNCTUATION = /[.,;:!?'")\]]+$/;

/**
 * Splits text into plain parts and http/https links. Only these two schemes ever
 * become links (no javascript:, data:, …); the UI builds text nodes and anchors
 * from the segments, never HTML, so message text cannot inject markup.
 */
export function splitLinks(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    let url = match[0];
    const start = match.index;
    // "(see https://x.org/a)." keeps its ")" and "." outside the link, unless the URL opened a parenthesis itself.
    const trailing = TRAILING_PUNCTUATION.exec(url);
    if (trailing) {
      let cut = trailing[0];
      if (cut.startsWith(')') && url.includes('(')) cut = cut.slice(1);
      url = url.slice(0, url.length - cut.length);
    }
    if (!isSafeHref(url)) continue;
    if (start > last) segments.push({ kind: 'text', text: text.slice(last, start) });
    segments.push({ kind: 'link', text: url, href: url });
    last = start + url.length;
  }
  if (last < text.length) segments.push({ kind: 'text', text: text.slice(last) });
  return segments;
}

/** True for absolute http: and https: URLs only. */
export function isSafeHref(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname.length > 0;
  } catch {
    return false;
  }
}
