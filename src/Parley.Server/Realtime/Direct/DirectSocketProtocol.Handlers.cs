using System.Text.Json;
using Parley.Protocol.Direct;
using Parley.Server.Chat;
using Parley.Server.Fanout;
using Parley.Server.Wire;

namespace Parley.Server.Realtime.Direct;

internal sealed partial class DirectSocketProtocol
{
    private async Task<ChatError?> SendAsync(DirectSession session, JsonElement frame, string? requestId, CancellationToken cancellationToken)
    {
        var recipientId = DirectFields.Id(frame, "recipientId", out var hasRecipient);
        if (!hasRecipient ||
            !FrameFields.TryGetOptionalString(frame, "content", out var content, out _) ||
            string.IsNullOrWhiteSpace(content))
        {
            return DirectErrors.SendFieldsRequired;
        }
        if (!FrameFields.TryGetOptionalString(frame, "clientMsgId", out var clientMsgId, out var problem))
        {
            return ChatError.BadRequest(problem!);
        }
        if (recipientId is not { } recipient || await profiles.GetAsync(recipient, cancellationToken) is null)
        {
            return DirectErrors.RecipientNotFound;
        }
        var opened = await session.OpenConversationAsync(recipient, cancellationToken);
        if (!opened.IsSuccess)
        {
            // The core's rule, in the seed's words on this socket.
            return opened.Error == ChatError.DmWithYourself ? DirectErrors.NotToYourself : opened.Error;
        }
        var channel = opened.Value!;
        var sent = await chat.SendAsync(session.User.Id, session.User.Username, channel, new SendRequest(content, null, null, clientMsgId,
            requestId is null ? null : new RequestOrigin(session.Connection.Id, requestId)), cancellationToken);
        if (!sent.IsSuccess)
        {
            return sent.Error == ChatError.ContentRequired ? DirectErrors.SendFieldsRequired : sent.Error;
        }
        if (sent.Value!.Created)
        {
            // Everyone (this socket included, with its requestId) gets message_received from the DirectHub, like any other DM.
            DirectLog.Sent(logger, session.User.Id, sent.Value.Message.Message.Id, recipient);
        }
        else
        {
            // A retry with the same clientMsgId: the sender gets the original again; nobody else hears of it.
            session.Connection.Send(RequestIds.Stamp(
                DirectFrames.MessageReceived(sent.Value.Message.ToDirectMessage(channel, session.User.Role), Now), requestId));
        }
        return null;
    }

    private async Task<ChatError?> TypingAsync(DirectSession session, JsonElement frame, CancellationToken cancellationToken)
    {
        var recipientId = DirectFields.Id(frame, "recipientId", out var hasRecipient);
        if (!hasRecipient)
        {
            return DirectErrors.RecipientRequired;
        }
        if (recipientId is not { } recipient || await profiles.GetAsync(recipient, cancellationToken) is null)
        {
            return DirectErrors.RecipientNotFound;
        }
        // Typing opens no DM: the core publishes on the DM channel when there is one, else to the recipient by user.
        var refused = await chat.DirectTypingAsync(session.User.Id, session.User.Username, recipient, await session.FindConversationAsync(recipient, cancellationToken));
        // Typing to oneself has always been answered as an unknown recipient on this socket.
        return refused == ChatError.DmWithYourself ? DirectErrors.RecipientNotFound : refused;
    }

    private async Task<ChatError?> MarkReadAsync(DirectSession session, JsonElement frame, CancellationToken cancellationToken)
    {
        if (DirectFields.Id(frame, "messageId", out var hasMessageId) is not { } messageId)
        {
            return hasMessageId ? DirectErrors.MessageNotFound : DirectErrors.MessageIdRequired;
        }
        // The DirectHub sends message_read to the reader's and the sender's sockets; a repeat changes and sends nothing.
        var result = await chat.MarkDirectReadAsync(session.User.Id, messageId, session.Connection.Id, cancellationToken);
        return result.Error is null || result.Error == ChatError.OnlyRecipientMarksRead ? result.Error : DirectErrors.MessageNotFound;
    }

    private async Task<ChatError?> FetchHistoryAsync(DirectSession session, JsonElement frame, string? requestId, CancellationToken cancellationToken)
    {
        if (!FrameFields.TryGetOptionalString(frame, "conversationId", out var conversationId, out _) || conversationId is null)
        {
            return DirectErrors.ConversationIdRequired;
        }
        var before = DirectFields.Id(frame, "before", out var hasBefore);
        if (hasBefore && before is null)
        {
            return DirectErrors.InvalidBefore;
        }
        if (!DirectFields.TryGetOptionalInt(frame, "limit", out var limit))
        {
            return DirectErrors.InvalidLimit;
        }
        if (await ResolveConversationAsync(session, conversationId, cancellationToken) is not { } conversation)
        {
            return DirectErrors.ConversationNotFound;
        }
        var channel = await session.FindConversationAsync(conversation.PartnerId, cancellationToken);
        IReadOnlyList<DirectMessage> messages = [];
        if (channel is not null)
        {
            var history = await chat.GetHistoryAsync(session.User.Id, channel.Id, before, limit, cancellationToken);
            if (!history.IsSuccess)
            {
                return DirectErrors.ConversationNotFound;
            }
            var partnerRole = (await profiles.GetAsync(conversation.PartnerId, cancellationToken))?.Role ?? "student";
            messages = [.. history.Value!.Select(m => m.ToDirectMessage(channel, m.Message.AuthorId == session.User.Id ? session.User.Role : partnerRole))];
        }
        session.Connection.Send(RequestIds.Stamp(DirectFrames.History(conversation.Id, messages, Now), requestId));
        return null;
    }

    /// <summary>
    /// Every socket of a participant receives the conversation's events whether or not it subscribed (the seed
    /// system routed by user too), so subscribing only checks access and acknowledges.
    /// </summary>
    private async Task<ChatError?> SubscriptionAsync(DirectSession session, JsonElement frame, string answer, string? requestId, CancellationToken cancellationToken)
    {
        if (!FrameFields.TryGetOptionalString(frame, "conversationId", out var conversationId, out _) || conversationId is null)
        {
            return DirectErrors.ConversationIdRequired;
        }
        if (await ResolveConversationAsync(session, conversationId, cancellationToken) is not { } conversation)
        {
            return DirectErrors.ConversationNotFound;
        }
        session.Connection.Send(RequestIds.Stamp(DirectFrames.Subscription(answer, conversation.Id, Now), requestId));
        return null;
    }
}
