namespace Parley.Server.Chat;

/// <summary>Message rules, bound from the <c>Chat</c> section.</summary>
public sealed class ChatOptions
{
    public const string SectionName = "Chat";

    /// <summary>Longest message content after trimming, in characters. Default 4000.</summary>
    public int MaxContentLength { get; set; } = 4000;

    /// <summary>Longest <c>clientMsgId</c>. Default 64.</summary>
    public int MaxClientMsgIdLength { get; set; } = 64;

    /// <summary>History page size when the request names none. Default 50.</summary>
    public int DefaultHistoryLimit { get; set; } = 50;

    /// <summary>Largest history page; larger requests are clamped. Default 100.</summary>
    public int MaxHistoryLimit { get; set; } = 100;

    /// <summary>Messages read from the store per page while replaying <c>since</c>. Default 500.</summary>
    public int ReplayPageSize { get; set; } = 500;

    /// <summary>
    /// Most messages a <c>join_channel</c> with <c>since</c> replays: further behind, the socket gets the newest this
    /// many after a <c>replay_truncated</c> marker and pages older history over HTTP. Default 1000.
    /// </summary>
    public int MaxReplay { get; set; } = 1000;

    /// <summary>
    /// Unread counts stop at this number (it then means "this many or more"), so that counting walks at most this
    /// many messages after the read cursor. Default 1000.
    /// </summary>
    public int MaxUnreadCount { get; set; } = 1000;

    /// <summary>Page size of the HTTP lists (workspaces, channels, members, DMs, conversations, pins) when the request names none. Default 50.</summary>
    public int DefaultListLimit { get; set; } = 50;

    /// <summary>Largest page of the HTTP lists; larger <c>limit</c>s are clamped. Default 200.</summary>
    public int MaxListLimit { get; set; } = 200;
}
