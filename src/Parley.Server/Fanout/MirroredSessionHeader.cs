namespace Parley.Server.Fanout;

/// <summary>Who a mirrored gateway session belongs to and the last <c>s</c> its holder mirrored.</summary>
internal sealed record MirroredSessionHeader(long UserId, string CredentialHash, long LastSeq);
