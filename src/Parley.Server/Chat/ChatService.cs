using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Parley.Server.Fanout;
using Parley.Server.Operations;
using Parley.Server.Storage;
using Parley.Server.Workspaces;

namespace Parley.Server.Chat;

/// <summary>
/// The chat core: the one place that validates, rate-limits, applies idempotency, persists (the store assigns
/// <c>seq</c>) and then publishes. <c>/ws/chat</c>, <c>/messagepal</c>, <c>/gateway</c> and the HTTP API call
/// it, so a message is the same message whichever way it came in.
/// </summary>
public sealed partial class ChatService(
    IChatStore store,
    ChatAccess access,
    IMessageBus bus,
    IPresenceTracker presence,
    ISendRateLimiter rateLimiter,
    IOptions<ChatOptions> options,
    TimeProvider time,
    ParleyMetrics metrics,
    ILogger<ChatService> logger)
{
    private readonly ChatOptions _options = options.Value;

    /// <summary>Whether one caller's sends may overlap (see <see cref="StartSendAsync(long, string, ChannelRecord, SendRequest, CancellationToken)"/>).</summary>
    public bool SendsMayOverlap => store.AppendsInCallOrder;

    /// <summary>Sends to a channel the caller has already been authorized to read (a joined socket, or HTTP after <see cref="ChatAccess"/>).</summary>
    public Task<ChatResult<SentMessage>> SendAsync(long userId, string username, ChannelRecord channel, SendRequest request, CancellationToken cancellationToken) =>
        SendAsync(userId, username, channel, request, rateLimiter, cancellationToken);

    /// <summary>
    /// The host's backend publishes as <paramref name="authorId"/> (the server API): the same rules as the author's own
    /// send (a reader of the channel, a manager in an announcement channel, validation, idempotency), persisted and
    /// delivered the same way, but counted against <paramref name="serverLimiter"/> instead of the author's bucket.
    /// </summary>
    public async Task<ChatResult<SentMessage>> SendAsAuthorAsync(long authorId, long channelId, SendRequest request, ISendRateLimiter serverLimiter, CancellationToken cancellationToken)
    {
        var author = await store.GetUserAsync(authorId, cancellationToken);
        if (author is null)
        {
            return ChatError.UserNotFound;
        }
        var channel = await store.GetChannelAsync(channelId, cancellationToken);
        if (channel is null)
        {
            return ChatError.ChannelNotFound;
        }
        return await SendAsync(author.Id, author.Username, channel, request, serverLimiter, cancellationToken);
    }

    private async Task<ChatResult<SentMessage>> SendAsync(long userId, string username, ChannelRecord channel, SendRequest request, ISendRateLimiter limiter, CancellationToken cancellationToken)
    {
        var started = await StartSendAsync(userId, username, channel, request, limiter, cancellationToken);
        return started.IsSuccess ? await started.Value!.Completion : started.Error!;
    }

    /// <summary>
    /// Checks, rate-limits and hands the message to the store, returning as soon as the store has it queued; the
    /// commit and the publication follow in <see cref="StartedSend.Completion"/>. When the store appends in call
    /// order (<see cref="IChatStore.AppendsInCallOrder"/>), a caller may start its next send before this one
    /// completes, and each still gets its <c>seq</c> in the order they were started.
    /// </summary>
    public Task<ChatResult<StartedSend>> StartSendAsync(long userId, string username, ChannelRecord channel, SendRequest request, CancellationToken cancellationToken) =>
        StartSendAsync(userId, username, channel, request, rateLimiter, cancellationToken);

    private async Task<ChatResult<StartedSend>> StartSendAsync(long userId, string username, ChannelRecord channel, SendRequest request, ISendRateLimiter limiter, CancellationToken cancellationToken)
    {
        if (Validate(request) is { } invalid)
        {
            return invalid;
        }
        if (await access.CheckWriteAsync(userId, channel, cancellationToken) is { } forbidden)
        {
            return forbidden;
        }
        var content = request.Content!.Trim();
        var clientMsgId = string.IsNullOrEmpty(request.ClientMsgId) ? null : request.ClientMsgId;

        if (await limiter.TryAcquireAsync(userId) is { } retryAfter)
        {
            // A retry of an acknowledged send must succeed even when the bucket is empty, so look for the original
            // then. Otherwise the writer's own transaction finds it: no read of ours on the way of every send.
            if (clientMsgId is not null && await store.FindMessageByClientMsgIdAsync(channel.Id, userId, clientMsgId, cancellationToken) is { } earlier)
            {
                return new StartedSend(Task.FromResult<ChatResult<SentMessage>>(await ToSentAsync(earlier, created: false, cancellationToken)));
            }
            return ChatError.RateLimited(retryAfter);
        }

        Task<AppendResult> appending;
        try
        {
            appending = store.AppendMessageAsync(new NewMessage(
                channel.Id, userId, username, content, request.MessageType ?? MessageTypes.Text,
                string.IsNullOrEmpty(request.FileUrl) ? null : request.FileUrl, clientMsgId, time.GetUtcNow().UtcDateTime), cancellationToken);
        }
        catch (Exception ex) when (!IsCancellationOf(ex, cancellationToken))
        {
            ChatLog.PersistFailed(logger, channel.Id, userId, ex);
            return ChatError.SaveFailed;
        }
        return new StartedSend(CompleteSendAsync(appending, channel, userId, request.Origin, cancellationToken));
    }

    private async Task<ChatResult<SentMessage>> CompleteSendAsync(
        Task<AppendResult> appending, ChannelRecord channel, long userId, RequestOrigin? origin, CancellationToken cancellationToken)
    {
        AppendResult appended;
        var started = time.GetTimestamp();
        try
        {
            appended = await appending;
        }
        catch (Exception ex) when (!IsCancellationOf(ex, cancellationToken))
        {
            ChatLog.PersistFailed(logger, channel.Id, userId, ex);
            return ChatError.SaveFailed;
        }
        metrics.StoreCommitted(time.GetElapsedTime(started));
        if (!appended.Created)
        {
            return await ToSentAsync(appended.Message, created: false, cancellationToken);
        }
        metrics.MessagePersisted();
        await PublishAsync(new MessageCreated(appended.Message, channel) { Origin = origin });
        return new SentMessage(new MessageWithReaders(appended.Message, []), true);
    }

    /// <summary>
    /// The caller is gone (its socket aborted, its request ended) and the store did not start the write: a cancellation,
    /// which goes back to the caller as one, not a failure to save that is answered and logged.
    /// </summary>
    internal static bool IsCancellationOf(Exception ex, CancellationToken cancellationToken) =>
        ex is OperationCanceledException && cancellationToken.IsCancellationRequested;

    private ChatError? Validate(SendRequest request)
    {
        if (ValidateContent(request.Content) is { } invalid)
        {
            return invalid;
        }
        if (request.MessageType is { } type && !MessageTypes.IsValid(type))
        {
            return ChatError.BadRequest("messageType must be text, file or image.");
        }
        if (!string.IsNullOrEmpty(request.FileUrl) &&
            !(Uri.TryCreate(request.FileUrl, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)))
        {
            return ChatError.BadRequest("fileUrl must be an http or https URL.");
        }
        if (request.ClientMsgId is { Length: > 0 } key && key.Length > _options.MaxClientMsgIdLength)
        {
            return ChatError.TooLarge($"clientMsgId must be at most {_options.MaxClientMsgIdLength} characters.");
        }
        return null;
    }

    /// <summary>A message's text, as a send and an edit take it: 1..<see cref="ChatOptions.MaxContentLength"/> characters once trimmed.</summary>
    private ChatError? ValidateContent(string? content)
    {
        var trimmed = content?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return ChatError.ContentRequired;
        }
        return trimmed.Length > _options.MaxContentLength
            ? ChatError.TooLarge($"content must be at most {_options.MaxContentLength} characters.")
            : null;
    }

    /// <summary>Deletes a message: its author, or an owner or admin of its workspace.</summary>
    public async Task<ChatResult<StoredMessage>> DeleteAsync(long userId, long messageId, CancellationToken cancellationToken)
    {
        var message = await store.GetMessageAsync(messageId, cancellationToken);
        if (message is null || message.Deleted)
        {
            return ChatError.MessageNotFound;
        }
        var channel = (await store.GetChannelAsync(message.ChannelId, cancellationToken))!;
        if (await access.CheckReadAsync(userId, channel, cancellationToken) is not null)
        {
            // Not a reader: do not reveal that the message exists.
            return ChatError.MessageNotFound;
        }
        if (message.AuthorId != userId && (channel.IsDm || !await access.CanModerateAsync(userId, channel, cancellationToken)))
        {
            return ChatError.NotAllowed;
        }
        if (await store.DeleteMessageAsync(messageId, time.GetUtcNow().UtcDateTime, cancellationToken))
        {
            await PublishAsync(new MessageDeleted(messageId, channel));
        }
        return message;
    }

    /// <summary>
    /// Marks a message read. With <paramref name="channelId"/>, the message must be in that channel. In a DM only the
    /// recipient marks (whichever door the request came through). Idempotent: a repeat stores and publishes nothing
    /// and reports <c>false</c>.
    /// </summary>
    public Task<ChatResult<(StoredMessage Message, ChannelRecord Channel, bool NewlyRead)>> MarkReadAsync(
        long userId, long messageId, long? channelId, Guid? originSocketId, CancellationToken cancellationToken) =>
        MarkReadWhereAsync(userId, messageId, channel => channelId is not { } expected || channel.Id == expected, originSocketId, cancellationToken);

    /// <summary><see cref="MarkReadAsync"/> for <c>/messagepal</c>: only a message of a DM counts as found.</summary>
    public Task<ChatResult<(StoredMessage Message, ChannelRecord Channel, bool NewlyRead)>> MarkDirectReadAsync(
        long userId, long messageId, Guid originSocketId, CancellationToken cancellationToken) =>
        MarkReadWhereAsync(userId, messageId, channel => channel.IsDm, originSocketId, cancellationToken);

    private async Task<ChatResult<(StoredMessage Message, ChannelRecord Channel, bool NewlyRead)>> MarkReadWhereAsync(
        long userId, long messageId, Func<ChannelRecord, bool> inScope, Guid? originSocketId, CancellationToken cancellationToken)
    {
        var message = await store.GetMessageAsync(messageId, cancellationToken);
        var channel = message is null || message.Deleted ? null : await store.GetChannelAsync(message.ChannelId, cancellationToken);
        // Unknown, deleted, out of scope and unreadable get one answer, so nothing is revealed.
        if (channel is null || !inScope(channel) || await access.CheckReadAsync(userId, channel, cancellationToken) is not null)
        {
            return ChatError.MessageNotFound;
        }
        if (channel.IsDm && message!.AuthorId == userId)
        {
            return ChatError.OnlyRecipientMarksRead;
        }
        var now = time.GetUtcNow().UtcDateTime;
        var newlyRead = await store.MarkReadAsync(messageId, userId, now, cancellationToken);
        if (newlyRead)
        {
            await PublishAsync(new MessageRead(messageId, userId, message!.AuthorId, channel, now, originSocketId));
        }
        return (message!, channel, newlyRead);
    }

    public Task TypingAsync(long userId, string username, ChannelRecord channel, bool started) =>
        PublishAsync(new TypingChanged(userId, username, channel, started)).AsTask();

    /// <summary>
    /// A user started typing to <paramref name="recipientId"/> in their DM, <paramref name="dm"/> when it exists. Typing
    /// creates no DM: with none yet, the recipient's sockets are told by user (<see cref="DirectTypingStarted"/>); with
    /// one, it is published on its channel, so that a <c>/ws/chat</c> subscriber of it hears it too.
    /// </summary>
    public async Task<ChatError?> DirectTypingAsync(long userId, string username, long recipientId, ChannelRecord? dm)
    {
        if (WorkspaceService.RefuseDmWithYourself(userId, recipientId) is { } refused)
        {
            return refused;
        }
        if (dm is not null && !(dm.IsDmParticipant(userId) && dm.DmPartnerOf(userId) == recipientId))
        {
            throw new ArgumentException($"Channel {dm.Id} is not the DM of users {userId} and {recipientId}.", nameof(dm));
        }
        await PublishAsync(dm is null ? new DirectTypingStarted(userId, username, recipientId) : new TypingChanged(userId, username, dm, Started: true));
        return null;
    }

    /// <summary>A socket of the user subscribed to the channel; the user's first socket there makes them online.</summary>
    public async Task SocketJoinedAsync(long userId, string username, ChannelRecord channel, Guid socketId)
    {
        if (await presence.AddAsync(new PresenceEntry(channel.Id, channel.WorkspaceId, userId, username, socketId)))
        {
            await PublishAsync(new PresenceChanged(userId, username, channel.Id, channel.WorkspaceId, Online: true));
        }
    }

    /// <summary>Who else is online in the channel now, on every node: the snapshot a joiner gets.</summary>
    public async Task<IReadOnlyList<OnlineUser>> ListOnlineAsync(long channelId, long exceptUserId) =>
        [.. (await presence.ListOnlineAsync(channelId)).Where(u => u.UserId != exceptUserId)];

    /// <summary>Who else is online in each of the channels, on every node, in one presence lookup: READY's snapshot.</summary>
    public async Task<IReadOnlyDictionary<long, IReadOnlyList<OnlineUser>>> ListOnlineAsync(IReadOnlyCollection<long> channelIds, long exceptUserId) =>
        (await presence.ListOnlineAsync(channelIds)).ToDictionary(c => c.Key, IReadOnlyList<OnlineUser> (c) => [.. c.Value.Where(u => u.UserId != exceptUserId)]);

    /// <summary>A socket of the user left the channel or closed; their last socket there makes them offline.</summary>
    public async Task SocketLeftAsync(long userId, string username, ChannelRecord channel, Guid socketId)
    {
        if (await presence.RemoveAsync(new PresenceEntry(channel.Id, channel.WorkspaceId, userId, username, socketId)))
        {
            await PublishAsync(new PresenceChanged(userId, username, channel.Id, channel.WorkspaceId, Online: false));
        }
    }

    /// <summary>History for a reader: the <paramref name="limit"/> newest messages before <paramref name="beforeId"/>, oldest first.</summary>
    public async Task<ChatResult<IReadOnlyList<MessageWithReaders>>> GetHistoryAsync(long userId, long channelId, long? beforeId, int? limit, CancellationToken cancellationToken)
    {
        var readable = await access.AuthorizeReadAsync(userId, channelId, cancellationToken);
        if (!readable.IsSuccess)
        {
            return readable.Error!;
        }
        var page = Math.Clamp(limit ?? _options.DefaultHistoryLimit, 1, _options.MaxHistoryLimit);
        var messages = await store.ListMessagesBeforeAsync(channelId, beforeId, page, cancellationToken);
        return ChatResult<IReadOnlyList<MessageWithReaders>>.Ok(await store.WithReadersAsync(messages, cancellationToken));
    }

    /// <summary>
    /// The reader's unread messages in the channel: others' messages after their read cursor, not deleted, counted up
    /// to <see cref="ChatOptions.MaxUnreadCount"/>.
    /// </summary>
    public async Task<ChatResult<int>> CountUnreadAsync(long userId, long channelId, CancellationToken cancellationToken)
    {
        var readable = await access.AuthorizeReadAsync(userId, channelId, cancellationToken);
        return readable.IsSuccess ? await store.CountUnreadAsync(channelId, userId, _options.MaxUnreadCount, cancellationToken) : readable.Error!;
    }

    /// <summary>A page of a channel's pinned messages, in pin order, for its readers.</summary>
    public async Task<ChatResult<Page<MessageWithReaders>>> ListPinnedAsync(long userId, long channelId, PageRequest page, CancellationToken cancellationToken)
    {
        var readable = await access.AuthorizeReadAsync(userId, channelId, cancellationToken);
        if (!readable.IsSuccess)
        {
            return readable.Error!;
        }
        if (!PageCursors.TryParsePin(page.Cursor, out var after))
        {
            return PageCursors.Invalid;
        }
        var pins = PageCursors.ToPage(await store.ListPinnedAsync(channelId, after, page.Limit + 1, cancellationToken), page.Limit, PageCursors.Pin, p => p.Message);
        return new Page<MessageWithReaders>(await store.WithReadersAsync(pins.Items, cancellationToken), pins.NextCursor);
    }

    /// <summary>
    /// A page of the user's DM conversations, newest activity first, each with its newest message, its readers and
    /// the user's unread count (capped at <see cref="ChatOptions.MaxUnreadCount"/>).
    /// </summary>
    public async Task<ChatResult<Page<ConversationRecord>>> ListConversationsAsync(long userId, PageRequest page, CancellationToken cancellationToken)
    {
        if (!PageCursors.TryParseActivity(page.Cursor, out var before))
        {
            return PageCursors.Invalid;
        }
        var rows = await store.ListConversationsAsync(userId, before, page.Limit + 1, _options.MaxUnreadCount, cancellationToken);
        return PageCursors.ToPage(rows, page.Limit, PageCursors.Activity, c => c);
    }

    /// <summary>
    /// Where a replay of <c>afterSeq &lt; seq ≤ upToSeq</c> starts so that it sends at most
    /// <see cref="ChatOptions.MaxReplay"/> messages: <paramref name="afterSeq"/> itself when no more are missing, else the
    /// seq just below the newest <see cref="ChatOptions.MaxReplay"/> of them (the client pages what it skips over HTTP).
    /// </summary>
    public async Task<long> BoundReplayAsync(long channelId, long afterSeq, long upToSeq, CancellationToken cancellationToken) =>
        // A range of seqs no longer than the bound cannot hold more messages: no query on the usual rejoin.
        upToSeq - afterSeq <= _options.MaxReplay
            ? afterSeq
            : await store.FindSeqBeforeNewestAsync(channelId, afterSeq, upToSeq, _options.MaxReplay, cancellationToken) ?? afterSeq;

    /// <summary>Messages of a channel with <c>afterSeq &lt; seq ≤ upToSeq</c>, in order, page by page.</summary>
    public async IAsyncEnumerable<MessageWithReaders> ReplayAsync(long channelId, long afterSeq, long upToSeq, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cursor = afterSeq;
        while (cursor < upToSeq)
        {
            var page = await store.ListMessagesAfterSeqAsync(channelId, cursor, _options.ReplayPageSize, cancellationToken);
            if (page.Count == 0)
            {
                yield break;
            }
            foreach (var message in await store.WithReadersAsync(page, cancellationToken))
            {
                if (message.Message.Seq > upToSeq)
                {
                    yield break;
                }
                yield return message;
            }
            cursor = page[^1].Seq;
        }
    }

    private async Task<SentMessage> ToSentAsync(StoredMessage message, bool created, CancellationToken cancellationToken) =>
        new((await store.WithReadersAsync([message], cancellationToken))[0], created);

    private ValueTask PublishAsync(ChatEvent chatEvent) => bus.PublishStoredAsync(chatEvent, logger);
}
