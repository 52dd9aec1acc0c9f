using Parley.Server.Fanout;
using Parley.Server.Storage;

namespace Parley.Server.Chat;

public sealed partial class ChatService
{
    /// <summary>
    /// The author replaces the content of their message: validated like a send's content, only while the message is
    /// not deleted and the author may still post in its channel, counted against the author's send bucket (one token
    /// per edit, taken last, so a refused edit costs nothing). The message keeps its id and <c>seq</c> (an edit is no
    /// new message: replay does not send it again); every subscriber of the channel, on every node, hears
    /// <see cref="MessageUpdated"/>. Returns the message as stored now, with its readers.
    /// </summary>
    public async Task<ChatResult<MessageWithReaders>> EditAsync(long userId, long messageId, string? content, CancellationToken cancellationToken)
    {
        if (ValidateContent(content) is { } invalid)
        {
            return invalid;
        }
        var message = await store.GetMessageAsync(messageId, cancellationToken);
        if (message is null || message.Deleted)
        {
            return ChatError.MessageNotFound;
        }
        var channel = (await store.GetChannelAsync(message.ChannelId, cancellationToken))!;
        if (message.AuthorId != userId)
        {
            // Someone who may not read the channel is not told that the message exists.
            return await access.CheckReadAsync(userId, channel, cancellationToken) is null ? ChatError.NotAuthor : ChatError.MessageNotFound;
        }
        // The author knows the message: they are refused as a send of theirs would be (removed from the workspace,
        // or no longer an owner or admin in an announcement channel).
        if (await access.CheckWriteAsync(userId, channel, cancellationToken) is { } forbidden)
        {
            return forbidden;
        }
        if (await rateLimiter.TryAcquireAsync(userId) is { } retryAfter)
        {
            return ChatError.RateLimited(retryAfter);
        }

        StoredMessage? edited;
        try
        {
            edited = await store.EditMessageAsync(messageId, content!.Trim(), time.GetUtcNow().UtcDateTime, cancellationToken);
        }
        catch (Exception ex) when (!IsCancellationOf(ex, cancellationToken))
        {
            ChatLog.EditFailed(logger, messageId, userId, ex);
            return ChatError.SaveFailed;
        }
        if (edited is null)
        {
            // Deleted between the look-up and the edit.
            return ChatError.MessageNotFound;
        }
        var withReaders = (await store.WithReadersAsync([edited], cancellationToken))[0];
        await PublishAsync(new MessageUpdated(edited, withReaders.ReadBy, channel));
        return withReaders;
    }
}
