namespace Parley.Server.Chat;

/// <summary>The <c>messageType</c> values a message may have.</summary>
public static class MessageTypes
{
    public const string Text = "text";
    public const string File = "file";
    public const string Image = "image";

    public static bool IsValid(string type) => type is Text or File or Image;
}
