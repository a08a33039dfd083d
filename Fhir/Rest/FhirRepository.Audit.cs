using Pgo.Fhir.Access;
using Pgo.Fhir.Audit;

namespace Pgo.Fhir.Rest;

// Every interaction, permitted or refused, leaves an audit record (Audit/AuditLog). Writes append theirs inside
// the write transaction (StoreVersionAsync, DeleteInSessionAsync); everything else is queued here.
public sealed partial class FhirRepository
{
    /// <summary>An interaction on one resource (read, vread, a refused write or read).</summary>
    private void AuditOne(FhirContext ctx, AccessScope? scope, string action, int status, string type, string? id, int? version)
    {
        if (!audit.Enabled) return;
        audit.Enqueue(new PendingAudit(ctx, scope ?? AccessScope.Nothing("not compiled"), action, status,
            id is null ? [] : [(type, id, version)], id is null ? type : null, clock.GetUtcNow(), PerPatient: false));
    }

    /// <summary>An interaction that returned many resources (search, history, $everything): one record per patient.</summary>
    private void AuditMany(FhirContext ctx, AccessScope scope, string action, IEnumerable<(string Type, string Id, int? Version)> returned, string detail)
    {
        if (!audit.Enabled) return;
        audit.Enqueue(new PendingAudit(ctx, scope, action, 200, returned.ToList(), detail, clock.GetUtcNow(), PerPatient: true));
    }
}
