using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Gateway;

/// <summary>One real server with default gateway settings, shared by a test class; tests register their own users.</summary>
public sealed class GatewayServerFixture : IAsyncLifetime
{
    public ParleyTestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ParleyTestServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
