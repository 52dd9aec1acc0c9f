using System.Globalization;
using Parley.Server.Storage;

namespace Parley.Server.Chat;

/// <summary>
/// The cursors of the HTTP lists: opaque to clients (they pass back what they got), plain text here. An id list's
/// cursor is the last id of its page; the pins' is <c>{pinned at, Unix ms}_{message id}</c>; the conversations'
/// <c>{activity, Unix ms}_{last message id}_{channel id}</c>. A cursor that does not parse is bad input.
/// </summary>
public static class PageCursors
{
    public static readonly ChatError Invalid = ChatError.BadRequest("cursor is not valid.");

    /// <summary>The id a page starts after: 0 without a cursor.</summary>
    public static bool TryParseId(string? cursor, out long afterId)
    {
        afterId = 0;
        return cursor is null || (TryParseParts(cursor, 1, out var parts) && (afterId = parts[0]) > 0);
    }

    public static bool TryParsePin(string? cursor, out PinKey? after)
    {
        after = null;
        if (cursor is null)
        {
            return true;
        }
        if (!TryParseParts(cursor, 2, out var parts) || !TryTime(parts[0], out var at))
        {
            return false;
        }
        after = new PinKey(at, parts[1]);
        return true;
    }

    public static bool TryParseActivity(string? cursor, out ActivityKey? before)
    {
        before = null;
        if (cursor is null)
        {
            return true;
        }
        if (!TryParseParts(cursor, 3, out var parts) || !TryTime(parts[0], out var at))
        {
            return false;
        }
        before = new ActivityKey(at, parts[1], parts[2]);
        return true;
    }

    public static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    public static string Pin(PinnedMessage pin) => Join(Ms(pin.PinnedAt), pin.Message.Id);

    public static string Activity(ConversationRecord row) => Join(Ms(row.ActivityAt), row.LastMessageId, row.Channel.Id);

    /// <summary>
    /// A page from rows fetched with one more than <paramref name="limit"/>: that extra row only says a next page
    /// exists, whose cursor is the key of the page's last row.
    /// </summary>
    public static Page<T> ToPage<TRow, T>(IReadOnlyList<TRow> rows, int limit, Func<TRow, string> keyOf, Func<TRow, T> map)
    {
        var shown = rows.Count > limit ? rows.Take(limit).ToList() : [.. rows];
        return new Page<T>([.. shown.Select(map)], rows.Count > limit ? keyOf(shown[^1]) : null);
    }

    private static long Ms(DateTime time) => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)).ToUnixTimeMilliseconds();

    private static string Join(params long[] parts) => string.Join('_', parts.Select(p => p.ToString(CultureInfo.InvariantCulture)));

    private static bool TryTime(long ms, out DateTime time)
    {
        time = default;
        if (ms < 0 || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return false;
        }
        time = DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime;
        return true;
    }

    private static bool TryParseParts(string cursor, int count, out long[] parts)
    {
        var texts = cursor.Split('_');
        parts = new long[texts.Length];
        if (texts.Length != count)
        {
            return false;
        }
        for (var i = 0; i < texts.Length; i++)
        {
            // Digits only: no sign, no spaces, so that one key has one spelling.
            if (texts[i].Length is 0 or > 19 || !texts[i].All(char.IsAsciiDigit) ||
                !long.TryParse(texts[i], NumberStyles.None, CultureInfo.InvariantCulture, out parts[i]))
            {
                return false;
            }
        }
        return true;
    }
}
