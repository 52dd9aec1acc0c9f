namespace Parley.Client;

/// <summary>An API token from <c>POST /api/auth/tokens</c>, for non-browser clients.</summary>
/// <param name="Id">Token id, to revoke it with <c>DELETE /api/auth/tokens/:id</c>.</param>
/// <param name="Name">The name given at creation.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="Token">The secret itself; the server shows it only once.</param>
public sealed record ParleyApiToken(long Id, string Name, DateTime CreatedAt, string Token);
