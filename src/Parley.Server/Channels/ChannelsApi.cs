using Microsoft.Extensions.Options;
using Parley.Protocol.Chat;
using Parley.Server.Chat;
using Parley.Server.Http;
using Parley.Server.Storage;
using Parley.Server.Wire;
using Parley.Server.Workspaces;

namespace Parley.Server.Channels;

/// <summary>DM channels, channel history, unread counts and pins.</summary>
public static class ChannelsApi
{
    public static IEndpointRouteBuilder MapChannelsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/channels/dm", OpenDmAsync).RequireAuthorization().Produces<DmChannelView>().Produces<DmChannelView>(StatusCodes.Status201Created);
        routes.MapGet("/api/users/me/dms", ListDmsAsync).RequireAuthorization().Produces<DmChannelView[]>();
        var channels = routes.MapGroup("/api/channels/{id:long}").RequireAuthorization();
        channels.MapGet("/messages", HistoryAsync).Produces<ChatMessage[]>();
        channels.MapGet("/unread", UnreadAsync).Produces<UnreadCountView>();
        channels.MapGet("/pinned", PinnedAsync).Produces<ChatMessage[]>();
        channels.MapPost("/pin/{messageId:long}", PinAsync).Produces<PinView>().Produces<PinView>(StatusCodes.Status201Created);
        channels.MapDelete("/pin/{messageId:long}", UnpinAsync).Produces(StatusCodes.Status204NoContent);
        return routes;
    }

    private static async Task<IResult> OpenDmAsync(OpenDmRequest? body, HttpContext context, WorkspaceService workspaces, CancellationToken cancellationToken)
    {
        if (body?.UserId is not { } partnerId)
        {
            return ApiResults.BadRequest("userId is required.");
        }
        var result = await workspaces.OpenDmAsync(context.CurrentUser().Id, partnerId, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiResults.From(context, result.Error!);
        }
        var (channel, partner, created) = result.Value;
        return Results.Json(ToDmView(channel, partner), statusCode: created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task<IResult> ListDmsAsync(HttpContext context, WorkspaceService workspaces, IOptions<ChatOptions> options, CancellationToken cancellationToken)
    {
        if (!ApiPaging.TryRead(context, options.Value, out var page, out var bad))
        {
            return bad!;
        }
        var result = await workspaces.ListDmsAsync(context.CurrentUser().Id, page, cancellationToken);
        return result.IsSuccess ? ApiPaging.Ok(context, page, result.Value!, dm => ToDmView(dm.Channel, dm.Partner)) : ApiResults.From(context, result.Error!);
    }

    private static DmChannelView ToDmView(ChannelRecord channel, UserRecord partner) =>
        new(channel.Id, channel.Name, channel.Type, channel.LastSeq, channel.CreatedAt, PartnerView.From(partner));

    private static async Task<IResult> HistoryAsync(long id, HttpContext context, ChatService chat, string? limit, string? before, CancellationToken cancellationToken)
    {
        if (!TryParseOptional(limit, out var limitValue) || !TryParseOptional(before, out var beforeValue))
        {
            return ApiResults.BadRequest("limit and before must be integers.");
        }
        var result = await chat.GetHistoryAsync(context.CurrentUser().Id, id, beforeValue, limitValue is null ? null : (int)Math.Clamp(limitValue.Value, 1, int.MaxValue), cancellationToken);
        return result.IsSuccess ? Results.Ok(result.Value!.Select(m => m.ToChatMessage()).ToList()) : ApiResults.From(context, result.Error!);
    }

    private static bool TryParseOptional(string? text, out long? value)
    {
        value = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        if (long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
            return true;
        }
        return false;
    }

    private static async Task<IResult> UnreadAsync(long id, HttpContext context, ChatService chat, CancellationToken cancellationToken)
    {
        var unread = await chat.CountUnreadAsync(context.CurrentUser().Id, id, cancellationToken);
        return unread.IsSuccess ? Results.Ok(new UnreadCountView(unread.Value)) : ApiResults.From(context, unread.Error!);
    }

    private static async Task<IResult> PinnedAsync(long id, HttpContext context, ChatService chat, IOptions<ChatOptions> options, CancellationToken cancellationToken)
    {
        if (!ApiPaging.TryRead(context, options.Value, out var page, out var bad))
        {
            return bad!;
        }
        var result = await chat.ListPinnedAsync(context.CurrentUser().Id, id, page, cancellationToken);
        return result.IsSuccess ? ApiPaging.Ok(context, page, result.Value!, m => m.ToChatMessage()) : ApiResults.From(context, result.Error!);
    }

    private static async Task<IResult> PinAsync(long id, long messageId, HttpContext context, PinService pins, CancellationToken cancellationToken)
    {
        var pinned = await pins.PinAsync(context.CurrentUser().Id, id, messageId, cancellationToken);
        if (!pinned.IsSuccess)
        {
            return ApiResults.From(context, pinned.Error!);
        }
        return pinned.Value
            ? Results.Json(new PinView(id, messageId, true), statusCode: StatusCodes.Status201Created)
            : Results.Ok(new PinView(id, messageId, true));
    }

    private static async Task<IResult> UnpinAsync(long id, long messageId, HttpContext context, PinService pins, CancellationToken cancellationToken)
    {
        var unpinned = await pins.UnpinAsync(context.CurrentUser().Id, id, messageId, cancellationToken);
        if (!unpinned.IsSuccess)
        {
            return ApiResults.From(context, unpinned.Error!);
        }
        return unpinned.Value ? Results.NoContent() : ApiResults.NotFound("Message is not pinned.");
    }
}
