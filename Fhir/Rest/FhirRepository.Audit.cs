using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using Pgo.Fhir.Audit;
using Pgo.Fhir.Storage;

namespace Pgo.Fhir.Rest;

// Every interaction, permitted or refused, leaves an audit record (Audit/AuditLog). Writes append theirs inside
// the write transaction (StoreVersionAsync, DeleteInSessionAsync); everything else is queued here.
public sealed partial class FhirRepository
{
    /// <summary>An interaction on one resource (read, vread, a refused write or read).</summary>
    private void AuditOne(FhirContext ctx, AccessScope? scope, string action, int status, string type, string? id, int? version, Resource? incoming = null)
    {
        if (!audit.Enabled) return;
        audit.Enqueue(new PendingAudit(ctx, scope ?? AccessScope.Nothing("not compiled"), action, status,
            id is null ? [] : [(type, id, version)], id is null ? type : null, clock.GetUtcNow(), PerPatient: false, Place(incoming)));
    }

    /// <summary>
    /// An interaction that happens outside the repository but on its resources (a file download, an export, a refused
    /// upload), logged like the repository's own. <paramref name="scope"/> null: compiled for the caller here.
    /// </summary>
    public async System.Threading.Tasks.Task RecordAsync(FhirContext ctx, string action, int status, string type, string id, int? version = null,
        Resource? incoming = null, AccessScope? scope = null, CancellationToken ct = default)
    {
        if (!audit.Enabled) return;
        scope ??= await access.CompileAsync(ctx.Caller, ct);
        AuditOne(ctx, scope, action, status, type, id, version, incoming);
    }

    private ResourcePlacement? Place(Resource? resource)
    {
        if (resource?.Id is null) return null;
        try
        {
            var patients = SectionClassifier.IsDossierType(resource.TypeName) ? indexer.Extract(resource).PatientCompartment : [];
            return new ResourcePlacement(resource.TypeName, resource.Id, SectionClassifier.Classify(resource), patients);
        }
        catch (Exception)
        {
            return null; // the refusal is still logged, without its dossier
        }
    }

    /// <summary>An interaction that returned many resources (search, history, $everything): one record per patient.</summary>
    private void AuditMany(FhirContext ctx, AccessScope scope, string action, IEnumerable<(string Type, string Id, int? Version)> returned, string detail)
    {
        if (!audit.Enabled) return;
        audit.Enqueue(new PendingAudit(ctx, scope, action, 200, returned.ToList(), detail, clock.GetUtcNow(), PerPatient: true));
    }
}
