namespace Parley.Server.Accounts;

public sealed record RegisterRequest(string? Username, string? Password, string? DisplayName, string? Role);

public sealed record LoginRequest(string? Username, string? Password);

public sealed record CreateTokenRequest(string? Name);
