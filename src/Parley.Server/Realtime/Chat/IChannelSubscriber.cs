using Parley.Server.Fanout;

namespace Parley.Server.Realtime.Chat;

/// <summary>A socket subscribed to channels of the <see cref="ChannelHub"/>.</summary>
internal interface IChannelSubscriber
{
    Guid SocketId { get; }

    long UserId { get; }

    /// <summary>
    /// A <c>new_message</c> frame; called in <c>seq</c> order per channel. <paramref name="origin"/> names the socket
    /// request that sent it, when it carried a <c>requestId</c>: that socket answers with its own copy.
    /// </summary>
    void DeliverMessage(long channelId, long seq, byte[] frame, RequestOrigin? origin);

    /// <summary>Any other frame for the channel.</summary>
    void Deliver(long channelId, byte[] frame, bool droppable);

    /// <summary>The user lost access to the channel (removed from its workspace): unsubscribe now.</summary>
    void ForceLeave(long channelId);
}
