using System.Net;
using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using Pgo.Fhir.Search.Query;
using Pgo.Fhir.Serialization;
using Pgo.Fhir.Storage;
using Pgo.Fhir.Messages;

namespace Pgo.Fhir.Rest;

// transaction and batch Bundles (FHIR R4 3.1.0.11).
public sealed partial class FhirRepository
{
    /// <summary>
    /// POST [base] with a transaction or batch Bundle. A transaction runs in one database transaction:
    /// a failing entry rolls back every entry and the whole request fails. Batch entries are independent.
    /// </summary>
    public async Task<FhirResponse> ProcessBundleAsync(FhirContext ctx, Bundle bundle, CancellationToken ct = default)
    {
        if (bundle.Type is not (Bundle.BundleType.Transaction or Bundle.BundleType.Batch))
            throw FhirException.BadRequest(FhirText.BundleTypeNotAllowed);
        if (bundle.Entry.Count > options.MaxBundleEntries)
            throw FhirException.BadRequest(Text.Format(FhirText.BundleTooManyEntries, bundle.Entry.Count, options.MaxBundleEntries));
        var entries = bundle.Entry.Select((e, i) => ParseEntry(ctx, e, i)).ToList();
        var scope = await access.CompileAsync(ctx.Caller, ct);
        ctx = ctx with { Via = bundle.Type == Bundle.BundleType.Batch ? "batch" : "transaction" };

        if (bundle.Type == Bundle.BundleType.Batch)
        {
            var results = new BundleEntry[entries.Count];
            for (var i = 0; i < entries.Count; i++)
            {
                try
                {
                    var entry = entries[i];
                    results[i] = entry.Method == Bundle.HTTPVerb.GET
                        ? await ExecuteReadEntryAsync(ctx, entry, ct)
                        : await store.WriteAsync(session => ExecuteWriteEntryAsync(ctx, scope, session, entry, new Dictionary<string, string>(), ct), ct);
                }
                catch (FhirException e)
                {
                    if (entries[i].Method != Bundle.HTTPVerb.GET) AuditOne(ctx, scope, ActionOf(entries[i].Method), (int)e.Status, entries[i].Type, entries[i].Id ?? entries[i].Resource?.Id, null, entries[i].Resource);
                    results[i] = ErrorEntry(e);
                }
            }
            return new FhirResponse { Json = BundleWriter.Write(Now(), "batch-response", null, [], results, null) };
        }

        var responses = await store.WriteAsync(async session =>
        {
            var map = await AssignIdsAsync(ctx, scope, session, entries);
            foreach (var entry in entries) await ResolveReferencesAsync(ctx, scope, session, entry, map);
            var results = new BundleEntry[entries.Count];
            // Processing order required by the spec: DELETE, POST, PUT/PATCH, then GET.
            foreach (var entry in entries.OrderBy(e => OrderOf(e.Method)).ThenBy(e => e.Index))
            {
                try
                {
                    results[entry.Index] = entry.Method == Bundle.HTTPVerb.GET
                        ? await ExecuteReadEntryAsync(ctx, entry, ct)
                        : await ExecuteWriteEntryAsync(ctx, scope, session, entry, map, ct);
                }
                catch (FhirException e)
                {
                    if (entry.Method != Bundle.HTTPVerb.GET) AuditOne(ctx, scope, ActionOf(entry.Method), (int)e.Status, entry.Type, entry.Id ?? entry.Resource?.Id, null, entry.Resource);
                    throw new FhirException(e.Status, e.Code, Text.Format(FhirText.TransactionEntryFailed, entry.Index, entry.Method, entry.Url, e.Message));
                }
            }
            return results;
        }, ct);
        return new FhirResponse { Json = BundleWriter.Write(Now(), "transaction-response", null, [], responses, null) };
    }

    private sealed record ParsedEntry(int Index, Bundle.HTTPVerb Method, string Url, string Type, string? Id, string? Query, string? FullUrl, Resource? Resource, string? IfMatch, string? IfNoneExist);

    private ParsedEntry ParseEntry(FhirContext ctx, Bundle.EntryComponent e, int index)
    {
        if (e.Request?.Method is not { } method || string.IsNullOrWhiteSpace(e.Request.Url))
            throw FhirException.BadRequest(Text.Format(FhirText.EntryWithoutRequest, index));
        var url = e.Request.Url.Trim();
        if (url.StartsWith(ctx.BaseUrl + "/", StringComparison.Ordinal)) url = url[(ctx.BaseUrl.Length + 1)..];
        string? query = null;
        var q = url.IndexOf('?');
        if (q >= 0) { query = url[(q + 1)..]; url = url[..q]; }
        var parts = url.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw FhirException.BadRequest(Text.Format(FhirText.EntryUrlNamesNoType, index, e.Request.Url));
        var type = parts[0];
        RequireType(type);
        var id = parts.Length > 1 ? parts[1] : null;
        if (id is not null) RequireId(id);
        if (method is Bundle.HTTPVerb.POST or Bundle.HTTPVerb.PUT)
        {
            if (e.Resource is null) throw FhirException.BadRequest(Text.Format(FhirText.EntryWithoutResource, index, method));
            if (e.Resource.TypeName != type) throw FhirException.BadRequest(Text.Format(FhirText.EntryTypeDiffersFromUrl, index, e.Resource.TypeName, type));
        }
        if (method == Bundle.HTTPVerb.PATCH) throw FhirException.NotSupported(Text.Format(FhirText.EntryPatchNotSupported, index));
        if (method == Bundle.HTTPVerb.PUT && id is null && query is null) throw FhirException.BadRequest(Text.Format(FhirText.EntryPutNeedsTarget, index));
        if (method == Bundle.HTTPVerb.DELETE && id is null && query is null) throw FhirException.BadRequest(Text.Format(FhirText.EntryDeleteNeedsTarget, index));
        return new ParsedEntry(index, method, e.Request.Url, type, id, query, e.FullUrl, e.Resource, e.Request.IfMatch, e.Request.IfNoneExist);
    }

    private static string ActionOf(Bundle.HTTPVerb method) => method switch
    {
        Bundle.HTTPVerb.POST => "create",
        Bundle.HTTPVerb.PUT => "update",
        Bundle.HTTPVerb.DELETE => "delete",
        _ => "read",
    };

    private static int OrderOf(Bundle.HTTPVerb method) => method switch
    {
        Bundle.HTTPVerb.DELETE => 0,
        Bundle.HTTPVerb.POST => 1,
        Bundle.HTTPVerb.PUT or Bundle.HTTPVerb.PATCH => 2,
        _ => 3,
    };

    /// <summary>Gives every POST entry its id up front (or the id of the existing match of a conditional create),
    /// so that references between entries (fullUrl urn:uuid:...) can be rewritten before anything is stored.</summary>
    private async Task<Dictionary<string, string>> AssignIdsAsync(FhirContext ctx, AccessScope scope, IWriteSession session, List<ParsedEntry> entries)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries.Where(e => e.Method == Bundle.HTTPVerb.POST))
        {
            string id;
            if (!string.IsNullOrWhiteSpace(entry.IfNoneExist))
            {
                var matches = await MatchInSessionAsync(ctx, scope, session, entry.Type, entry.IfNoneExist);
                if (matches.Count > 1) throw FhirException.PreconditionFailed(Text.Format(FhirText.EntryConditionMatchesMany, entry.Index, entry.IfNoneExist, entry.Type));
                id = matches.Count == 1 ? matches[0].Id : NewId();
                if (matches.Count == 1) entry.Resource!.Id = null; // marks: nothing to create
                else entry.Resource!.Id = id;
            }
            else
            {
                id = NewId();
                entry.Resource!.Id = id;
            }
            if (entry.FullUrl is not null)
            {
                if (map.ContainsKey(entry.FullUrl)) throw FhirException.BadRequest(Text.Format(FhirText.EntryFullUrlTwice, entry.Index, entry.FullUrl));
                map[entry.FullUrl] = $"{entry.Type}/{id}";
            }
        }
        foreach (var entry in entries.Where(e => e.Method == Bundle.HTTPVerb.PUT && e.Id is not null && e.FullUrl is not null))
            map.TryAdd(entry.FullUrl!, $"{entry.Type}/{entry.Id}");
        return map;
    }

    /// <summary>Rewrites references to other entries (urn:uuid / fullUrl) and conditional references (Type?query).</summary>
    private async System.Threading.Tasks.Task ResolveReferencesAsync(FhirContext ctx, AccessScope scope, IWriteSession session, ParsedEntry entry, Dictionary<string, string> map)
    {
        if (entry.Resource is null) return;
        foreach (var node in FhirElements.Descendants(entry.Resource))
        {
            switch (node)
            {
                case ResourceReference { Reference: { } r } reference:
                    if (map.TryGetValue(r, out var local)) reference.Reference = local;
                    else if (r.StartsWith("urn:uuid:", StringComparison.Ordinal) || r.StartsWith("urn:oid:", StringComparison.Ordinal))
                        throw FhirException.BadRequest(Text.Format(FhirText.EntryReferenceUnresolved, entry.Index, r));
                    else if (r.Contains('?', StringComparison.Ordinal) && !r.Contains("://", StringComparison.Ordinal))
                    {
                        var q = r.IndexOf('?');
                        var type = r[..q];
                        RequireType(type);
                        var matches = await MatchInSessionAsync(ctx, scope, session, type, r[(q + 1)..]);
                        if (matches.Count != 1)
                            throw FhirException.PreconditionFailed(Text.Format(FhirText.EntryConditionalReferenceNotOne, entry.Index, r, matches.Count));
                        reference.Reference = $"{type}/{matches[0].Id}";
                    }
                    break;
                case FhirUri { Value: { } u } uri when map.TryGetValue(u, out var mapped):
                    uri.Value = mapped;
                    break;
            }
        }
    }

    private async Task<BundleEntry> ExecuteWriteEntryAsync(FhirContext ctx, AccessScope scope, IWriteSession session, ParsedEntry entry, Dictionary<string, string> map, CancellationToken ct)
    {
        FhirResponse response;
        switch (entry.Method)
        {
            case Bundle.HTTPVerb.POST:
                if (entry.Resource!.Id is null && !string.IsNullOrWhiteSpace(entry.IfNoneExist))
                {
                    // Conditional create that matched: report the existing resource.
                    var matches = await MatchInSessionAsync(ctx, scope, session, entry.Type, entry.IfNoneExist);
                    response = FhirResponse.For(matches[0], HttpStatusCode.OK, LocationOf(ctx, matches[0]));
                    break;
                }
                if (entry.Resource.Id is null) entry.Resource.Id = NewId();
                response = await CreateWithIdInSessionAsync(ctx, scope, session, entry.Resource, ct);
                break;
            case Bundle.HTTPVerb.PUT when entry.Id is not null:
                if (entry.Resource!.Id is not null && entry.Resource.Id != entry.Id)
                    throw FhirException.BadRequest(Text.Format(FhirText.IdInResourceDiffersFromUrl, entry.Resource.Id, entry.Id));
                entry.Resource.Id = entry.Id;
                response = await UpdateInSessionAsync(ctx, scope, session, entry.Resource, ParseIfMatch(entry.IfMatch), ct);
                break;
            case Bundle.HTTPVerb.PUT:
                {
                    var matches = await MatchInSessionAsync(ctx, scope, session, entry.Type, entry.Query!);
                    if (matches.Count > 1) throw FhirException.PreconditionFailed(Text.Format(FhirText.ConditionMatchesMany, entry.Query, entry.Type));
                    if (matches.Count == 1)
                    {
                        if (entry.Resource!.Id is not null && entry.Resource.Id != matches[0].Id)
                            throw FhirException.BadRequest(Text.Format(FhirText.IdInResourceDiffersFromMatch, entry.Resource.Id, matches[0].Id));
                        entry.Resource.Id = matches[0].Id;
                    }
                    // No match and no id: a create with a new id (anyone who may create); no match with an id: an update-as-create,
                    // which only the platform and system clients may do (UpdateInSessionAsync answers 404 to others).
                    response = entry.Resource!.Id is null
                        ? await CreateInSessionAsync(ctx, scope, session, entry.Resource, null, ct)
                        : await UpdateInSessionAsync(ctx, scope, session, entry.Resource, null, ct);
                    break;
                }
            case Bundle.HTTPVerb.DELETE when entry.Id is not null:
                response = await DeleteInSessionAsync(ctx, scope, session, entry.Type, entry.Id, ParseIfMatch(entry.IfMatch), ct);
                break;
            case Bundle.HTTPVerb.DELETE:
                {
                    var matches = await MatchInSessionAsync(ctx, scope, session, entry.Type, entry.Query!);
                    if (matches.Count > 1) throw FhirException.PreconditionFailed(Text.Format(FhirText.ConditionMatchesMany, entry.Query, entry.Type));
                    response = matches.Count == 0
                        ? new FhirResponse { Status = HttpStatusCode.NoContent }
                        : await DeleteInSessionAsync(ctx, scope, session, entry.Type, matches[0].Id, null, ct);
                    break;
                }
            default:
                throw FhirException.NotSupported(Text.Format(FhirText.MethodNotSupportedInBundle, entry.Method));
        }
        return ToEntry(ctx, response);
    }

    /// <summary>Create with an id assigned earlier (transaction entries are referenced before they are stored).</summary>
    private async Task<FhirResponse> CreateWithIdInSessionAsync(FhirContext ctx, AccessScope scope, IWriteSession session, Resource resource, CancellationToken ct)
    {
        await access.CheckWriteAsync(ctx.Caller, scope, resource.TypeName, resource, null, ct);
        var stored = await StoreVersionAsync(ctx, scope, session, resource, current: null, expectedVersion: 0, "POST", isNewId: true);
        return FhirResponse.For(stored, HttpStatusCode.Created, LocationOf(ctx, stored));
    }

    private async Task<BundleEntry> ExecuteReadEntryAsync(FhirContext ctx, ParsedEntry entry, CancellationToken ct)
    {
        FhirResponse response;
        var parts = entry.Url.Split('?')[0].Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (entry.Id is null)
            response = await SearchAsync(ctx, entry.Type, QueryString.Parse(entry.Query), ct);
        else if (parts.Length >= 4 && parts[2] == "_history")
            response = await VReadAsync(ctx, entry.Type, entry.Id, parts[3], ct);
        else
            response = await ReadAsync(ctx, entry.Type, entry.Id, ct);
        return ToEntry(ctx, response);
    }

    private static BundleEntry ToEntry(FhirContext ctx, FhirResponse r)
    {
        var json = r.Stored is { Deleted: false } s ? s.Json : r.Json ?? (r.Resource is null ? null : FhirJson.Serialize(r.Resource));
        var fullUrl = r.Stored is { } st ? $"{ctx.BaseUrl}/{st.Type}/{st.Id}" : null;
        return new BundleEntry(fullUrl, json,
            ResponseStatus: StatusText(r.Status),
            ResponseLocation: r.Location,
            ResponseEtag: r.ETag,
            ResponseLastModified: r.LastModified);
    }

    private static BundleEntry ErrorEntry(FhirException e) => new(null, null,
        ResponseStatus: StatusText(e.Status),
        ResponseOutcomeJson: FhirJson.Serialize(Outcomes.From(e)));

    private static string StatusText(HttpStatusCode status) => $"{(int)status} {status switch
    {
        HttpStatusCode.OK => "OK",
        HttpStatusCode.Created => "Created",
        HttpStatusCode.NoContent => "No Content",
        HttpStatusCode.BadRequest => "Bad Request",
        HttpStatusCode.NotFound => "Not Found",
        HttpStatusCode.Gone => "Gone",
        HttpStatusCode.Conflict => "Conflict",
        HttpStatusCode.PreconditionFailed => "Precondition Failed",
        HttpStatusCode.UnprocessableEntity => "Unprocessable Entity",
        HttpStatusCode.Forbidden => "Forbidden",
        _ => status.ToString(),
    }}";
}
