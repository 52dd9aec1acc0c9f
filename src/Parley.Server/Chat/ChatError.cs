using Parley.Protocol;

namespace Parley.Server.Chat;

/// <summary>A refusal from the chat core: an <see cref="ErrorCodes"/> code and the human (seed-compatible) text.</summary>
public sealed record ChatError(string Code, string Message)
{
    public const string ConflictCode = "conflict";

    public TimeSpan? RetryAfter { get; init; }

    public static readonly ChatError ChannelNotFound = new(ErrorCodes.NotFound, "Channel not found.");
    public static readonly ChatError MessageNotFound = new(ErrorCodes.NotFound, "Message not found.");
    public static readonly ChatError WorkspaceNotFound = new(ErrorCodes.NotFound, "Workspace not found.");
    public static readonly ChatError UserNotFound = new(ErrorCodes.NotFound, "User not found.");
    public static readonly ChatError DmAccessDenied = new(ErrorCodes.Forbidden, "Access denied to this DM.");
    public static readonly ChatError NotWorkspaceMember = new(ErrorCodes.Forbidden, "You are not a member of this workspace.");
    public static readonly ChatError AnnouncementOnly = new(ErrorCodes.Forbidden, "Only workspace owners and admins can post in announcement channels.");
    public static readonly ChatError NotJoined = new(ErrorCodes.NotJoined, "Join the channel before sending messages.");
    public static readonly ChatError ContentRequired = new(ErrorCodes.BadRequest, "channelId and content are required.");
    /// <summary>A DM is between two users: one cannot open one with, write to or type to themself.</summary>
    public static readonly ChatError DmWithYourself = new(ErrorCodes.BadRequest, "You cannot open a DM with yourself.");
    public static readonly ChatError OnlyRecipientMarksRead = new(ErrorCodes.Forbidden, "Only the recipient can mark a message as read");
    public static readonly ChatError SaveFailed = new(ErrorCodes.Internal, "Failed to save message.");
    /// <summary>HTTP only (409): not part of the socket error-code set, since no socket event can conflict.</summary>
    public static readonly ChatError AlreadyMember = new(ConflictCode, "The user is already a member of this workspace.");
    public static readonly ChatError NotAuthor = new(ErrorCodes.Forbidden, "You can only edit your own messages.");
    public static readonly ChatError NotAllowed = new(ErrorCodes.Forbidden, "You are not allowed to do that.");
    public static readonly ChatError OwnerCannotBeRemoved = new(ErrorCodes.Forbidden, "The workspace owner cannot be removed.");
    public static readonly ChatError OwnerRoleFixed = new(ErrorCodes.Forbidden, "The workspace owner's role cannot be changed.");

    public static ChatError RateLimited(TimeSpan retryAfter) =>
        new(ErrorCodes.RateLimited, "You are sending messages too fast. Please wait.") { RetryAfter = retryAfter };

    public static ChatError BadRequest(string message) => new(ErrorCodes.BadRequest, message);

    public static ChatError TooLarge(string message) => new(ErrorCodes.TooLarge, message);
}
