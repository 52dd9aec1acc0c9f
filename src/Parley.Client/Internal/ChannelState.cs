using Parley.Protocol.Chat;

namespace Parley.Client.Internal;

/// <summary>A channel the client wants to be in, and how far it has read it.</summary>
internal sealed class ChannelState(long channelId, long? lastSeq)
{
    public long ChannelId { get; } = channelId;

    /// <summary>
    /// The highest seq delivered to the application (or the join point): the <c>since</c> of the next rejoin,
    /// and the de-duplication mark. Null until the first <c>joined_channel</c> or message.
    /// </summary>
    public long? LastSeq { get; set; } = lastSeq;

    /// <summary>The user's join, until the server answers it; later joins of the same channel share it.</summary>
    public PendingRequest? Join { get; set; }

    /// <summary>The last <c>joined_channel</c>; non-null once the server confirmed the join at least once.</summary>
    public JoinedChannelEvent? Joined { get; set; }

    /// <summary>The socket on which the server last confirmed the join; typing is sent only on it.</summary>
    public SocketSession? JoinedOn { get; set; }
}
