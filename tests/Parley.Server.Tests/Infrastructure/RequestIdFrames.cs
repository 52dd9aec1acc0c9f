using System.Text.Json;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>Reading the (ext) <c>requestId</c> of a received frame.</summary>
internal static class RequestIdFrames
{
    /// <summary>The frame's top-level <c>requestId</c>, or null when it has none.</summary>
    public static string? RequestIdOf(JsonElement frame) =>
        frame.TryGetProperty("requestId", out var id) ? id.GetString() : null;
}
