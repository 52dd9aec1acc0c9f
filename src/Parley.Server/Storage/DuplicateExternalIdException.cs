namespace Parley.Server.Storage;

/// <summary>Another user already has this external id (two first sights of one host user raced).</summary>
public sealed class DuplicateExternalIdException(string externalId) : Exception($"A user with external id '{externalId}' already exists.")
{
    public string ExternalId { get; } = externalId;
}
