using Parley.Server;

var builder = WebApplication.CreateBuilder(args);
builder.AddParley();
var app = builder.Build();
await app.InitializeParleyAsync();
app.MapParley();
await app.RunAsync();
