namespace Parley.Server.Storage;

/// <summary>Roles inside a workspace. Owners and admins manage members and channels.</summary>
public static class WorkspaceRoles
{
    public const string Owner = "owner";
    public const string Admin = "admin";
    public const string Member = "member";

    public static bool IsValid(string role) => role is Owner or Admin or Member;

    public static bool CanManage(string? role) => role is Owner or Admin;
}
