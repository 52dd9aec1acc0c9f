using Parley.Server.Fanout;
using Parley.Server.Storage;

namespace Parley.Server.Chat;

/// <summary>Pinning and unpinning: for the channel's moderators, and only messages of that channel that still exist.</summary>
public sealed class PinService(IChatStore store, ChatAccess access, IMessageBus bus, TimeProvider time, ILogger<PinService> logger)
{
    /// <summary>True when the message was pinned now, false when it was pinned already (nobody is told again).</summary>
    public async Task<ChatResult<bool>> PinAsync(long userId, long channelId, long messageId, CancellationToken cancellationToken)
    {
        var authorized = await AuthorizeAsync(userId, channelId, messageId, cancellationToken);
        if (!authorized.IsSuccess)
        {
            return authorized.Error!;
        }
        var now = time.GetUtcNow().UtcDateTime;
        var pinned = await store.PinAsync(channelId, messageId, userId, now, cancellationToken);
        if (pinned)
        {
            await PublishAsync(new PinChanged(messageId, authorized.Value!, Pinned: true, userId, now));
        }
        return pinned;
    }

    /// <summary>True when the message was pinned and is not any more; false when it was not pinned.</summary>
    public async Task<ChatResult<bool>> UnpinAsync(long userId, long channelId, long messageId, CancellationToken cancellationToken)
    {
        var authorized = await AuthorizeAsync(userId, channelId, messageId, cancellationToken);
        if (!authorized.IsSuccess)
        {
            return authorized.Error!;
        }
        var unpinned = await store.UnpinAsync(channelId, messageId, cancellationToken);
        if (unpinned)
        {
            await PublishAsync(new PinChanged(messageId, authorized.Value!, Pinned: false, userId, time.GetUtcNow().UtcDateTime));
        }
        return unpinned;
    }

    private ValueTask PublishAsync(PinChanged change) => bus.PublishStoredAsync(change, logger);

    /// <summary>The channel, when the user may change its pins and the message is one of its messages that still exists.</summary>
    private async Task<ChatResult<ChannelRecord>> AuthorizeAsync(long userId, long channelId, long messageId, CancellationToken cancellationToken)
    {
        var readable = await access.AuthorizeReadAsync(userId, channelId, cancellationToken);
        if (!readable.IsSuccess)
        {
            return readable.Error!;
        }
        var message = await store.GetMessageAsync(messageId, cancellationToken);
        if (message is null || message.Deleted || message.ChannelId != channelId)
        {
            return ChatError.MessageNotFound;
        }
        var channel = readable.Value!.Channel;
        return await access.CanModerateAsync(userId, channel, cancellationToken) ? channel : ChatError.NotAllowed;
    }
}
