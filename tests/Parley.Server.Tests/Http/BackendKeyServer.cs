using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Http;

/// <summary>A shared server with a server API key, for tests that change what only the host's backend can (roles).</summary>
public sealed class BackendKeyServer : SharedServer
{
    private const string Secret = "backend-secret-0123456789";

    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Server:ApiKeys:backend"] = Secret,
    };

    /// <summary>A client of <c>/api/server/*</c> with the key; dispose it after use.</summary>
    public BearerClient Backend() => new(Server, Secret);
}
