// Pgo.Identity: accounts and the OpenID Connect / OAuth 2 server (OpenIddict). See README.md.
using Pgo.Identity.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddIdentityApp();

var app = builder.Build();
app.UseIdentityApp();
await app.InitializeAsync();
app.Run();

public partial class Program;
