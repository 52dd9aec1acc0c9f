using Parley.Server;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    // The web client is copied next to the dll at build time, wherever the server is started from.
    WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
});
builder.AddParley();
var app = builder.Build();
await app.InitializeParleyAsync(app.Lifetime.ApplicationStopping);
app.MapParley();
await app.RunAsync();
