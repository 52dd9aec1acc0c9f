using Parley.Server.Wire;
using System.Security.Claims;
using Parley.Server.Chat;
using Parley.Server.Fanout;
using Parley.Server.HostIdentity;
using Parley.Server.Http;
using Parley.Server.Sessions;
using Parley.Server.Workspaces;

namespace Parley.Server.ServerApi;

/// <summary>
/// The host backend's API: users by external id, workspaces, members, channels, publishing as an author, presence,
/// disconnect and logout. Thin, like every HTTP area: the rules are the core's (<see cref="HostUsers"/>,
/// <see cref="WorkspaceService"/>, <see cref="ChatService"/>), so the live effects are those of the user API.
/// </summary>
public static class ServerApi
{
    public static IEndpointRouteBuilder MapServerApi(this IEndpointRouteBuilder routes)
    {
        var server = routes.MapGroup(ServerKeyAuthenticationHandler.PathPrefix).RequireAuthorization(ServerKeyAuthenticationHandler.PolicyName);
        server.MapPost("/users", UpsertUserAsync);
        server.MapPost("/users/{id:long}/disconnect", DisconnectAsync);
        server.MapPost("/users/{id:long}/logout", LogoutAsync);
        server.MapPost("/workspaces", CreateWorkspaceAsync);
        server.MapPut("/workspaces/{id:long}/members/{userId:long}", SetMemberAsync);
        server.MapDelete("/workspaces/{id:long}/members/{userId:long}", RemoveMemberAsync);
        server.MapPost("/workspaces/{id:long}/channels", CreateChannelAsync);
        server.MapPost("/messages", PublishAsync);
        server.MapGet("/channels/{id:long}/presence", PresenceAsync);
        return routes;
    }

    private static async Task<IResult> UpsertUserAsync(ServerUserRequest? body, HttpContext context, HostUsers users, ILogger<ServerKeys> logger, CancellationToken cancellationToken)
    {
        var result = await users.UpsertAsync(body?.ExternalId, body?.Username, body?.DisplayName, body?.Role, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiResults.From(context, result.Error!);
        }
        var (user, created) = result.Value;
        ServerApiLog.UserUpserted(logger, KeyName(context), created ? "created" : "updated", user.Id, user.ExternalId!);
        return Results.Json(ServerUserView.From(user), statusCode: created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task<IResult> CreateWorkspaceAsync(ServerWorkspaceRequest? body, HttpContext context, WorkspaceService workspaces, CancellationToken cancellationToken)
    {
        if (body?.OwnerId is not { } ownerId)
        {
            return ApiResults.BadRequest("name and ownerId are required.");
        }
        var result = await workspaces.CreateForServerAsync(ownerId, body.Name, body.Description, cancellationToken);
        return result.IsSuccess
            ? Results.Json(WorkspaceView.From(result.Value!), statusCode: StatusCodes.Status201Created)
            : ApiResults.From(context, result.Error!);
    }

    private static async Task<IResult> SetMemberAsync(long id, long userId, ServerMemberRequest? body, HttpContext context, WorkspaceService workspaces, CancellationToken cancellationToken)
    {
        var result = await workspaces.SetMemberForServerAsync(id, userId, body?.Role, cancellationToken);
        return result.IsSuccess ? Results.Ok(MemberView.From(result.Value!)) : ApiResults.From(context, result.Error!);
    }

    private static async Task<IResult> RemoveMemberAsync(long id, long userId, HttpContext context, WorkspaceService workspaces, CancellationToken cancellationToken) =>
        await workspaces.RemoveMemberForServerAsync(id, userId, cancellationToken) is { } error ? ApiResults.From(context, error) : Results.NoContent();

    private static async Task<IResult> CreateChannelAsync(long id, CreateChannelRequest? body, HttpContext context, WorkspaceService workspaces, CancellationToken cancellationToken)
    {
        var result = await workspaces.CreateChannelForServerAsync(id, body?.Name, body?.Type, body?.Subject, cancellationToken);
        return result.IsSuccess
            ? Results.Json(ChannelView.From(result.Value!), statusCode: StatusCodes.Status201Created)
            : ApiResults.From(context, result.Error!);
    }

    private static async Task<IResult> PublishAsync(ServerMessageRequest? body, HttpContext context, ChatService chat, ServerSendRateLimiter limiter, CancellationToken cancellationToken)
    {
        if (body?.ChannelId is not { } channelId || body.AuthorId is not { } authorId)
        {
            return ApiResults.BadRequest("channelId, authorId and content are required.");
        }
        var sent = await chat.SendAsAuthorAsync(authorId, channelId, new SendRequest(body.Content, body.MessageType, body.FileUrl, body.ClientMsgId), limiter, cancellationToken);
        if (!sent.IsSuccess)
        {
            return ApiResults.From(context, sent.Error!);
        }
        return Results.Json(sent.Value!.Message.ToChatMessage(), statusCode: sent.Value.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task<IResult> PresenceAsync(long id, ChatQueries queries, IPresenceTracker presence, CancellationToken cancellationToken)
    {
        if (await queries.GetChannelAsync(id, cancellationToken) is null)
        {
            return ApiResults.NotFound(ChatError.ChannelNotFound.Message);
        }
        var online = await presence.ListOnlineAsync(id);
        return Results.Ok(new ChannelPresenceView([.. online.OrderBy(u => u.UserId).Select(OnlineUserView.From)]));
    }

    private static async Task<IResult> DisconnectAsync(long id, HttpContext context, ChatQueries queries, IMessageBus bus, ILogger<ServerKeys> logger, CancellationToken cancellationToken)
    {
        if (await queries.GetUserAsync(id, cancellationToken) is null)
        {
            return ApiResults.NotFound(ChatError.UserNotFound.Message);
        }
        await bus.PublishAsync(new UserDisconnected(id));
        ServerApiLog.Disconnected(logger, KeyName(context), id);
        return Results.NoContent();
    }

    private static async Task<IResult> LogoutAsync(long id, HttpContext context, ChatQueries queries, SessionService sessions, ILogger<ServerKeys> logger, CancellationToken cancellationToken)
    {
        if (await queries.GetUserAsync(id, cancellationToken) is null)
        {
            return ApiResults.NotFound(ChatError.UserNotFound.Message);
        }
        await sessions.EndAllOfUserAsync(id, cancellationToken);
        ServerApiLog.LoggedOut(logger, KeyName(context), id);
        return Results.NoContent();
    }

    private static string KeyName(HttpContext context) => context.User.FindFirstValue(ServerKeyAuthenticationHandler.KeyNameClaim) ?? "?";
}
