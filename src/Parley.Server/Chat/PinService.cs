using Parley.Server.Storage;

namespace Parley.Server.Chat;

/// <summary>Pinning and unpinning: for the channel's moderators, and only messages of that channel that still exist.</summary>
public sealed class PinService(IChatStore store, ChatAccess access, TimeProvider time)
{
    /// <summary>True when the message was pinned now, false when it was pinned already.</summary>
    public async Task<ChatResult<bool>> PinAsync(long userId, long channelId, long messageId, CancellationToken cancellationToken) =>
        await AuthorizeAsync(userId, channelId, messageId, cancellationToken) is { } refused
            ? refused
            : await store.PinAsync(channelId, messageId, userId, time.GetUtcNow().UtcDateTime, cancellationToken);

    /// <summary>True when the message was pinned and is not any more; false when it was not pinned.</summary>
    public async Task<ChatResult<bool>> UnpinAsync(long userId, long channelId, long messageId, CancellationToken cancellationToken) =>
        await AuthorizeAsync(userId, channelId, messageId, cancellationToken) is { } refused ? refused : await store.UnpinAsync(channelId, messageId, cancellationToken);

    private async Task<ChatError?> AuthorizeAsync(long userId, long channelId, long messageId, CancellationToken cancellationToken)
    {
        var readable = await access.AuthorizeReadAsync(userId, channelId, cancellationToken);
        if (!readable.IsSuccess)
        {
            return readable.Error;
        }
        var message = await store.GetMessageAsync(messageId, cancellationToken);
        if (message is null || message.Deleted || message.ChannelId != channelId)
        {
            return ChatError.MessageNotFound;
        }
        return await access.CanModerateAsync(userId, readable.Value!.Channel, cancellationToken) ? null : ChatError.NotAllowed;
    }
}
