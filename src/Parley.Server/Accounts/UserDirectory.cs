using Parley.Server.Chat;
using Parley.Server.Storage;

namespace Parley.Server.Accounts;

/// <summary>
/// Finding people by name: only among the users the caller shares at least one workspace with, so that a search
/// reveals nobody the caller could not already see in a member list. The caller is never among the results (no one
/// adds or messages themself). A match is a username or display name that contains the query, ignoring case.
/// </summary>
public sealed class UserDirectory(IChatStore store)
{
    /// <summary>Longer queries cannot match: usernames and display names are shorter.</summary>
    public const int MaxQueryLength = UsernameRules.MaxDisplayNameLength;

    public static readonly ChatError QueryRequired = ChatError.BadRequest("query is required: the part of a username or display name to look for.");

    public async Task<ChatResult<Page<UserRecord>>> SearchAsync(long userId, string? query, PageRequest page, CancellationToken cancellationToken)
    {
        var text = query?.Trim() ?? "";
        if (text.Length == 0)
        {
            return QueryRequired;
        }
        if (text.Length > MaxQueryLength)
        {
            return ChatError.BadRequest($"query must be at most {MaxQueryLength} characters.");
        }
        if (!PageCursors.TryParseId(page.Cursor, out var afterUserId))
        {
            return PageCursors.Invalid;
        }
        var rows = await store.SearchUsersSharingWorkspaceAsync(userId, ContainsPattern(text), afterUserId, page.Limit + 1, cancellationToken);
        return PageCursors.ToPage(rows, page.Limit, u => PageCursors.Id(u.Id), u => u);
    }

    /// <summary>A LIKE pattern for "contains", upper case as the stored normalized usernames; the query's own wildcards are literal.</summary>
    public static string ContainsPattern(string query)
    {
        var escaped = query.ToUpperInvariant().Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
        return $"%{escaped}%";
    }
}
