using Pgo.Api.Demo;
using Pgo.Api.Fhir;
using Pgo.Api.TeamSpace;

// Pgo.Api: the FHIR endpoint at /fhir and, in later steps, the dossier, team-space and file APIs.
var builder = WebApplication.CreateBuilder(args);
builder.AddFhirRepository();
builder.AddTeamSpace();
builder.Services.AddHealthChecks();

var app = builder.Build();
await app.InitializeFhirAsync();
await app.LoadDemoDataAsync();

app.MapHealthChecks("/health");
app.MapFhirApi();
app.MapTeamSpaceApi();
app.Run();

public partial class Program;
