using Parley.Protocol.Chat;
using Parley.Server.Chat;
using Parley.Server.Http;
using Parley.Server.Wire;

namespace Parley.Server.Messages;

/// <summary>Sending, editing, deleting and marking messages over HTTP: the same core calls as the sockets, so live delivery is identical.</summary>
public static class MessagesApi
{
    public static IEndpointRouteBuilder MapMessagesApi(this IEndpointRouteBuilder routes)
    {
        var messages = routes.MapGroup("/api/messages").RequireAuthorization();
        messages.MapPost("/", SendAsync).Produces<ChatMessage>().Produces<ChatMessage>(StatusCodes.Status201Created);
        messages.MapPatch("/{id:long}", EditAsync).Produces<ChatMessage>();
        messages.MapDelete("/{id:long}", DeleteAsync).Produces(StatusCodes.Status204NoContent);
        messages.MapPost("/{id:long}/read", MarkReadAsync).Produces<ReadReceiptView>();
        return routes;
    }

    private static async Task<IResult> SendAsync(SendMessageBody? body, HttpContext context, ChatAccess access, ChatService chat, CancellationToken cancellationToken)
    {
        if (body?.ChannelId is not { } channelId)
        {
            return ApiResults.From(context, ChatError.ContentRequired);
        }
        var user = context.CurrentUser();
        var readable = await access.AuthorizeReadAsync(user.Id, channelId, cancellationToken);
        if (!readable.IsSuccess)
        {
            return ApiResults.From(context, readable.Error!);
        }
        var sent = await chat.SendAsync(user.Id, user.Username, readable.Value!.Channel,
            new SendRequest(body.Content, body.MessageType, body.FileUrl, body.ClientMsgId), cancellationToken);
        if (!sent.IsSuccess)
        {
            return ApiResults.From(context, sent.Error!);
        }
        return Results.Json(sent.Value!.Message.ToChatMessage(), statusCode: sent.Value.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task<IResult> EditAsync(long id, EditMessageBody? body, HttpContext context, ChatService chat, CancellationToken cancellationToken)
    {
        var result = await chat.EditAsync(context.CurrentUser().Id, id, body?.Content, cancellationToken);
        return result.IsSuccess ? Results.Ok(result.Value!.ToChatMessage()) : ApiResults.From(context, result.Error!);
    }

    private static async Task<IResult> DeleteAsync(long id, HttpContext context, ChatService chat, CancellationToken cancellationToken)
    {
        var result = await chat.DeleteAsync(context.CurrentUser().Id, id, cancellationToken);
        return result.IsSuccess ? Results.NoContent() : ApiResults.From(context, result.Error!);
    }

    private static async Task<IResult> MarkReadAsync(long id, HttpContext context, ChatService chat, CancellationToken cancellationToken)
    {
        var result = await chat.MarkReadAsync(context.CurrentUser().Id, id, null, null, cancellationToken);
        return result.IsSuccess
            ? Results.Ok(new ReadReceiptView(id, context.CurrentUser().Id, result.Value.Channel.Id))
            : ApiResults.From(context, result.Error!);
    }
}
