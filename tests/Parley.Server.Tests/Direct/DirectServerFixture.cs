using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Direct;

/// <summary>One real server shared by a test class; every test registers its own users, so tests do not interfere.</summary>
public sealed class DirectServerFixture : IAsyncLifetime
{
    public ParleyTestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ParleyTestServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
