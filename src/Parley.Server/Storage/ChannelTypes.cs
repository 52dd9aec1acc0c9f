namespace Parley.Server.Storage;

/// <summary>Kinds of channel. Only owners and admins post in announcement channels; a DM has exactly two users.</summary>
public static class ChannelTypes
{
    public const string Text = "text";
    public const string Announcement = "announcement";
    public const string Dm = "dm";
}
