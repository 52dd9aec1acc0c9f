namespace Parley.Server.Storage;

/// <summary>Thrown when a username is taken (compared case-insensitively).</summary>
public sealed class DuplicateUsernameException(string username)
    : Exception($"The username '{username}' is taken.");
