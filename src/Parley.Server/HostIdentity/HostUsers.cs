using Parley.Server.Accounts;
using Parley.Server.Chat;
using Parley.Server.Fanout;
using Parley.Server.Storage;

namespace Parley.Server.HostIdentity;

/// <summary>
/// Users the host owns, known by its id for them (<see cref="UserRecord.ExternalId"/>): provisioned on first sight of
/// a JWT, or created and updated by the host's backend (<c>POST /api/server/users</c>). They have no password.
/// </summary>
public sealed class HostUsers(IChatStore store, IMessageBus bus, TimeProvider time, ILogger<HostUsers> logger)
{
    public const int MaxExternalIdLength = 255;
    private const string DefaultRole = "student";
    private const int MaxNameAttempts = 10;

    /// <summary>The user whose external id is <paramref name="externalId"/>, created when unknown (JWT sign-in).</summary>
    public async Task<UserRecord> GetOrProvisionAsync(string externalId, string? preferredUsername, string? name, CancellationToken cancellationToken)
    {
        if (await store.FindUserByExternalIdAsync(externalId, cancellationToken) is { } known)
        {
            return known;
        }
        var baseName = ExternalUsernames.Base(preferredUsername, name, externalId);
        var displayName = DisplayName(name);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var username = ExternalUsernames.WithSuffix(baseName, attempt);
                try
                {
                    var user = await store.CreateExternalUserAsync(externalId, username, displayName ?? username, DefaultRole, time.GetUtcNow().UtcDateTime, cancellationToken);
                    HostIdentityLog.Provisioned(logger, user.Id, user.Username);
                    return user;
                }
                catch (DuplicateUsernameException) when (attempt < MaxNameAttempts)
                {
                }
            }
        }
        catch (DuplicateExternalIdException)
        {
            // Two first requests of one host user raced; the other one created it.
            return await store.FindUserByExternalIdAsync(externalId, cancellationToken) ?? throw new InvalidOperationException("A user with a duplicate external id vanished.");
        }
    }

    /// <summary>
    /// Creates (<c>Created</c> true) or updates the user with this external id. An update keeps the display name and
    /// the role when they are not given, and tells every node (<see cref="UserProfileChanged"/>), whose profile caches
    /// drop the old one.
    /// </summary>
    public async Task<ChatResult<(UserRecord User, bool Created)>> UpsertAsync(string? externalId, string? username, string? displayName, string? role, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(externalId))
        {
            return ChatError.BadRequest("externalId is required.");
        }
        if (externalId.Length > MaxExternalIdLength)
        {
            return ChatError.BadRequest($"externalId must be at most {MaxExternalIdLength} characters.");
        }
        username = username?.Trim();
        if (username is null || !UsernameRules.Pattern().IsMatch(username))
        {
            return ChatError.BadRequest("username must be 3-32 letters, digits, '_', '.' or '-'.");
        }
        displayName = string.IsNullOrWhiteSpace(displayName) ? null : displayName.Trim();
        if (displayName is { Length: > UsernameRules.MaxDisplayNameLength })
        {
            return ChatError.BadRequest($"displayName must be at most {UsernameRules.MaxDisplayNameLength} characters.");
        }
        if (role is not null && !UsernameRules.Roles.Contains(role))
        {
            return ChatError.BadRequest("role must be student, teacher or parent.");
        }
        try
        {
            var existing = await store.FindUserByExternalIdAsync(externalId, cancellationToken);
            if (existing is null)
            {
                try
                {
                    return (await store.CreateExternalUserAsync(externalId, username, displayName ?? username, role ?? DefaultRole, time.GetUtcNow().UtcDateTime, cancellationToken), true);
                }
                catch (DuplicateExternalIdException)
                {
                    // Created meanwhile (a JWT's first sight, or a concurrent call): this call updates it.
                    existing = await store.FindUserByExternalIdAsync(externalId, cancellationToken);
                }
            }
            var updated = await store.UpdateUserProfileAsync(existing!.Id, username, displayName ?? existing.DisplayName, role ?? existing.Role, cancellationToken);
            await bus.PublishAsync(new UserProfileChanged(existing.Id));
            return (updated!, false);
        }
        catch (DuplicateUsernameException)
        {
            return new ChatError(ChatError.ConflictCode, "Username already taken.");
        }
    }

    private static string? DisplayName(string? name)
    {
        var trimmed = name?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed[..Math.Min(trimmed.Length, UsernameRules.MaxDisplayNameLength)];
    }
}
