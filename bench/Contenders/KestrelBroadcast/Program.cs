using System.Collections.Concurrent;
using KestrelBroadcast;

var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
var groups = new ConcurrentDictionary<string, BroadcastGroup>();
app.UseWebSockets();
app.MapGet("/healthz", () => "ok");
app.Map("/ws", async context =>
{
    if (!context.WebSockets.IsWebSocketRequest)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return;
    }
    using var socket = await context.WebSockets.AcceptWebSocketAsync();
    await new BroadcastClient(socket).RunAsync(name => groups.GetOrAdd(name, static _ => new BroadcastGroup()));
});
app.Run();
