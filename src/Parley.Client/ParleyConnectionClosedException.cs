namespace Parley.Client;

/// <summary>
/// The connection closed for good, so pending requests cannot complete: on <see cref="ParleyClient"/>, the
/// server sent a close code after which the client does not reconnect (4001); on the thin
/// <see cref="ParleyDirectConnection"/> and <see cref="ParleyGatewayConnection"/>, which never reconnect, any close.
/// </summary>
public sealed class ParleyConnectionClosedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ParleyConnectionClosedException(int? closeStatus, string? closeDescription)
        : base($"The server closed the connection ({closeStatus?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no code"}{(string.IsNullOrEmpty(closeDescription) ? "" : ": " + closeDescription)}).")
    {
        CloseStatus = closeStatus;
        CloseDescription = closeDescription;
    }

    /// <summary>The close code (see <see cref="Protocol.CloseCodes"/>).</summary>
    public int? CloseStatus { get; }

    /// <summary>The server's close reason.</summary>
    public string? CloseDescription { get; }
}
