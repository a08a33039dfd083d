using System.Net;
using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using Pgo.Fhir.Messages;
using Pgo.Fhir.Serialization;
using Pgo.Fhir.Storage;

namespace Pgo.Fhir.Rest;

// Bulk import (POST /fhir/$import, docs/adr/0015-bulk-import.md): NDJSON, one new resource per line, all or nothing.
public sealed partial class FhirRepository
{
    /// <summary>Types $import refuses: they decide who may see what (grants, who a person acts as, care teams) or act on
    /// their own (subscriptions), so they go through the write decision of a create, in a transaction Bundle. AuditEvent is
    /// never written through the repository.</summary>
    public static readonly IReadOnlySet<string> ImportRefusedTypes = new HashSet<string>(StringComparer.Ordinal)
        { "Consent", "Person", "Practitioner", "PractitionerRole", "Organization", "RelatedPerson", "CareTeam", "Subscription", "AuditEvent" };

    /// <summary>Most problems listed in one refusal.</summary>
    private const int MaxListedImportProblems = 20;

    /// <summary>
    /// Stores every resource of <paramref name="lines"/> (NDJSON, 1-based line numbers; blank lines skipped) as a new resource
    /// (version 1, under its own id) with its index rows, section and compartments, in one transaction, audited as one
    /// record. Only a system client with a system create scope for each type (403 otherwise); any bad line refuses the
    /// whole import with 400 naming the lines, and nothing is stored. An id that exists (or existed) is a bad line.
    /// </summary>
    public async Task<FhirResponse> ImportAsync(FhirContext ctx, IReadOnlyList<string> lines, CancellationToken ct = default)
    {
        var scope = await access.CompileAsync(ctx.Caller, ct);
        try
        {
            if (!MayImport(ctx.Caller, scope)) throw FhirException.Forbidden(FhirText.ImportOnlySystemClient);
            var count = lines.Count(l => !string.IsNullOrWhiteSpace(l));
            if (count == 0) throw FhirException.BadRequest(FhirText.ImportEmpty);
            if (count > options.MaxImportResources) throw FhirException.BadRequest(Text.Format(FhirText.ImportTooMany, options.MaxImportResources));

            var now = Now();
            // Parse, check, index and serialize each line once, on every core: this is most of an import's CPU time.
            var prepared = new ImportLine[lines.Count];
            // (The caller's UI culture, which chooses the refusal texts' language, flows into the parallel work.)
            Parallel.For(0, lines.Count, new ParallelOptions { CancellationToken = ct }, i => prepared[i] = PrepareImportLine(lines[i], scope, now));
            if (prepared.FirstOrDefault(p => p.Forbidden is not null) is { } forbidden)
                throw FhirException.Forbidden(Text.Format(FhirText.ImportTypeNotInScope, forbidden.Forbidden, Array.IndexOf(prepared, forbidden) + 1));

            var problems = new List<(int Line, string Message)>();
            var rows = new List<ImportRow>(count);
            var lineOf = new List<int>(count);
            var seen = new Dictionary<(string, string), int>(count);
            for (var i = 0; i < prepared.Length; i++)
            {
                var p = prepared[i];
                if (p.Blank) continue;
                if (p.Problem is not null) { problems.Add((i + 1, p.Problem)); continue; }
                var key = (p.Row!.Type, p.Row.Id);
                if (seen.TryGetValue(key, out var other)) { problems.Add((i + 1, Text.Format(FhirText.ImportIdTwice, key.Type, key.Id, other))); continue; }
                seen[key] = i + 1;
                rows.Add(p.Row);
                lineOf.Add(i + 1);
            }
            if (problems.Count > 0) throw ImportRefused(problems);

            var audited = audit.ForImport(ctx, scope, ImportDetail(rows), now);
            var existing = await store.ImportAsync(rows, now, audited, ct);
            if (existing.Count > 0)
                throw ImportRefused(existing.Select(k => (lineOf[k], Text.Format(FhirText.ImportIdExists, rows[k].Type, rows[k].Id))).ToList());
            var outcome = Outcomes.Information(Text.Format(FhirText.ImportDone, rows.Count, CountsByType(rows)));
            return new FhirResponse { Status = HttpStatusCode.OK, Resource = outcome };
        }
        catch (FhirException e)
        {
            AuditOne(ctx, scope, "import", (int)e.Status, "$import", null, null);
            throw;
        }
    }

    /// <summary>A system client (client credentials: no fhirUser) whose scope spans every patient, or the platform itself.</summary>
    private static bool MayImport(CallerContext caller, AccessScope scope) =>
        caller.IsSystem && caller.FhirUser is null && (scope.IsUnrestricted || scope.AllPatients);

    private sealed record ImportLine(bool Blank, ImportRow? Row, string? Problem, string? Forbidden);

    private ImportLine PrepareImportLine(string line, AccessScope scope, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(line)) return new ImportLine(true, null, null, null);
        try
        {
            var resource = FhirJson.Parse(line);
            var type = resource.TypeName;
            RequireType(type);
            if (ImportRefusedTypes.Contains(type)) throw FhirException.BadRequest(Text.Format(FhirText.ImportTypeRefused, type));
            if (string.IsNullOrEmpty(resource.Id)) throw FhirException.BadRequest(FhirText.ImportNoId);
            RequireId(resource.Id);
            if (FhirElements.Texts(resource).FirstOrDefault(FhirJson.HasControlCharacter) is { } bad)
                throw FhirException.BadRequest(Text.Format(FhirText.ControlCharacterInResource, type, FhirJson.Printable(bad)));
            resource.Meta ??= new Meta();
            resource.Meta.VersionId = "1";
            resource.Meta.LastUpdated = now;
            var index = indexer.Extract(resource);
            if (index.RowCount > options.MaxIndexRowsPerResource && SectionClassifier.IsDossierType(type))
                throw FhirException.Unprocessable(Text.Format(FhirText.TooManySearchValues, type, index.RowCount, options.MaxIndexRowsPerResource));
            var section = SectionClassifier.Classify(resource);
            // The same decision as a create by this caller: its token's create scope for the type (a system client's scope
            // spans every patient, so nothing else of the write decision applies to the types $import takes).
            if (!scope.CanWrite('c', type, resource.Id, section, index.PatientCompartment)) return new ImportLine(false, null, null, type);
            return new ImportLine(false, new ImportRow(type, resource.Id, FhirJson.Serialize(resource), section, index), null, null);
        }
        catch (FhirException e)
        {
            return new ImportLine(false, null, e.Message, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever else parsing or indexing throws is about this line's content: a refused line, never a 500.
            return new ImportLine(false, null, FhirText.JsonNotAResource, null);
        }
    }

    private static FhirException ImportRefused(IReadOnlyList<(int Line, string Message)> problems)
    {
        var listed = string.Join(" ", problems.Take(MaxListedImportProblems).Select(p => Text.Format(FhirText.ImportLine, p.Line, p.Message)));
        return FhirException.BadRequest(Text.Format(FhirText.ImportLinesRefused, problems.Count, listed));
    }

    private static string CountsByType(IEnumerable<ImportRow> rows) =>
        string.Join(", ", rows.GroupBy(r => r.Type, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));

    /// <summary>What the import's one audit record says: how many of each type, and the patients whose dossiers it wrote to.</summary>
    private static string ImportDetail(IReadOnlyList<ImportRow> rows)
    {
        var patients = rows.SelectMany(r => r.Index.PatientCompartment).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return $"$import: {CountsByType(rows)}; patients ({patients.Count}): {string.Join(",", patients)}";
    }
}
