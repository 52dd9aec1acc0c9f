using Microsoft.Extensions.Options;
using Parley.Server.Chat;
using Parley.Server.Storage;

namespace Parley.Server.Accounts;

/// <summary>
/// Accounts: the registration rules and the password check. The HTTP API only translates; sessions, cookies
/// and the login throttle stay at the door, since they belong to HTTP sign-in, not to the account.
/// </summary>
public sealed class AccountService(IChatStore store, PasswordHashing hashing, IOptions<AccountOptions> options, TimeProvider time)
{
    private readonly AccountOptions _options = options.Value;

    public async Task<ChatResult<UserRecord>> RegisterAsync(RegisterRequest? body, CancellationToken cancellationToken)
    {
        if (!_options.AllowRegistration)
        {
            return new ChatError(Protocol.ErrorCodes.Forbidden, "Registration is disabled on this server.");
        }
        if (body is null)
        {
            return ChatError.BadRequest("A JSON body is required.");
        }
        var username = body.Username?.Trim();
        if (username is null || !UsernameRules.Pattern().IsMatch(username))
        {
            return ChatError.BadRequest("username must be 3-32 letters, digits, '_', '.' or '-'.");
        }
        if (body.Password is null || body.Password.Length < _options.MinPasswordLength)
        {
            return ChatError.BadRequest($"password must be at least {_options.MinPasswordLength} characters.");
        }
        if (body.Password.Length > AccountOptions.MaxPasswordLength)
        {
            return ChatError.BadRequest($"password must be at most {AccountOptions.MaxPasswordLength} characters.");
        }
        var role = body.Role ?? "student";
        if (!UsernameRules.Roles.Contains(role))
        {
            return ChatError.BadRequest("role must be student, teacher or parent.");
        }
        var displayName = string.IsNullOrWhiteSpace(body.DisplayName) ? username : body.DisplayName.Trim();
        if (displayName.Length > UsernameRules.MaxDisplayNameLength)
        {
            return ChatError.BadRequest($"displayName must be at most {UsernameRules.MaxDisplayNameLength} characters.");
        }
        try
        {
            return await store.CreateUserAsync(username, displayName, role, hashing.Hash(body.Password), time.GetUtcNow().UtcDateTime, cancellationToken);
        }
        catch (DuplicateUsernameException)
        {
            return new ChatError(ChatError.ConflictCode, "Username already taken.");
        }
    }

    /// <summary>The user when the password is theirs, else null; a hash in an outdated format is upgraded on the way.</summary>
    public async Task<UserRecord?> VerifyPasswordAsync(string username, string password, CancellationToken cancellationToken)
    {
        var user = await store.FindUserByUsernameAsync(username, cancellationToken);
        if (!hashing.Verify(user?.PasswordHash, password, out var rehash) || user is null)
        {
            return null;
        }
        if (rehash)
        {
            await store.UpdatePasswordHashAsync(user.Id, hashing.Hash(password), cancellationToken);
        }
        return user;
    }

    public Task<UserRecord?> GetUserAsync(long userId, CancellationToken cancellationToken) => store.GetUserAsync(userId, cancellationToken);
}
