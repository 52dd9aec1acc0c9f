using Parley.Protocol.Direct;
using Parley.Protocol.Json;
using Parley.Server.Chat;
using Parley.Server.Http;
using Parley.Server.Storage;

namespace Parley.Server.Realtime.Direct;

/// <summary><c>GET /api/messagepal/conversations</c>: the caller's conversations (their DM channels), newest activity first.</summary>
public static class ConversationsApi
{
    public static IEndpointRouteBuilder MapConversationsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/messagepal/conversations", ListAsync).RequireAuthorization().Produces<ConversationSummary[]>();
        return routes;
    }

    private static async Task<IResult> ListAsync(HttpContext context, IChatStore store, ChatService chat, UserProfileCache profiles)
    {
        var userId = context.CurrentUser().Id;
        var summaries = new List<(ConversationSummary Summary, DateTime Activity, long LastMessageId, long ChannelId)>();
        foreach (var channel in await store.ListDmChannelsAsync(userId))
        {
            var partnerId = channel.DmPartnerOf(userId);
            if (await profiles.GetAsync(userId) is not { } me || await profiles.GetAsync(partnerId) is not { } partner)
            {
                continue;
            }
            var newest = await store.ListMessagesBeforeAsync(channel.Id, null, 1);
            DirectMessage? last = null;
            if (newest.Count > 0)
            {
                var wire = (await chat.ToWireAsync(newest))[0];
                last = DirectFrames.ToDirect(wire, channel, wire.AuthorId == userId ? me.Role : partner.Role);
            }
            var participants = me.Id < partner.Id ? new[] { me, partner } : [partner, me];
            summaries.Add((
                new ConversationSummary(DirectFrames.ConversationOf(channel), participants, last, await store.CountUnreadAsync(channel.Id, userId)),
                newest.Count > 0 ? newest[0].CreatedAt : channel.CreatedAt,
                newest.Count > 0 ? newest[0].Id : 0,
                channel.Id));
        }
        var ordered = summaries
            .OrderByDescending(s => s.Activity)
            // Timestamps have millisecond precision: between two messages of the same millisecond, the one
            // stored later (higher id) is the newer activity.
            .ThenByDescending(s => s.LastMessageId)
            .ThenByDescending(s => s.ChannelId)
            .Select(s => s.Summary)
            .ToList();
        return Results.Json(ordered, ProtocolJsonContext.Default.ListConversationSummary);
    }
}
