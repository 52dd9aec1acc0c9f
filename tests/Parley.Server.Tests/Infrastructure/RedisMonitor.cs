using System.Net.Sockets;
using System.Text;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// Redis's MONITOR on a plain socket: every command Redis runs, one line each (<c>+TIME [DB CLIENT] "CMD" "ARG" …</c>),
/// where commands a script runs show <c>lua</c> as their client. So what clients sent, one round trip per command, can
/// be told from what scripts did inside Redis.
/// </summary>
internal sealed class RedisMonitor : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly StreamReader _reader;

    private RedisMonitor(TcpClient client)
    {
        _client = client;
        _reader = new StreamReader(client.GetStream(), Encoding.UTF8);
    }

    public static async Task<RedisMonitor> StartAsync(int port)
    {
        var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var monitor = new RedisMonitor(client);
        await client.GetStream().WriteAsync("MONITOR\r\n"u8.ToArray());
        var ok = await monitor.ReadLineAsync();
        return ok == "+OK" ? monitor : throw new InvalidOperationException($"MONITOR answered {ok}.");
    }

    /// <summary>
    /// The commands clients sent (scripts' own left out) until one whose line holds <paramref name="marker"/> (send it
    /// with ECHO on another connection once the commands of interest are done), each as its quoted words.
    /// </summary>
    public async Task<List<string[]>> ClientCommandsUntilAsync(string marker)
    {
        var commands = new List<string[]>();
        while (await ReadLineAsync() is { } line && !line.Contains(marker, StringComparison.Ordinal))
        {
            var client = line[(line.IndexOf('[') + 1)..line.IndexOf(']')];
            if (!client.EndsWith(" lua", StringComparison.Ordinal))
            {
                commands.Add([.. line[(line.IndexOf(']') + 2)..].Split("\" \"").Select(w => w.Trim('"'))]);
            }
        }
        return commands;
    }

    private async Task<string?> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(TestSocket.DefaultTimeout);
        return await _reader.ReadLineAsync(timeout.Token);
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
