using System.Globalization;

namespace Parley.Protocol.Direct;

/// <summary>
/// The wire id of the conversation between two users, <c>conv_{smaller id}_{larger id}</c>: one id per
/// unordered pair, so both users name it alike.
/// </summary>
public static class ConversationIds
{
    private const string Prefix = "conv_";

    /// <summary>The id of the conversation of two distinct users, in either order.</summary>
    public static string Format(long userA, long userB)
    {
        var (low, high) = userA < userB ? (userA, userB) : (userB, userA);
        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}{low}_{high}");
    }

    /// <summary>
    /// Parses a canonical id: two positive decimal ids without sign or leading zeros, the smaller first and
    /// distinct. Anything else (including the larger id first) is not a conversation id.
    /// </summary>
    public static bool TryParse(string? id, out long low, out long high)
    {
        low = high = 0;
        if (id is null || !id.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var rest = id.AsSpan(Prefix.Length);
        var separator = rest.IndexOf('_');
        return separator > 0
            && TryParseId(rest[..separator], out low)
            && TryParseId(rest[(separator + 1)..], out high)
            && low < high;
    }

    private static bool TryParseId(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        if (text.Length is 0 or > 16 || text[0] == '0')
        {
            return false;
        }
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value < 1L << 53;
    }
}
