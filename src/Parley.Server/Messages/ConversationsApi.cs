using Microsoft.Extensions.Options;
using Parley.Protocol.Direct;
using Parley.Protocol.Json;
using Parley.Server.Chat;
using Parley.Server.Http;
using Parley.Server.Realtime.Direct;
using Parley.Server.Wire;

namespace Parley.Server.Messages;

/// <summary>
/// <c>GET /api/messagepal/conversations</c>: the caller's conversations (their DM channels), newest activity first. It
/// answers in MessagePal's wire shape, so the last message is mapped as <c>/messagepal</c> maps it (<see cref="DirectMessageWire"/>).
/// </summary>
public static class ConversationsApi
{
    public static IEndpointRouteBuilder MapConversationsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/messagepal/conversations", ListAsync).RequireAuthorization().Produces<ConversationSummary[]>();
        return routes;
    }

    private static async Task<IResult> ListAsync(HttpContext context, ChatService chat, UserProfileCache profiles, IOptions<ChatOptions> options, CancellationToken cancellationToken)
    {
        if (!ApiPaging.TryRead(context, options.Value, out var page, out var bad))
        {
            return bad!;
        }
        var userId = context.CurrentUser().Id;
        var result = await chat.ListConversationsAsync(userId, page, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiResults.From(context, result.Error!);
        }
        if (await profiles.GetAsync(userId, cancellationToken) is not { } me)
        {
            return ApiResults.Unauthorized();
        }
        var summaries = new List<ConversationSummary>();
        foreach (var row in result.Value!.Items)
        {
            var partner = new ConversationParticipant(row.Partner.Id, row.Partner.Username, row.Partner.DisplayName, row.Partner.Role);
            DirectMessage? last = null;
            if (row.LastMessage is { } newest)
            {
                last = newest.ToDirectMessage(row.LastMessageReaders, row.Channel, newest.AuthorId == userId ? me.Role : partner.Role);
            }
            var participants = me.Id < partner.Id ? new[] { me, partner } : [partner, me];
            summaries.Add(new ConversationSummary(DirectMessageWire.ConversationOf(row.Channel), participants, last, row.UnreadCount));
        }
        ApiPaging.AddNextPage(context, page, result.Value.NextCursor);
        return Results.Json(summaries, ProtocolJsonContext.Default.ListConversationSummary);
    }
}
