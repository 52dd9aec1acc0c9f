/**
 * Date separators: the messages of one local calendar day are grouped under a
 * line naming the day ("Today", "Yesterday", or the date).
 */

/** The local calendar day of a timestamp, as `YYYY-MM-DD` (empty for an invalid time). */
export function dayKey(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const month = String(date.getMonth() + 1).padStart(2, '0');
  const day = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${month}-${day}`;
}

/** True when a separator goes before the message at `current` (the first one, or a new day). */
export function startsNewDay(previous: string | null, current: string): boolean {
  if (previous === null) return true;
  return dayKey(previous) !== dayKey(current);
}

/** The separator's label. */
export function dayLabel(iso: string, now: Date = new Date()): string {
  const key = dayKey(iso);
  if (key === dayKey(now.toISOString())) return 'Today';
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (key === dayKey(yesterday.toISOString())) return 'Yesterday';
  const date = new Date(iso);
  return date.toLocaleDateString([], {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(date.getFullYear() === now.getFullYear() ? {} : { year: 'numeric' }),
  });
}
