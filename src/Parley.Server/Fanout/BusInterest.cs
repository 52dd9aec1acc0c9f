namespace Parley.Server.Fanout;

/// <summary>
/// Something a node wants the bus events of because it serves sockets for it: a workspace (its channels' messages,
/// presence, typing and membership) or a user (that user's membership changes, so that a node hears of a workspace
/// its user was just added to).
/// </summary>
public readonly record struct BusInterest(BusInterestKind Kind, long Id)
{
    public static BusInterest Workspace(long workspaceId) => new(BusInterestKind.Workspace, workspaceId);

    public static BusInterest User(long userId) => new(BusInterestKind.User, userId);
}

public enum BusInterestKind
{
    Workspace,
    User,
}
