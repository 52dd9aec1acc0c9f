using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Parley.Client.Internal;
using Parley.Protocol.Chat;

namespace Parley.Client;

public sealed partial class ParleyClient
{
    /// <summary>
    /// Logs in (<c>POST /api/auth/login</c>) and keeps the session cookie in <see cref="Cookies"/> for later
    /// requests and socket connections.
    /// </summary>
    /// <exception cref="ParleyApiException">401 for wrong credentials, 429 after too many failures.</exception>
    public async Task<ParleyUser> LoginAsync(string username, string password, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(username);
        ArgumentException.ThrowIfNullOrEmpty(password);
        var body = ClientFrames.Object(("username", username), ("password", password));
        var user = await SendHttpAsync(HttpMethod.Post, "/api/auth/login", body, ClientJsonContext.Default.ParleyUser, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _userId = user.Id;
            _username = user.Username;
        }
        return user;
    }

    /// <summary>Creates an account (<c>POST /api/auth/register</c>); it does not log in: call <see cref="LoginAsync"/> next.</summary>
    /// <param name="username">3 to 32 letters, digits, '_', '.' or '-'; unique.</param>
    /// <param name="password">At least 8 characters.</param>
    /// <param name="displayName">Name shown to others; the username when null.</param>
    /// <param name="role"><c>student</c> (default), <c>teacher</c> or <c>parent</c>: a profile label only.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="ParleyApiException">400 for invalid input, 409 when the username is taken.</exception>
    public Task<ParleyUser> RegisterAsync(string username, string password, string? displayName = null, string? role = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(username);
        ArgumentException.ThrowIfNullOrEmpty(password);
        var body = ClientFrames.Object(("username", username), ("password", password), ("displayName", displayName), ("role", role));
        return SendHttpAsync(HttpMethod.Post, "/api/auth/register", body, ClientJsonContext.Default.ParleyUser, cancellationToken);
    }

    /// <summary>The current user (<c>GET /api/auth/me</c>).</summary>
    public Task<ParleyUser> GetCurrentUserAsync(CancellationToken cancellationToken = default) =>
        SendHttpAsync(HttpMethod.Get, "/api/auth/me", null, ClientJsonContext.Default.ParleyUser, cancellationToken);

    /// <summary>
    /// Creates an API token (<c>POST /api/auth/tokens</c>, needs a login). It is not used until assigned to
    /// <see cref="ApiToken"/> (of this or another client).
    /// </summary>
    public Task<ParleyApiToken> CreateApiTokenAsync(string? name = null, CancellationToken cancellationToken = default) =>
        SendHttpAsync(HttpMethod.Post, "/api/auth/tokens", ClientFrames.Object(("name", name)), ClientJsonContext.Default.ParleyApiToken, cancellationToken);

    /// <summary>
    /// Ends the server-side session (<c>POST /api/auth/logout</c>). The server then closes this session's
    /// sockets with 4001, so a connected client goes to <see cref="ParleyConnectionState.Closed"/>.
    /// </summary>
    public async Task LogoutAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendHttpAsync(HttpMethod.Post, "/api/auth/logout", ClientFrames.Object(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One page of a channel's history (<c>GET /api/channels/:id/messages</c>): the <paramref name="limit"/>
    /// newest messages older than message <paramref name="before"/> (none: the newest), oldest first. To page
    /// back, pass the first message's id as the next <paramref name="before"/>; an empty page is the start.
    /// </summary>
    /// <param name="channelId">The channel.</param>
    /// <param name="before">A message id; only older messages are returned.</param>
    /// <param name="limit">Page size, 1 to 100 (the server clamps; default 50).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<IReadOnlyList<ChatMessage>> GetHistoryAsync(long channelId, long? before = null, int? limit = null, CancellationToken cancellationToken = default)
    {
        var query = new List<string>(2);
        if (before is { } b)
        {
            query.Add("before=" + b.ToString(CultureInfo.InvariantCulture));
        }
        if (limit is { } l)
        {
            query.Add("limit=" + l.ToString(CultureInfo.InvariantCulture));
        }
        var path = $"/api/channels/{channelId.ToString(CultureInfo.InvariantCulture)}/messages" + (query.Count == 0 ? "" : "?" + string.Join('&', query));
        return await SendHttpAsync(HttpMethod.Get, path, null, Wire.ListChatMessage, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Marks a message read (<c>POST /api/messages/:id/read</c>, the HTTP form of <c>mark_read</c>, so the
    /// call has a definite answer and works while disconnected). The channel's sockets get <c>message_read</c>.
    /// </summary>
    /// <exception cref="ParleyApiException">404 when the message does not exist, 403 when the user may not read it.</exception>
    public Task<MessageReadEvent> MarkReadAsync(long messageId, CancellationToken cancellationToken = default) =>
        SendHttpAsync(HttpMethod.Post, $"/api/messages/{messageId.ToString(CultureInfo.InvariantCulture)}/read", ClientFrames.Object(), Wire.MessageReadEvent, cancellationToken);

    /// <summary>
    /// (ext) Replaces the text of one of this user's messages (<c>PATCH /api/messages/:id</c>) and completes with the
    /// message as stored now (same id and seq, new content and <c>EditedAt</c>). Over HTTP, as <see cref="MarkReadAsync"/>,
    /// so the call has a definite answer whether or not the message's channel is joined here; the channel's sockets,
    /// this client's included, get <see cref="MessageUpdated"/>. An edit takes a token of the user's send bucket.
    /// </summary>
    /// <param name="messageId">The message, written by this user.</param>
    /// <param name="content">The new text, 1 to 4,000 characters after trimming.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="ParleyApiException">
    /// 400 invalid content; 403 not the author, or no longer allowed to post in the channel; 404 unknown or deleted
    /// message; 429 over the send rate limit (with <see cref="ParleyApiException.RetryAfter"/>).
    /// </exception>
    public Task<ChatMessage> EditMessageAsync(long messageId, string content, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(content);
        return SendHttpAsync(HttpMethod.Patch, $"/api/messages/{messageId.ToString(CultureInfo.InvariantCulture)}",
            ClientFrames.Object(("content", content)), Wire.ChatMessage, cancellationToken);
    }

    private async Task<T> SendHttpAsync<T>(HttpMethod method, string path, byte[]? body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await SendHttpAsync(method, path, body, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false)
            ?? throw new JsonException($"{method} {path} answered an empty body.");
    }

    private async Task<HttpResponseMessage> SendHttpAsync(HttpMethod method, string path, byte[]? body, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }
        if (ApiToken is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            throw new ParleyApiException(response.StatusCode, await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false), RetryAfter(response));
        }
    }

    private static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var fallback = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String
                ? message.GetString()!
                : fallback;
        }
        catch (JsonException)
        {
            return fallback;
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow,
        _ => null,
    };
}
