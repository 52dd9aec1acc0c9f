namespace Parley.Client;

/// <summary>A user as the HTTP API returns it (never a password hash or secret).</summary>
/// <param name="Id">User id.</param>
/// <param name="Username">Unique login name.</param>
/// <param name="DisplayName">Name shown to others.</param>
/// <param name="Role">Profile label: <c>student</c>, <c>teacher</c> or <c>parent</c>. It grants no privilege.</param>
/// <param name="CreatedAt">When the account was created (UTC).</param>
public sealed record ParleyUser(long Id, string Username, string DisplayName, string Role, DateTime CreatedAt);
