using SignalRHub;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSignalR();
var app = builder.Build();
app.MapGet("/healthz", () => "ok");
app.MapHub<BroadcastHub>("/hub");
app.Run();
