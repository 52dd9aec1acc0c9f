namespace Parley.Server.Fanout.Wire;

/// <summary>On the wire: <see cref="CredentialRevoked"/>.</summary>
public sealed record BusCredentialRevoked(string CredentialHash) : BusEvent;
