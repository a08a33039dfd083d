using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using Pgo.Api.Hosting;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;

namespace Pgo.Api.Files.Demo;

/// <summary>
/// A few documents per demo family (an indication decision or report as PDF, a photo as PNG), loaded at start-up
/// with the demo data, idempotently: a document whose DocumentReference exists is left alone. Bytes first, then
/// metadata, as with an upload.
/// </summary>
public sealed class DemoDocuments(FhirRepository repo, FileStorage storage, IOptions<PgoOptions> pgo, IHostEnvironment environment, ILogger<DemoDocuments> logger) : IHostedService
{
    public sealed record DemoDocument(string PatientId, string Key, string Title, string Category, byte[] Bytes, FileKind Kind, string FileName);

    public static IEnumerable<DemoDocument> All()
    {
        var families = new (string Patient, string Name, string Decision, string Detail)[]
        {
            ("strikwerda-jesse", "Jesse Strikwerda", "Indicatiebesluit Wlz", "Zorgprofiel VV: begeleiding en dagbesteding, geldig tot 1-6-2028."),
            ("bilic-atilla", "Atilla Bilic", "Indicatiebesluit Wlz", "Zorgprofiel VG: 24-uurs toezicht, logeeropvang 2 weekenden per maand."),
            ("sterk-johan", "Johan Sterk", "Rapport gedragsdeskundige", "Advies: vaste begeleiders, voorspelbare dagstructuur, prikkelarme ruimte."),
            ("frank-leo", "Leo Frank", "Aanvraag Wmo-begeleiding", "Aanvraag individuele begeleiding, 4 uur per week, bij de overgang naar 18."),
            ("dewit-kim", "Kim de Wit", "Indicatiebesluit Wlz", "Zorgprofiel VG: intensieve kindzorg, verpleging thuis, sondevoeding."),
            ("vanassen-luc", "Luc van Assen", "Bezwaarschrift", "Bezwaar tegen de beperking van de hulp bij het huishouden, ingediend bij de gemeente."),
        };
        var i = 0;
        foreach (var (patient, name, decision, detail) in families)
        {
            var category = decision.StartsWith("Indicatiebesluit", StringComparison.Ordinal) ? "indicatiebesluit"
                : decision.StartsWith("Rapport", StringComparison.Ordinal) ? "rapport"
                : decision.StartsWith("Aanvraag", StringComparison.Ordinal) ? "aanvraag" : "bezwaarschrift";
            yield return new DemoDocument(patient, category, $"{decision} {name}", category,
                DemoFiles.Pdf(decision, [$"Betreft: {name}", detail, "", "Dit is een voorbeelddocument van de PGO-demo; het is niet echt."]),
                FileTypes.Pdf, $"{category}-{patient}.pdf");
            yield return new DemoDocument(patient, "foto", $"Foto voor het paspoort van {name}", "foto", DemoFiles.Png(96, ++i), FileTypes.Png, $"foto-{patient}.png");
        }
    }

    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms",
        Justification = "FHIR R4 defines Attachment.hash as the SHA-1 of the data; the SHA-256 goes in its own extension.")]
    public async System.Threading.Tasks.Task StartAsync(CancellationToken ct)
    {
        if (!pgo.Value.DemoData(environment) || storage.Blobs is not { } blobs) return;
        try
        {
            var ctx = new FhirContext(CallerContext.System("demo-data"), "urn:pgo:demo");
            var loaded = 0;
            var demos = All().ToList();
            // One batched platform read (audited per family) instead of two reads per document.
            var stored = await repo.AsPlatform(PlatformPurpose.DemoData, ctx)
                .ReadManyAsync(demos.SelectMany(d => new[] { ("Patient", d.PatientId), ("DocumentReference", $"demo-{d.PatientId}-{d.Key}") }).ToList(), ct);
            foreach (var (d, i) in demos.Select((d, i) => (d, i)))
            {
                var id = $"demo-{d.PatientId}-{d.Key}";
                if (stored[2 * i] is null) continue;
                if (stored[2 * i + 1] is not null) continue;
                var name = DocumentBlobs.BlobName(d.PatientId, id);
                await blobs.UploadCommittedAsync(name, new MemoryStream(d.Bytes), d.Kind.ContentType, ct);
                var doc = new DocumentReference
                {
                    Id = id,
                    Status = DocumentReferenceStatus.Current,
                    Subject = new ResourceReference($"Patient/{d.PatientId}"),
                    Description = d.Title,
                    Date = new DateTimeOffset(2026, 9, 1, 10, 0, 0, TimeSpan.Zero),
                    Category =
                    [
                        new CodeableConcept(PgoCodes.Section.System, PgoCodes.Section.Documenten, PgoCodes.Section.Display[PgoCodes.Section.Documenten]),
                        new CodeableConcept(DocumentCategory.System, d.Category, DocumentCategory.Display[d.Category]),
                    ],
                    Content = [new DocumentReference.ContentComponent { Attachment = new Attachment
                    {
                        ContentType = d.Kind.ContentType, Url = DocumentBlobs.UrlOf(d.PatientId, id),
                        Hash = SHA1.HashData(d.Bytes), Title = d.FileName, Creation = "2026-09-01",
                    } }],
                };
                doc.Content[0].Attachment.SetStringExtension(DocumentCategory.Sha256Extension, Convert.ToHexStringLower(SHA256.HashData(d.Bytes)));
                doc.Content[0].Attachment.SetExtension(DocumentCategory.SizeExtension, new FhirDecimal(d.Bytes.Length));
                await repo.UpdateAsync(ctx, "DocumentReference", id, doc, null, ct);
                loaded++;
            }
            if (loaded > 0) logger.LogInformation("Demo data: {Count} documents loaded", loaded);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or System.Net.Http.HttpRequestException or AggregateException)
        {
            // The demo works without its documents; say why they are missing.
            logger.LogWarning(e, "Demo data: documents not loaded (blob storage unreachable?)");
        }
    }

    public System.Threading.Tasks.Task StopAsync(CancellationToken ct) => System.Threading.Tasks.Task.CompletedTask;
}
