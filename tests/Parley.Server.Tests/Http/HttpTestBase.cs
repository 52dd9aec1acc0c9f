using Microsoft.Extensions.DependencyInjection;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Http;

/// <summary>
/// A server for each test: a fresh one (own port, own SQLite file) by default, so that login throttles, fixed
/// usernames and fake clocks of one test never reach another, and subclasses may adjust its configuration or
/// services; or the class's <see cref="SharedServer"/> when the tests only use fresh users of their own.
/// </summary>
public abstract class HttpTestBase(SharedServer? shared = null) : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly List<ApiClient> _clients = [];

    protected ParleyTestServer Server { get; private set; } = null!;

    protected virtual IDictionary<string, string?>? Settings => null;

    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public async Task InitializeAsync() =>
        Server = shared?.Server ?? await ParleyTestServer.StartAsync(Settings, ConfigureServices).WaitAsync(StartTimeout);

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
        if (shared is null)
        {
            await Server.DisposeAsync();
        }
    }

    /// <summary>A fresh registered and logged-in user, disposed with the test.</summary>
    protected async Task<ApiClient> UserAsync(string prefix = "user")
    {
        var client = await ApiClient.UserAsync(Server, prefix);
        _clients.Add(client);
        return client;
    }

    /// <summary>A fresh workspace with a channel of <paramref name="type"/>, its owner and one member.</summary>
    protected async Task<(ApiClient Owner, ApiClient Member, long Workspace, long Channel)> OwnerMemberChannelAsync(string type = "text")
    {
        var owner = await UserAsync("owner");
        var member = await UserAsync("member");
        var workspace = await owner.CreateWorkspaceAsync();
        await owner.AddMemberAsync(workspace, member.UserId);
        return (owner, member, workspace, await owner.CreateChannelAsync(workspace, type: type));
    }
}
