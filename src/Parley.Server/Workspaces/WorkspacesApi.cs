using Microsoft.Extensions.Options;
using Parley.Server.Chat;
using Parley.Server.Http;

namespace Parley.Server.Workspaces;

/// <summary>Workspaces, their members and their channels.</summary>
public static class WorkspacesApi
{
    public static IEndpointRouteBuilder MapWorkspacesApi(this IEndpointRouteBuilder routes)
    {
        var workspaces = routes.MapGroup("/api/workspaces").RequireAuthorization();
        workspaces.MapPost("/", CreateAsync).Produces<WorkspaceView>(StatusCodes.Status201Created);
        workspaces.MapGet("/", ListAsync).Produces<WorkspaceView[]>();
        workspaces.MapGet("/{id:long}", GetAsync).Produces<WorkspaceDetailView>();
        workspaces.MapGet("/{id:long}/members", ListMembersAsync).Produces<MemberView[]>();
        workspaces.MapPost("/{id:long}/members", AddMemberAsync).Produces<MemberView>(StatusCodes.Status201Created);
        workspaces.MapDelete("/{id:long}/members/{userId:long}", RemoveMemberAsync).Produces(StatusCodes.Status204NoContent);
        workspaces.MapPost("/{id:long}/channels", CreateChannelAsync).Produces<ChannelView>(StatusCodes.Status201Created);
        workspaces.MapGet("/{id:long}/channels", ListChannelsAsync).Produces<ChannelView[]>();
        return routes;
    }

    private static async Task<IResult> CreateAsync(CreateWorkspaceRequest? body, HttpContext context, WorkspaceService workspaces, CancellationToken cancellationToken)
    {
        var result = await workspaces.CreateAsync(context.CurrentUser().Id, body?.Name, body?.Description, cancellationToken);
        return result.IsSuccess
            ? Results.Json(WorkspaceView.From(result.Value!), statusCode: StatusCodes.Status201Created)
            : ApiResults.From(context, result.Error!);
    }

    private static async Task<IResult> ListAsync(HttpContext context, WorkspaceService workspaces, IOptions<ChatOptions> options, CancellationToken cancellationToken)
    {
        if (!ApiPaging.TryRead(context, options.Value, out var page, out var bad))
        {
            return bad!;
        }
        var result = await workspaces.ListWorkspacesAsync(context.CurrentUser().Id, page, cancellationToken);
        return result.IsSuccess ? ApiPaging.Ok(context, page, result.Value!, WorkspaceView.From) : ApiResults.From(context, result.Error!);
    }

    private static async Task<IResult> GetAsync(long id, HttpContext context, WorkspaceService workspaces, IOptions<ChatOptions> options, CancellationToken cancellationToken)
    {
        // The first page of each list, as large as a page may be: a small workspace comes whole, a big one stays bounded.
        var result = await workspaces.GetDetailAsync(context.CurrentUser().Id, id, options.Value.MaxListLimit, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiResults.From(context, result.Error!);
        }
        var (w, members, channels) = result.Value;
        return Results.Ok(new WorkspaceDetailView(w.Id, w.Name, w.Description, w.OwnerId, w.CreatedAt,
            [.. members.Items.Select(MemberView.From)], [.. channels.Items.Select(ChannelView.From)], members.NextCursor, channels.NextCursor));
    }

    private static async Task<IResult> ListMembersAsync(long id, HttpContext context, WorkspaceService workspaces, IOptions<ChatOptions> options, CancellationToken cancellationToken)
    {
        if (!ApiPaging.TryRead(context, options.Value, out var page, out var bad))
        {
            return bad!;
        }
        var result = await workspaces.ListMembersAsync(context.CurrentUser().Id, id, page, cancellationToken);
        return result.IsSuccess ? ApiPaging.Ok(context, page, result.Value!, MemberView.From) : ApiResults.From(context, result.Error!);
    }

    private static async Task<IResult> AddMemberAsync(long id, AddMemberRequest? body, HttpContext context, WorkspaceService workspaces, CancellationToken cancellationToken)
    {
        if (body?.UserId is not { } userId)
        {
            return ApiResults.BadRequest("userId is required.");
        }
        var result = await workspaces.AddMemberAsync(context.CurrentUser().Id, id, userId, body.Role, cancellationToken);
        return result.IsSuccess
            ? Results.Json(MemberView.From(result.Value!), statusCode: StatusCodes.Status201Created)
            : ApiResults.From(context, result.Error!);
    }

    private static async Task<IResult> RemoveMemberAsync(long id, long userId, HttpContext context, WorkspaceService workspaces, CancellationToken cancellationToken) =>
        await workspaces.RemoveMemberAsync(context.CurrentUser().Id, id, userId, cancellationToken) is { } error
            ? ApiResults.From(context, error)
            : Results.NoContent();

    private static async Task<IResult> CreateChannelAsync(long id, CreateChannelRequest? body, HttpContext context, WorkspaceService workspaces, CancellationToken cancellationToken)
    {
        var result = await workspaces.CreateChannelAsync(context.CurrentUser().Id, id, body?.Name, body?.Type, body?.Subject, cancellationToken);
        return result.IsSuccess
            ? Results.Json(ChannelView.From(result.Value!), statusCode: StatusCodes.Status201Created)
            : ApiResults.From(context, result.Error!);
    }

    private static async Task<IResult> ListChannelsAsync(long id, HttpContext context, WorkspaceService workspaces, IOptions<ChatOptions> options, CancellationToken cancellationToken)
    {
        if (!ApiPaging.TryRead(context, options.Value, out var page, out var bad))
        {
            return bad!;
        }
        var result = await workspaces.ListChannelsAsync(context.CurrentUser().Id, id, page, cancellationToken);
        return result.IsSuccess ? ApiPaging.Ok(context, page, result.Value!, ChannelView.From) : ApiResults.From(context, result.Error!);
    }
}
