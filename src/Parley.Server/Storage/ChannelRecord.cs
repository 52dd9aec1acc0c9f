namespace Parley.Server.Storage;

/// <summary>
/// A channel. Workspace channels have <see cref="WorkspaceId"/>; DM channels have none and name their
/// two users, smaller id first, in <see cref="DmUserLow"/> and <see cref="DmUserHigh"/>.
/// </summary>
public sealed record ChannelRecord(
    long Id,
    long? WorkspaceId,
    string Name,
    string Type,
    string? Subject,
    long? DmUserLow,
    long? DmUserHigh,
    long LastSeq,
    DateTime CreatedAt)
{
    public bool IsDm => Type == ChannelTypes.Dm;

    public bool IsDmParticipant(long userId) => IsDm && (DmUserLow == userId || DmUserHigh == userId);

    /// <summary>The other user of a DM channel.</summary>
    public long DmPartnerOf(long userId) => DmUserLow == userId ? DmUserHigh!.Value : DmUserLow!.Value;
}
