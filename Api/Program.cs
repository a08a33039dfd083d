using Pgo.Api.Access;
using Pgo.Api.Audit;
using Pgo.Api.Auth;
using Pgo.Api.Caseload;
using Pgo.Api.Demo;
using Pgo.Api.Dossier;
using Pgo.Api.Fhir;
using Pgo.Api.Files;
using Pgo.Api.Hosting;
using Pgo.Api.Invitations;
using Pgo.Api.Notifications;
using Pgo.Api.OpenApi;
using Pgo.Fhir.Storage;
using Pgo.Api.TeamSpace;
using Pgo.Api.Realtime;
using Pgo.Api.Realtime.CoWriting;
using Pgo.Api.Practice;
using Pgo.Observability;

// Pgo.Api: the FHIR endpoint at /fhir, the task-shaped access, dossier, notes, file and team-space APIs at /api,
// and the real-time hubs (/hubs/dossier, /hubs/team, /hubs/notifications).
//   dotnet Pgo.Api.dll                 runs the Api
//   dotnet Pgo.Api.dll verify-audit    checks the audit log's hash chain and exits (0 = intact, 1 = broken)
//   dotnet Pgo.Api.dll export-blobs DIR | import-blobs DIR | inventory   backups and the restore drill (Api/Hosting/BackupCommands.cs)
var verifyAudit = args.Contains("verify-audit");
var backupCommand = BackupCommands.Parse(args);
var builder = WebApplication.CreateBuilder((backupCommand?.HostArgs ?? args).Where(a => a != "verify-audit").ToArray());
// The host's one clock: every feature takes it from here (direct clock reads are banned, BannedSymbols.txt); tests replace it.
builder.Services.AddSingleton(TimeProvider.System);
builder.AddApiAuthentication();
builder.AddBrowserApps();
builder.AddFhirRepository();
// Before the jobs: which instance does the work that must happen once per cluster (Api/Hosting/ClusterLease.cs).
builder.AddClusterLease();
builder.AddTeamSpace();
builder.AddPractice();
builder.Services.AddSingleton<Pgo.Api.Evidence.FamilyCaseService>();
builder.Services.AddSingleton<Pgo.Api.Evidence.ModelStore>();
builder.AddRealtime();
builder.AddFiles();
builder.AddInvitationFeed();
builder.AddNotifications();
// /health: the database (liveness); /health/ready adds blob storage (Observability/Telemetry.cs). Metrics, traces, logs too.
builder.Services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage", tags: [Pgo.Observability.Telemetry.Ready])
    .AddCheck<BlobHealthCheck>("blobs", tags: [Pgo.Observability.Telemetry.Ready]);
builder.AddPgoTelemetry();
builder.Services.AddProblemDetails();
builder.AddApiReference();

var app = builder.Build();
await app.InitializeFhirAsync();
if (verifyAudit)
{
    var result = await app.Services.GetRequiredService<IAuditStore>().VerifyAuditAsync();
    Console.WriteLine(result);
    return result.Ok ? 0 : 1;
}
if (backupCommand is not null) return await backupCommand.RunAsync(app.Services, Console.Out);
await app.LoadProjectTerminologyAsync();
await app.LoadDemoDataAsync();

// First, so /fhir, /api and the hubs all answer in the caller's language (Accept-Language: nl or en).
app.UseRequestLanguage();
app.UseBrowserApps();
// /metrics (Prometheus text, allowed networks only) and /health/ready.
app.UsePgoTelemetry();
app.UseAuthentication();
app.UseAuthorization();
app.MapHealthChecks("/health", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = c => c.Name == "storage", ResponseWriter = StorageHealthCheck.WriteAsync });
app.MapSmartConfiguration();
// Every request answers only after its audit entries are committed (Api/Audit/AuditReceiptFilter).
var audited = app.MapGroup("").AddEndpointFilter(AuditReceiptFilter.WaitForAuditAsync);
audited.MapFhirApi();
audited.MapAccessApi();
audited.MapResearchConsentApi();
Pgo.Api.Evidence.ProgrammeApi.MapProgrammeApi(audited);
audited.MapDossierApi();
audited.MapCaseloadApi();
audited.MapIntensityApi();
Pgo.Api.Families.FamilyApi.MapFamilyApi(audited);
audited.MapTeamSpaceApi();
audited.MapNotesApi();
app.MapRealtime();
app.MapNotifications(audited);
audited.MapFilesApi();
audited.MapPracticeTimeApi();
audited.MapReferralApi();
Pgo.Api.Events.EventsApi.MapEventsApi(audited);
Pgo.Api.Evidence.FamilyCaseApi.MapFamilyCaseApi(audited);
Pgo.Api.Evidence.ModelApi.MapModelApi(audited);
Pgo.Api.Dossier.InstrumentsApi.MapInstrumentsApi(audited);
Pgo.Api.Dossier.MeasurementPlanApi.MapMeasurementPlanApi(audited);
Pgo.Api.Regie.Succession.SuccessionApi.MapSuccessionApi(audited);
Pgo.Api.Regie.RegieApi.MapRegieApi(audited);
// The OpenAPI document of /api and its reference page, in Development only (Api/README.md).
app.MapApiReference();
app.Run();
return 0;

public partial class Program;
