using Pgo.Portal.Auth;
using Pgo.Portal.Files;
using Pgo.Portal.Hosting;

// Pgo.Portal: the Dutch website for families, supporters, professionals and agencies. Sign-in goes through
// Pgo.Identity (OpenID Connect), data through Pgo.Api with the person's access token (Api/PgoApi.cs).
var builder = WebApplication.CreateBuilder(args);
builder.AddPortalAuthentication();
builder.AddPortalUi();
builder.AddPortalFiles();
builder.AddSharedKeys();

var app = builder.Build();
app.MapPortalUi();
app.MapPortalAuthentication();
app.MapPortalFiles();
app.MapSignallingFiles();
app.MapProgrammeFiles();
app.MapTimeFiles();
app.MapBusinessCaseFiles();
app.LoadSharedKeys();
app.Run();
