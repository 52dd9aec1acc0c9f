using System.Diagnostics;
using Parley.Client.Tests.Infrastructure;
using Parley.Protocol;
using Parley.Server.Tests.Infrastructure;
using static Parley.Client.Tests.Infrastructure.ClientFixtures;

namespace Parley.Client.Tests;

/// <summary>The heartbeats of <see cref="ParleyGatewayConnection"/> against the real server's deadline.</summary>
public sealed class GatewayHeartbeatTests : IAsyncLifetime
{
    /// <summary>
    /// Short enough for several heartbeats within a test. The server closes a socket after 1.5 × this without one,
    /// so a heartbeat may be late by half an interval (750 ms) before the server is right to close it: wide enough
    /// for a test machine whose two cores are shared with builds, not so wide that the tests take long.
    /// </summary>
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(1500);

    private ParleyTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ParleyTestServer.StartAsync(new Dictionary<string, string?>
    {
        ["Gateway:HeartbeatInterval"] = Heartbeat.ToString(),
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ANeverIdentifiedConnectionSendsNoHeartbeatAndTheServersDeadlineClosesIt()
    {
        var benApi = await ApiClient.UserAsync(_server, "ben");
        await using var ben = await LoggedInClientAsync(_server, benApi);

        // The server closes a HEARTBEAT before IDENTIFY with 4003, so 4009 shows that none was sent.
        await using var idle = await ben.OpenGatewayAsync().WaitAsync(TestTimeout);
        Assert.Equal(CloseCodes.SessionTimedOut, await idle.Closed.WaitAsync(TestTimeout));
    }

    [Fact]
    public async Task HeartbeatsGoOutAtTheServersIntervalOnceIdentified()
    {
        var benApi = await ApiClient.UserAsync(_server, "ben");
        await using var ben = await LoggedInClientAsync(_server, benApi);
        await using var gateway = await ben.OpenGatewayAsync().WaitAsync(TestTimeout);
        var acks = new EventLog<TimeSpan>();
        var clock = Stopwatch.StartNew();
        gateway.HeartbeatAcknowledged += (_, _) => acks.Add(clock.Elapsed);
        var identifying = clock.Elapsed;
        await gateway.IdentifyAsync().WaitAsync(TestTimeout);

        var times = await acks.WaitForCountAsync(3, "three acknowledged heartbeats");

        // One beat per interval, no faster (only a lower bound: a busy machine may delay them, never hasten them);
        // three intervals are past the server's 1.5 × deadline, so the socket being open shows they kept it alive.
        Assert.True(times[2] - identifying >= Heartbeat * 2, $"the third ack came after {times[2] - identifying}");
        Assert.False(gateway.Closed.IsCompleted);
        await gateway.HeartbeatAsync().WaitAsync(TestTimeout);
        await acks.WaitForCountAsync(4, "the ack of a heartbeat sent by hand");
    }

    [Fact]
    public async Task AResumedConnectionHeartbeatsToo()
    {
        var benApi = await ApiClient.UserAsync(_server, "ben");
        await using var ben = await LoggedInClientAsync(_server, benApi);
        await using var first = await ben.OpenGatewayAsync().WaitAsync(TestTimeout);
        await first.IdentifyAsync(benApi.UserId).WaitAsync(TestTimeout);
        await first.CloseAsync().WaitAsync(TestTimeout);
        await first.Closed.WaitAsync(TestTimeout);

        await using var second = await ben.OpenGatewayAsync().WaitAsync(TestTimeout);
        var acks = new EventLog<TimeSpan>();
        second.HeartbeatAcknowledged += (_, _) => acks.Add(TimeSpan.Zero);
        await second.ResumeAsync(first).WaitAsync(TestTimeout);

        // Two acknowledged beats span more than the server's deadline after the RESUME.
        await acks.WaitForCountAsync(2, "two acknowledged heartbeats after RESUME");
        Assert.False(second.Closed.IsCompleted);
        Assert.Equal(first.SessionId, second.SessionId);
    }
}
