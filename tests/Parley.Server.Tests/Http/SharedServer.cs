using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Http;

/// <summary>
/// One server for all tests of a class (an xunit class fixture). Fine for tests that register their own fresh
/// users and touch only what those users own; per-user rate limits and ids then cannot collide.
/// </summary>
public class SharedServer : IAsyncLifetime
{
    public ParleyTestServer Server { get; private set; } = null!;

    protected virtual IDictionary<string, string?>? Settings => null;

    public async Task InitializeAsync() =>
        Server = await ParleyTestServer.StartAsync(Settings).WaitAsync(HttpTestBase.StartTimeout);

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
