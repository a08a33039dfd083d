using Microsoft.Extensions.Options;
using Pgo.Api.Errors;
using Pgo.Api.Fhir;
using Pgo.Api.Files.Export;
using Pgo.Api.Files.Handover;

namespace Pgo.Api.Files;

/// <summary>
/// Registration and route table of the Files feature: dossier documents in blob storage, the handover page, and the
/// regiehouder's export, import and scheduled deletion of a dossier. <c>Storage:Blobs</c> is the connection string
/// (Azurite locally, Azure Storage in production); without it the document endpoints answer 503.
/// </summary>
public static class FilesHosting
{
    public static WebApplicationBuilder AddFiles(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<FilesOptions>().BindConfiguration(FilesOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<FilesOptions>>().Value);
        // Storage:Blobs is StorageOptions (bound in FhirHosting; the Azurite development key is refused outside
        // Development by Api/Hosting/UnsafeSettings at start).
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.Blobs is { Length: > 0 } connection
            ? new FileStorage(new DocumentBlobs(DocumentBlobs.Connect(connection, sp.GetRequiredService<FilesOptions>().Container)))
            : new FileStorage(null));
        builder.Services.AddSingleton(sp => sp.GetRequiredService<FileStorage>().Blobs ?? throw new InvalidOperationException("Storage:Blobs is niet ingesteld."));
        // Attachment urls into our blob storage are the server's to set (checked on every client write).
        builder.Services.AddSingleton<Pgo.Fhir.Rest.IResourceRule, AttachmentUrlRule>();
        builder.Services.AddSingleton<OrphanCleanup>();
        builder.Services.AddHostedService<FilesSweeper>();
        builder.Services.AddSingleton<DocumentService>();
        builder.Services.AddSingleton<DossierExport>();
        builder.Services.AddSingleton<DossierDeletion>();
        builder.Services.AddSingleton<HandoverPage>();
        builder.Services.AddHostedService<Demo.DemoDocuments>();
        return builder;
    }

    public static IEndpointRouteBuilder MapFilesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/dossiers").RequireAuthorization().WithApiErrors().WithTags("Documenten");
        api.MapGet("/{patientId}/documents", (HttpContext http, DocumentService s, string patientId) => s.ListAsync(http, patientId));
        api.MapPost("/{patientId}/documents", (HttpContext http, DocumentService s, string patientId) => s.UploadAsync(http, patientId)).DisableAntiforgery();
        api.MapGet("/{patientId}/documents/{documentId}/content", (HttpContext http, DocumentService s, string patientId, string documentId) => s.DownloadAsync(http, patientId, documentId));
        api.MapPut("/{patientId}/documents/{documentId}/section", (HttpContext http, DocumentService s, string patientId, string documentId, DocumentService.MoveRequest body) => s.MoveAsync(http, patientId, documentId, body));
        api.MapDelete("/{patientId}/documents/{documentId}", (HttpContext http, DocumentService s, string patientId, string documentId) => s.DeleteAsync(http, patientId, documentId));
        api.MapGet("/{patientId}/handover", (HttpContext http, HandoverPage p, string patientId) => p.RenderAsync(http, patientId));
        api.MapGet("/{patientId}/export", (HttpContext http, DossierExport e, string patientId) => e.ExportAsync(http, patientId));
        api.MapPost("/import", (HttpContext http, DossierExport e) => e.ImportAsync(http)).DisableAntiforgery();
        api.MapPost("/{patientId}/deletion", (HttpContext http, DossierDeletion d, string patientId) => d.ScheduleAsync(http, patientId));
        api.MapDelete("/{patientId}/deletion", (HttpContext http, DossierDeletion d, string patientId) => d.CancelAsync(http, patientId));
        api.MapGet("/{patientId}/deletion", (HttpContext http, DossierDeletion d, string patientId) => d.StatusAsync(http, patientId));
        return app;
    }
}

/// <summary>The blob store when <c>Storage:Blobs</c> is configured, else null.</summary>
public sealed record FileStorage(DocumentBlobs? Blobs);

/// <summary>The periodic work of the feature: orphan cleanup and carrying out deletions whose grace period has passed.</summary>
/// <remarks>Once per cluster: only the <see cref="Pgo.Api.Hosting.ClusterLease"/>'s leader sweeps. Both are also safe twice
/// (a deletion carried out is no longer due; deleting a blob that is gone is not an error), for the moment a lease moves.</remarks>
public sealed class FilesSweeper(IServiceProvider services, FilesOptions options, Pgo.Api.Hosting.ClusterLease lease, ILogger<FilesSweeper> logger) : Pgo.Api.Hosting.HostedLoop
{
    protected override async System.Threading.Tasks.Task RunAsync(CancellationToken stoppingToken)
    {
        // Deletions are carried out with or without blob storage; the orphan cleanup needs it.
        var blobs = services.GetRequiredService<FileStorage>().Blobs;
        if (blobs is not null)
        {
            try { await blobs.EnsureContainerAsync(stoppingToken); }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested) { logger.LogError(e, "Files: the blob container could not be created"); }
        }
        using var timer = new PeriodicTimer(options.SweepInterval);
        do
        {
            if (!lease.IsLeader) continue;
            try
            {
                await services.GetRequiredService<DossierDeletion>().CarryOutDueAsync(stoppingToken);
                if (blobs is not null) await services.GetRequiredService<OrphanCleanup>().SweepAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Files: sweep failed; trying again next interval");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
