// Pgo.Identity: accounts, invitations and the OpenID Connect server (OpenIddict) come with the identity issue.
// For now a real, small ASP.NET Core app so that `./pgo up` starts the whole platform.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddHealthChecks();
var app = builder.Build();
app.MapHealthChecks("/health");
app.MapGet("/", () => Results.Text("PGO Identity: aanmelden komt hier.", "text/plain; charset=utf-8"));
app.Run();
