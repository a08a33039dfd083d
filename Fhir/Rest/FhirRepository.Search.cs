using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Pgo.Fhir.Access;
using Pgo.Fhir.Search.Query;
using Pgo.Fhir.Serialization;
using Pgo.Fhir.Storage;
using Pgo.Fhir.Messages;

namespace Pgo.Fhir.Rest;

// search, conditional matching and Patient/$everything.
public sealed partial class FhirRepository
{
    /// <summary>GET/POST [type]?... or [base]?_type=... : a searchset Bundle with paging links.</summary>
    public async Task<FhirResponse> SearchAsync(FhirContext ctx, string? type, IReadOnlyList<KeyValuePair<string, string>> query, CancellationToken ct = default)
    {
        if (type is not null) RequireType(type);
        var request = _searchParser.Parse(type, query, ctx.StrictHandling ? SearchHandling.Strict : SearchHandling.Lenient);
        var scope = await access.CompileAsync(ctx.Caller, ct);
        var outcome = request.Warnings.Count > 0 ? FhirJson.Serialize(Outcomes.Warnings(request.Warnings)) : null;
        var path = type ?? "";

        var detail = $"{path}?{request.ToQueryString(request.Offset)}";
        if (request.IsCountOnly)
        {
            var count = await store.CountAsync(SearchSqlBuilder.BuildCount(request, store.Dialect, scope), ct);
            AuditMany(ctx, scope, "search", [], detail);
            return new FhirResponse { Json = BundleWriter.Write(Now(), "searchset", count, [("self", Link(ctx, path, request, request.Offset))], [], outcome) };
        }

        var rows = await store.QueryAsync(SearchSqlBuilder.BuildPage(request, store.Dialect, scope), ct);
        var hasNext = rows.Count > request.Count;
        var page = hasNext ? rows.Take(request.Count).ToList() : rows;

        long? total = request.Total switch
        {
            TotalMode.None => null,
            // A page that is not full tells the total without counting.
            _ when !hasNext && (page.Count > 0 || request.Offset == 0) => request.Offset + page.Count,
            _ => await store.CountAsync(SearchSqlBuilder.BuildCount(request, store.Dialect, scope), ct),
        };

        var matches = page.Select(r => (r.Type, r.Id)).ToList();
        var included = new List<StoredResource>();
        if (matches.Count > 0)
        {
            if (SearchSqlBuilder.BuildIncludes(request, matches, store.Dialect, scope) is { } inc) included.AddRange(await store.QueryAsync(inc, ct));
            if (SearchSqlBuilder.BuildRevIncludes(request, matches, store.Dialect, scope) is { } rev) included.AddRange(await store.QueryAsync(rev, ct));
        }
        var seen = new HashSet<(string, string)>(matches);
        var includes = included.Where(r => seen.Add((r.Type, r.Id))).ToList();

        var links = new List<(string, string)> { ("self", Link(ctx, path, request, request.Offset)) };
        if (request.Offset > 0) links.Add(("previous", Link(ctx, path, request, Math.Max(0, request.Offset - request.Count))));
        if (hasNext) links.Add(("next", Link(ctx, path, request, request.Offset + request.Count)));

        AuditMany(ctx, scope, "search", page.Concat(includes).Select(r => (r.Type, r.Id, (int?)r.Version)), detail);
        var entries = page.Select(r => Entry(ctx, r, "match", request))
            .Concat(includes.Select(r => Entry(ctx, r, "include", request)));
        return new FhirResponse { Json = BundleWriter.Write(Now(), "searchset", total, links, entries, outcome) };
    }

    /// <summary>One page of a search past every grant (unknown parameters refused), for <see cref="PlatformReader.SearchAsync"/>,
    /// which audits it.</summary>
    internal async Task<IReadOnlyList<StoredResource>> SearchUnrestrictedAsync(string type, IReadOnlyList<KeyValuePair<string, string>> query, CancellationToken ct)
    {
        RequireType(type);
        var request = _searchParser.Parse(type, query, SearchHandling.Strict);
        var rows = await store.QueryAsync(SearchSqlBuilder.BuildPage(request, store.Dialect, AccessScope.Unrestricted), ct);
        return rows.Take(request.Count).ToList();
    }

    private static string Link(FhirContext ctx, string path, SearchRequest request, int offset)
    {
        var qs = request.ToQueryString(offset);
        return $"{ctx.BaseUrl}/{path}{(qs.Length > 0 ? "?" + qs : "")}";
    }

    private static BundleEntry Entry(FhirContext ctx, StoredResource r, string mode, SearchRequest request) =>
        new($"{ctx.BaseUrl}/{r.Type}/{r.Id}", Shape(r.Json, ToSdk(request.Summary), [.. request.Elements]), SearchMode: mode);

    private static SummaryType ToSdk(SummaryMode? mode) => mode switch
    {
        SummaryMode.True => SummaryType.True,
        SummaryMode.Text => SummaryType.Text,
        SummaryMode.Data => SummaryType.Data,
        SummaryMode.Count => SummaryType.Count,
        _ => SummaryType.False,
    };

    /// <summary>The stored JSON as is, or re-serialized when _summary / _elements ask for less.</summary>
    public static string Shape(string json, SummaryType summary, string[]? elements)
    {
        if (summary == SummaryType.False && elements is not { Length: > 0 }) return json;
        return FhirJson.Serialize(FhirJson.Parse(json), summary, elements);
    }

    /// <summary>The resources matching a conditional criteria string, seen from inside a write transaction (at most two: enough to tell none, one or many).</summary>
    internal async Task<IReadOnlyList<StoredResource>> MatchInSessionAsync(FhirContext ctx, AccessScope scope, IWriteSession session, string type, string criteria)
    {
        var query = QueryString.Parse(criteria).Where(kv => kv.Key is not ("_count" or "_offset" or "_sort")).ToList();
        if (query.Count == 0) throw FhirException.BadRequest(Text.Format(FhirText.ConditionalNeedsCriteria, type));
        query.Add(new("_count", "2"));
        // Conditional operations are always strict: an ignored criterion could match the wrong resource.
        var request = _searchParser.Parse(type, query, SearchHandling.Strict);
        return await session.QueryAsync(SearchSqlBuilder.BuildPage(request, store.Dialect, scope));
    }

    /// <summary>Patient/[id]/$everything: the patient, every resource in its compartment, and what those refer to.</summary>
    public async Task<FhirResponse> EverythingAsync(FhirContext ctx, string patientId, IReadOnlyList<KeyValuePair<string, string>> query, CancellationToken ct = default)
    {
        RequireId(patientId);
        var scope = await access.CompileAsync(ctx.Caller, ct);
        var patient = await store.ReadAsync("Patient", patientId, scope, ct);
        if (patient is null || patient.Deleted)
        {
            AuditOne(ctx, scope, "everything", 404, "Patient", patientId, null);
            throw FhirException.NotFound(Text.Format(FhirText.PatientNotFound, patientId));
        }

        var bag = new SqlParameterBag();
        var pid = bag.Add(patientId);
        var compartment = $"""
            SELECT r.res_type, r.res_id, r.version, r.last_updated, r.json FROM resource r
            WHERE r.deleted = 0 AND {scope.Predicate("r", bag)} AND EXISTS (
              SELECT 1 FROM resource_compartment c WHERE c.res_type = r.res_type AND c.res_id = r.res_id AND c.patient_id = {pid})
            """;
        var members = await store.QueryAsync(new SqlQuery(compartment + " ORDER BY r.res_type, r.res_id", bag.Values), ct);

        // One level of references out of the compartment (practitioners, organisations, medications ...), only from items the
        // caller can see: a directory record referenced only by hidden items would tell that they exist.
        var bag2 = new SqlParameterBag();
        var pid2 = bag2.Add(patientId);
        var referenced = $"""
            SELECT r.res_type, r.res_id, r.version, r.last_updated, r.json FROM resource r
            WHERE r.deleted = 0 AND {scope.Predicate("r", bag2)} AND EXISTS (
              SELECT 1 FROM idx_reference x JOIN resource_compartment c ON c.res_type = x.res_type AND c.res_id = x.res_id
              JOIN resource src ON src.res_type = x.res_type AND src.res_id = x.res_id
              WHERE c.patient_id = {pid2} AND x.target_type = r.res_type AND x.target_id = r.res_id
                AND src.deleted = 0 AND {scope.Predicate("src", bag2)})
            ORDER BY r.res_type, r.res_id
            """;
        var related = await store.QueryAsync(new SqlQuery(referenced, bag2.Values), ct);

        var seen = new HashSet<(string, string)> { ("Patient", patientId) };
        var all = new List<StoredResource> { patient };
        all.AddRange(members.Where(r => seen.Add((r.Type, r.Id))));
        all.AddRange(related.Where(r => seen.Add((r.Type, r.Id))));
        AuditMany(ctx, scope, "everything", all.Select(r => (r.Type, r.Id, (int?)r.Version)), $"Patient/{patientId}/$everything");
        var entries = all.Select(r => new BundleEntry($"{ctx.BaseUrl}/{r.Type}/{r.Id}", r.Json, SearchMode: "match"));
        return new FhirResponse { Json = BundleWriter.Write(Now(), "searchset", all.Count, [("self", $"{ctx.BaseUrl}/Patient/{patientId}/$everything")], entries, null) };
    }
}
