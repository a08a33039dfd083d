using System.Globalization;
using System.Net;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Pgo.Api.Errors;
using Pgo.Api.Fhir;
using Pgo.Fhir;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;

namespace Pgo.Api.Files;

public sealed record DeletionView(string PatientId, bool Scheduled, DateTimeOffset? DueAt, string? RequestedBy, string Message);

/// <summary>
/// A regiehouder deletes the whole dossier: the request schedules it after a grace period (default 30 days) during
/// which it can be cancelled; <see cref="CarryOutDueAsync"/> (run by the sweeper) then removes every resource of the
/// dossier with all its versions, and the files. The audit log stays: NEN 7513 and the WGBO require that who saw and
/// changed what remains traceable, also after the data itself is gone. The schedule is an extension on the Patient,
/// so it travels with the dossier and is itself versioned and audited.
/// </summary>
public sealed class DossierDeletion(FhirRepository repo, FileStorage storage, FilesOptions options, TimeProvider clock, ILogger<DossierDeletion> logger)
{
    public const string DueExtension = PgoCodes.Base + "/StructureDefinition/dossier-deletion-due";
    public const string RequestedByExtension = PgoCodes.Base + "/StructureDefinition/dossier-deletion-requested-by";

    public async Task<Accepted<DeletionView>> ScheduleAsync(HttpContext http, string patientId)
    {
        var ctx = FhirHttp.Context(http);
        var patient = await RegiehouderPatientAsync(http, ctx, patientId);
        var due = clock.GetUtcNow() + options.DeletionGrace;
        patient.SetExtension(DueExtension, new FhirDateTime(due));
        patient.SetExtension(RequestedByExtension, new FhirString(ctx.Caller.FhirUser ?? ctx.Caller.Subject));
        await UpdateAsync(http, ctx, patient);
        return TypedResults.Accepted($"/api/dossiers/{patientId}/deletion", View(patient));
    }

    public async Task<Ok<DeletionView>> CancelAsync(HttpContext http, string patientId)
    {
        var ctx = FhirHttp.Context(http);
        var patient = await RegiehouderPatientAsync(http, ctx, patientId);
        if (patient.GetExtension(DueExtension) is null) return TypedResults.Ok(View(patient));
        patient.RemoveExtension(DueExtension);
        patient.RemoveExtension(RequestedByExtension);
        await UpdateAsync(http, ctx, patient);
        return TypedResults.Ok(View(patient));
    }

    public async Task<Ok<DeletionView>> StatusAsync(HttpContext http, string patientId)
    {
        var ctx = FhirHttp.Context(http);
        return TypedResults.Ok(View(await RegiehouderPatientAsync(http, ctx, patientId)));
    }

    private DeletionView View(Patient patient)
    {
        var due = DueOf(patient);
        var by = (patient.GetExtension(RequestedByExtension)?.Value as FhirString)?.Value;
        var message = due is { } d
            ? ApiProblem.Text(ApiText.DeletionScheduled, Pgo.Shared.Text.DutchTime.At(d).ToString("d-M-yyyy", CultureInfo.InvariantCulture))
            : ApiText.DeletionNone;
        return new DeletionView(patient.Id ?? "", due is not null, due, by, message);
    }

    private static DateTimeOffset? DueOf(Patient patient) =>
        (patient.GetExtension(DueExtension)?.Value as FhirDateTime)?.TryToDateTimeOffset(out var due) == true ? due : null;

    /// <summary>The client's Patient, for the one who may schedule its deletion; refusals are thrown (Api/Errors), the
    /// FHIR engine's pass through.</summary>
    private async Task<Patient> RegiehouderPatientAsync(HttpContext http, FhirContext ctx, string patientId)
    {
        var scope = await repo.Access.CompileAsync(ctx.Caller, http.RequestAborted);
        if (!DossierOperations.Allows(scope, patientId, DossierOperation.ReadOverview))
            throw ApiProblem.DossierNotFound(patientId);
        if (!DossierOperations.Allows(scope, patientId, DossierOperation.ScheduleDeletion))
        {
            await repo.RecordAsync(ctx, "dossier-deletion", 403, "Patient", patientId, scope: scope, ct: http.RequestAborted);
            throw ApiProblem.Forbidden(ApiText.DeletionOnlyRegiehouder);
        }
        var response = await repo.ReadAsync(ctx, "Patient", patientId, http.RequestAborted);
        return FhirJson.Parse<Patient>(response.Stored!.Json);
    }

    private Task<FhirResponse> UpdateAsync(HttpContext http, FhirContext ctx, Patient patient) =>
        repo.UpdateAsync(ctx, "Patient", patient.Id!, patient, patient.Meta?.VersionId, http.RequestAborted);

    /// <summary>Carries out every deletion whose grace period has passed. Returns the dossiers removed.</summary>
    public async Task<IReadOnlyList<string>> CarryOutDueAsync(CancellationToken ct)
    {
        var candidates = await repo.AsPlatform(PlatformPurpose.DossierDeletion).ScanAsync("Patient", DueExtension, ct);
        var done = new List<string>();
        foreach (var stored in candidates)
        {
            var patient = FhirJson.Parse<Patient>(stored.Json);
            if (DueOf(patient) is not { } due || due > clock.GetUtcNow()) continue;
            await PurgeAsync(patient, ct);
            done.Add(stored.Id);
        }
        return done;
    }

    private async System.Threading.Tasks.Task PurgeAsync(Patient patient, CancellationToken ct)
    {
        var pid = patient.Id!;
        var ctx = new FhirContext(CallerContext.System("dossier-deletion"), "urn:pgo:deletion");
        var requestedBy = (patient.GetExtension(RequestedByExtension)?.Value as FhirString)?.Value;
        // The audit record names the dossier and who asked; it is written before the data goes, so it survives a crash in between.
        await repo.RecordAsync(ctx, "dossier-deletion", 204, "Patient", pid, incoming: new Patient { Id = pid }, scope: AccessScope.Unrestricted, ct: ct);
        await repo.Audit.FlushAsync(ct);
        var count = await repo.PurgeDossierAsync(pid, ct);
        if (storage.Blobs is { } blobs)
            await foreach (var blob in blobs.ListAsync(pid, ct)) await blobs.DeleteAsync(blob.Name, ct);
        logger.LogWarning("Files: dossier Patient/{Patient} deleted as scheduled by {RequestedBy} ({Count} resources)", pid,
            requestedBy, count.ToString(CultureInfo.InvariantCulture));
    }
}
