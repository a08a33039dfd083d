using System.Net;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using Pgo.Fhir.Audit;
using Pgo.Fhir.Search;
using Pgo.Fhir.Search.Indexing;
using Pgo.Fhir.Search.Query;
using Pgo.Fhir.Serialization;
using Pgo.Fhir.Storage;
using Pgo.Fhir.Messages;

namespace Pgo.Fhir.Rest;

/// <summary>
/// The FHIR R4 interactions (create, read, vread, update, delete, history, search, transaction,
/// $everything), independent of HTTP. Every method takes the request's <see cref="FhirContext"/>,
/// asks the <see cref="IAccessPolicy"/> once for the caller's scope, and passes that scope into the store.
/// </summary>
public sealed partial class FhirRepository(
    IFhirStore fhirStore,
    ISearchIndexer indexer,
    IAccessPolicy access,
    IEnumerable<IResourceRule> rules,
    FhirRepositoryOptions options,
    TimeProvider clock,
    AuditLog audit)
{
    // The resource side of the store is internal: the Api reads family data through this repository only, with the
    // caller's scope or as a named platform read (AsPlatform, FhirRepository.Platform.cs), audited either way.
    private readonly IResourceStore store = fhirStore.Resources;
    private readonly IResourceRule[] _rules = rules.ToArray();
    private readonly SearchParameterRegistry _registry = SearchParameterRegistry.Default;
    private readonly SearchParser _searchParser = new(SearchParameterRegistry.Default, options.Search, clock);

    /// <summary>The resource store, for this assembly's tests only (InternalsVisibleTo); hosts use <see cref="AsPlatform"/>.</summary>
    internal IResourceStore Store => store;
    public AuditLog Audit => audit;
    public IAccessPolicy Access => access;
    public FhirRepositoryOptions Options => options;

    // ---------------------------------------------------------------- read, vread

    public async Task<FhirResponse> ReadAsync(FhirContext ctx, string type, string id, CancellationToken ct = default)
    {
        AccessScope? scope = null;
        try
        {
            RequireType(type);
            RequireId(id);
            scope = await access.CompileAsync(ctx.Caller, ct);
            var stored = await store.ReadAsync(type, id, scope, ct) ?? throw NotFound(type, id);
            if (stored.Deleted) throw FhirException.Gone(Text.Format(FhirText.ResourceDeleted, type, id));
            AuditOne(ctx, scope, "read", 200, type, id, stored.Version);
            return FhirResponse.For(stored, HttpStatusCode.OK);
        }
        catch (FhirException e)
        {
            AuditOne(ctx, scope, "read", (int)e.Status, type, id, null);
            throw;
        }
    }

    public async Task<FhirResponse> VReadAsync(FhirContext ctx, string type, string id, string versionId, CancellationToken ct = default)
    {
        AccessScope? scope = null;
        try
        {
            RequireType(type);
            RequireId(id);
            if (!int.TryParse(versionId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version) || version < 1)
                throw NotFound(type, id);
            scope = await access.CompileAsync(ctx.Caller, ct);
            var stored = await store.ReadVersionAsync(type, id, version, scope, ct) ?? throw NotFound(type, id);
            if (stored.Deleted) throw FhirException.Gone(Text.Format(FhirText.VersionIsDeletion, type, id, version));
            AuditOne(ctx, scope, "vread", 200, type, id, stored.Version);
            return FhirResponse.For(stored, HttpStatusCode.OK);
        }
        catch (FhirException e)
        {
            AuditOne(ctx, scope, "vread", (int)e.Status, type, id, null);
            throw;
        }
    }

    // ---------------------------------------------------------------- create, update, delete

    /// <summary>POST [type]. With <paramref name="ifNoneExist"/> (a search query) the create is conditional.</summary>
    public async Task<FhirResponse> CreateAsync(FhirContext ctx, string type, Resource resource, string? ifNoneExist, CancellationToken ct = default)
    {
        AccessScope? scope = null;
        try
        {
            RequireType(type);
            RequireBodyType(type, resource);
            scope = await access.CompileAsync(ctx.Caller, ct);
            return await store.WriteAsync(session => CreateInSessionAsync(ctx, scope, session, resource, ifNoneExist, ct), ct);
        }
        catch (FhirException e)
        {
            AuditOne(ctx, scope, "create", (int)e.Status, type, resource.Id, null, resource);
            throw;
        }
    }

    /// <summary>
    /// A create under an id the server itself has just generated (a new GUID), for a host that must name something after the
    /// record before it is stored (a file's blob). Decided like POST; never reachable with a client's id (persons cannot create
    /// by PUT), and the id must be new: a clash fails on the primary key.
    /// </summary>
    public async Task<FhirResponse> CreateWithServerIdAsync(FhirContext ctx, Resource resource, CancellationToken ct = default)
    {
        AccessScope? scope = null;
        var type = resource.TypeName;
        try
        {
            RequireType(type);
            RequireId(resource.Id);
            scope = await access.CompileAsync(ctx.Caller, ct);
            return await store.WriteAsync(session => CreateWithIdInSessionAsync(ctx, scope, session, resource, ct), ct);
        }
        catch (FhirException e)
        {
            AuditOne(ctx, scope, "create", (int)e.Status, type, resource.Id, null, resource);
            throw;
        }
    }

    /// <summary>PUT [type]/[id]: update, or create with that id. <paramref name="ifMatch"/> is the ETag the client based its change on.</summary>
    public async Task<FhirResponse> UpdateAsync(FhirContext ctx, string type, string id, Resource resource, string? ifMatch, CancellationToken ct = default)
    {
        RequireType(type);
        RequireId(id);
        RequireBodyType(type, resource);
        if (resource.Id is null) throw FhirException.BadRequest(FhirText.PutBodyWithoutId);
        if (resource.Id != id) throw FhirException.BadRequest(Text.Format(FhirText.IdInBodyDiffersFromUrl, resource.Id, id));
        var expected = ParseIfMatch(ifMatch);
        AccessScope? scope = null;
        try
        {
            scope = await access.CompileAsync(ctx.Caller, ct);
            return await store.WriteAsync(session => UpdateInSessionAsync(ctx, scope, session, resource, expected, ct), ct);
        }
        catch (FhirException e)
        {
            AuditOne(ctx, scope, "update", (int)e.Status, type, id, null, resource);
            throw;
        }
    }

    /// <summary>PUT [type]?criteria: update the one match, create when there is none, 412 when there are several.</summary>
    public async Task<FhirResponse> ConditionalUpdateAsync(FhirContext ctx, string type, string criteria, Resource resource, CancellationToken ct = default)
    {
        RequireType(type);
        RequireBodyType(type, resource);
        var scope = await access.CompileAsync(ctx.Caller, ct);
        try
        {
            return await ConditionalUpdateInStoreAsync(ctx, type, criteria, resource, scope, ct);
        }
        catch (FhirException e)
        {
            AuditOne(ctx, scope, "update", (int)e.Status, type, resource.Id, null, resource);
            throw;
        }
    }

    private async Task<FhirResponse> ConditionalUpdateInStoreAsync(FhirContext ctx, string type, string criteria, Resource resource, AccessScope scope, CancellationToken ct)
    {
        return await store.WriteAsync(async session =>
        {
            var matches = await MatchInSessionAsync(ctx, scope, session, type, criteria);
            switch (matches.Count)
            {
                case 0:
                    if (resource.Id is not null) return await UpdateInSessionAsync(ctx, scope, session, resource, null, ct);
                    return await CreateInSessionAsync(ctx, scope, session, resource, null, ct);
                case 1:
                    if (resource.Id is not null && resource.Id != matches[0].Id)
                        throw FhirException.BadRequest(Text.Format(FhirText.IdInBodyDiffersFromMatch, resource.Id, matches[0].Id));
                    resource.Id = matches[0].Id;
                    return await UpdateInSessionAsync(ctx, scope, session, resource, null, ct);
                default:
                    throw FhirException.PreconditionFailed(Text.Format(FhirText.ConditionMatchesMany, criteria, type));
            }
        }, ct);
    }

    public async Task<FhirResponse> DeleteAsync(FhirContext ctx, string type, string id, string? ifMatch = null, CancellationToken ct = default)
    {
        RequireType(type);
        RequireId(id);
        var expected = ParseIfMatch(ifMatch);
        var scope = await access.CompileAsync(ctx.Caller, ct);
        try
        {
            return await store.WriteAsync(session => DeleteInSessionAsync(ctx, scope, session, type, id, expected, ct), ct);
        }
        catch (FhirException e)
        {
            AuditOne(ctx, scope, "delete", (int)e.Status, type, id, null);
            throw;
        }
    }

    /// <summary>DELETE [type]?criteria: deletes the one match; 412 when several match.</summary>
    public async Task<FhirResponse> ConditionalDeleteAsync(FhirContext ctx, string type, string criteria, CancellationToken ct = default)
    {
        RequireType(type);
        var scope = await access.CompileAsync(ctx.Caller, ct);
        try
        {
            return await store.WriteAsync(async session =>
            {
                var matches = await MatchInSessionAsync(ctx, scope, session, type, criteria);
                return matches.Count switch
                {
                    0 => new FhirResponse { Status = HttpStatusCode.NoContent },
                    1 => await DeleteInSessionAsync(ctx, scope, session, type, matches[0].Id, null, ct),
                    _ => throw FhirException.PreconditionFailed(Text.Format(FhirText.ConditionMatchesMany, criteria, type)),
                };
            }, ct);
        }
        catch (FhirException e)
        {
            AuditOne(ctx, scope, "delete", (int)e.Status, type, null, null);
            throw;
        }
    }

    internal async Task<FhirResponse> CreateInSessionAsync(FhirContext ctx, AccessScope scope, IWriteSession session, Resource resource, string? ifNoneExist, CancellationToken ct)
    {
        var type = resource.TypeName;
        if (!string.IsNullOrWhiteSpace(ifNoneExist))
        {
            var matches = await MatchInSessionAsync(ctx, scope, session, type, ifNoneExist);
            if (matches.Count == 1) return FhirResponse.For(matches[0], HttpStatusCode.OK, LocationOf(ctx, matches[0]));
            if (matches.Count > 1) throw FhirException.PreconditionFailed(Text.Format(FhirText.ConditionMatchesMany, ifNoneExist, type));
        }
        resource.Id = NewId();
        if (resource is Subscription subscription) PrepareSubscription(ctx.Caller, subscription, null);
        await access.CheckWriteAsync(ctx.Caller, scope, type, resource, null, ct);
        var stored = await StoreVersionAsync(ctx, scope, session, resource, current: null, expectedVersion: 0, "POST", isNewId: true);
        return FhirResponse.For(stored, HttpStatusCode.Created, LocationOf(ctx, stored));
    }

    internal async Task<FhirResponse> UpdateInSessionAsync(FhirContext ctx, AccessScope scope, IWriteSession session, Resource resource, int? expectedVersion, CancellationToken ct)
    {
        var type = resource.TypeName;
        var id = resource.Id;
        RequireId(id);
        var current = await session.ReadAsync(type, id);
        var exists = current is { Deleted: false };
        // Only the platform and system clients create with an id of their choosing (update-as-create). Anyone else gets the
        // same 404 as a read for an id that is missing, deleted or not visible to them: whether an id is taken is not theirs to learn.
        if (!MayCreateByPut(scope) && (!exists || !await VisibleInSessionAsync(scope, session, type, id)))
            throw NotFound(type, id);
        var currentResource = exists ? FhirJson.Parse(current!.Json) : null;
        if (resource is Subscription subscription) PrepareSubscription(ctx.Caller, subscription, currentResource);
        await access.CheckWriteAsync(ctx.Caller, scope, type, resource, currentResource, ct);
        // Only now the version: a 412 names the current version, which only someone who may see the resource learns.
        var currentVersion = current?.Version ?? 0;
        if (expectedVersion is { } expected && expected != currentVersion)
            throw FhirException.PreconditionFailed(Text.Format(FhirText.VersionConflict, type, id, expected, currentVersion));
        if (current is { Deleted: true }) await RequireSameDossierAsync(session, resource);
        var stored = await StoreVersionAsync(ctx, scope, session, resource, currentResource, currentVersion, "PUT");
        var created = current is null || current.Deleted;
        return FhirResponse.For(stored, created ? HttpStatusCode.Created : HttpStatusCode.OK, LocationOf(ctx, stored));
    }

    /// <summary>Whether the caller may create a resource by PUT with an id of its choosing: the platform and system clients.</summary>
    private static bool MayCreateByPut(AccessScope scope) => scope.IsUnrestricted || scope.AllPatients;

    /// <summary>Whether the current row of type/id is live and visible to <paramref name="scope"/>, seen from inside the write
    /// transaction with the same predicate as a read (so a PUT answers 404 exactly when a GET would).</summary>
    private static async Task<bool> VisibleInSessionAsync(AccessScope scope, IWriteSession session, string type, string id)
    {
        var bag = new SqlParameterBag();
        var sql = $"""
            SELECT r.res_type, r.res_id, r.version, r.last_updated, '' FROM resource r
            WHERE r.res_type = {bag.Add(type)} AND r.res_id = {bag.Add(id)} AND r.deleted = 0 AND {scope.Predicate("r", bag)}
            """;
        return (await session.QueryAsync(new SqlQuery(sql, bag.Values))).Count > 0;
    }

    /// <summary>
    /// An id used in one dossier is never used in another, deleted or not (invariant 4 of issue 13): writing a deleted id again
    /// (only the platform and system clients can) must keep exactly the Patient compartments of the deleted version, or the
    /// new dossier could claim, and its people read, the old history.
    /// </summary>
    private async System.Threading.Tasks.Task RequireSameDossierAsync(IWriteSession session, Resource resource)
    {
        var (_, before) = await session.PlaceAsync(resource.TypeName, resource.Id!);
        var now = indexer.Extract(resource).PatientCompartment;
        if (!before.ToHashSet(StringComparer.Ordinal).SetEquals(now))
            throw FhirException.Conflict(Text.Format(FhirText.IdUsedInOtherDossier, resource.TypeName, resource.Id));
    }

    internal async Task<FhirResponse> DeleteInSessionAsync(FhirContext ctx, AccessScope scope, IWriteSession session, string type, string id, int? expectedVersion, CancellationToken ct)
    {
        var current = await session.ReadAsync(type, id);
        if (current is null || current.Deleted)
        {
            // Deleting what is not there (or what the caller cannot see) succeeds without saying which it was.
            return new FhirResponse { Status = HttpStatusCode.NoContent };
        }
        var currentResource = FhirJson.Parse(current.Json);
        try
        {
            await access.CheckWriteAsync(ctx.Caller, scope, type, null, currentResource, ct);
        }
        catch (FhirException e) when (e.Status == HttpStatusCode.NotFound)
        {
            // Invisible to the caller: answer exactly as for a resource that does not exist (the refusal is audited).
            AuditOne(ctx, scope, "delete", 404, type, id, null);
            return new FhirResponse { Status = HttpStatusCode.NoContent };
        }
        var when = Now();
        var deleted = await session.DeleteAsync(type, id, when, expectedVersion, Note(ctx, type, "verwijderd"));
        if (deleted is not null && audit.Enabled)
        {
            var patients = SectionClassifier.IsDossierType(type) ? indexer.Extract(currentResource).PatientCompartment : [];
            await session.AppendAuditAsync(audit.ForWrite(ctx, scope, "delete", 204, type, id, deleted.Version, SectionClassifier.Classify(currentResource), patients, when));
        }
        return new FhirResponse { Status = HttpStatusCode.NoContent, ETag = deleted?.ETag };
    }

    private async Task<StoredResource> StoreVersionAsync(FhirContext ctx, AccessScope scope, IWriteSession session, Resource resource, Resource? current, int expectedVersion, string method, bool isNewId = false)
    {
        var now = Now();
        resource.Meta ??= new Meta();
        resource.Meta.VersionId = (expectedVersion + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        resource.Meta.LastUpdated = now;
        // Every write passes here (REST, bundles, the Api's own features): PostgreSQL cannot store a NUL in an index row,
        // and a FHIR string holds no control characters but tab, CR and LF.
        if (FhirElements.Texts(resource).FirstOrDefault(FhirJson.HasControlCharacter) is { } bad)
            throw FhirException.BadRequest(Text.Format(FhirText.ControlCharacterInResource, resource.TypeName, FhirJson.Printable(bad)));
        var index = indexer.Extract(resource);
        // One write holds the write lock for every other writer: bound what a family's record may cost (a 4 MB Patient
        // with 100,000 identifiers took 11 s and stalled everyone). Terminology and other directory resources, which
        // only the platform writes, may be larger (a ValueSet of the official examples has thousands of codes).
        if (index.RowCount > options.MaxIndexRowsPerResource && SectionClassifier.IsDossierType(resource.TypeName))
            throw FhirException.Unprocessable(Text.Format(FhirText.TooManySearchValues, resource.TypeName, index.RowCount, options.MaxIndexRowsPerResource));
        await CheckRulesAsync(ctx, session, resource, current, index);
        var json = FhirJson.Serialize(resource);
        var section = SectionClassifier.Classify(resource);
        var note = Note(ctx, resource.TypeName, current is null ? "toegevoegd" : "gewijzigd");
        var stored = await session.PutAsync(new ResourceWrite(resource.TypeName, resource.Id!, json, index, expectedVersion, now, method, section, isNewId, note));
        if (audit.Enabled)
        {
            var created = stored.Version == 1 || current is null;
            await session.AppendAuditAsync(audit.ForWrite(ctx, scope, created ? "create" : "update", created ? 201 : 200,
                stored.Type, stored.Id, stored.Version, section, index.PatientCompartment, now));
        }
        return stored;
    }

    // ---------------------------------------------------------------- history

    public async Task<FhirResponse> HistoryAsync(FhirContext ctx, string? type, string? id, IReadOnlyList<KeyValuePair<string, string>> query, CancellationToken ct = default)
    {
        if (type is not null) RequireType(type);
        if (id is not null) RequireId(id);
        DateTimeOffset? since = null;
        var count = options.DefaultPageSize;
        var offset = 0;
        foreach (var (key, value) in query)
        {
            switch (key)
            {
                case "_since":
                    since = DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var s)
                        ? s : throw FhirException.BadRequest(Text.Format(FhirText.SinceInvalid, value));
                    break;
                case "_count":
                    count = ParseNonNegative(key, value);
                    break;
                case "_offset":
                    offset = ParseNonNegative(key, value);
                    break;
                case "_format" or "_pretty":
                    break;
                default:
                    if (ctx.StrictHandling) throw FhirException.BadRequest(Text.Format(FhirText.HistoryParameterNotSupported, key));
                    break;
            }
        }
        count = Math.Clamp(count, 0, options.MaxPageSize);
        var scope = await access.CompileAsync(ctx.Caller, ct);
        // An instance's history exists for the caller when at least one of its versions is visible (each by its own place).
        if (type is not null && id is not null && await store.HistoryCountAsync(type, id, null, scope, ct) == 0)
        {
            AuditOne(ctx, scope, "history", 404, type, id, null);
            throw NotFound(type, id);
        }
        var entries = await store.HistoryAsync(type, id, since, count, offset, scope, ct);
        var total = await store.HistoryCountAsync(type, id, since, scope, ct);

        var path = type is null ? "_history" : id is null ? $"{type}/_history" : $"{type}/{id}/_history";
        string Link(int o) => $"{ctx.BaseUrl}/{path}?{(since is null ? "" : "_since=" + Uri.EscapeDataString(since.Value.ToString("o")) + "&")}_count={count}&_offset={o}";
        var links = new List<(string, string)> { ("self", Link(offset)) };
        if (offset + count < total) links.Add(("next", Link(offset + count)));
        if (offset > 0) links.Add(("previous", Link(Math.Max(0, offset - count))));

        var json = BundleWriter.History(Now(), ctx.BaseUrl, total, links, entries);
        AuditMany(ctx, scope, "history", entries.Select(e => (e.Resource.Type, e.Resource.Id, (int?)e.Resource.Version)), $"{path}?_count={count}&_offset={offset}");
        return new FhirResponse { Json = json };
    }

    // ---------------------------------------------------------------- helpers

    internal DateTimeOffset Now()
    {
        // Stored at millisecond precision; truncate so what we return equals what we store.
        var now = clock.GetUtcNow();
        return DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds());
    }

    private static string NewId() => Guid.NewGuid().ToString("D");

    /// <summary>Who changed what, for the change outbox (the real-time feed): the Person the caller acts as, else the client.</summary>
    private static ChangeNote Note(FhirContext ctx, string type, string verb) =>
        new(ctx.Caller.FhirUser ?? ctx.Caller.ClientId ?? ctx.Caller.Subject, $"{type} {verb}");

    internal static string LocationOf(FhirContext ctx, StoredResource stored) =>
        $"{ctx.BaseUrl}/{stored.Type}/{stored.Id}/_history/{stored.VersionId}";

    internal void RequireType(string type)
    {
        if (!_registry.IsKnownType(type)) throw FhirException.NotFound(Text.Format(FhirText.UnknownResourceType, type));
    }

    private static void RequireBodyType(string type, Resource resource)
    {
        if (resource.TypeName != type)
            throw FhirException.BadRequest(Text.Format(FhirText.BodyTypeDiffersFromUrl, resource.TypeName, type));
    }

    [GeneratedRegex("^[A-Za-z0-9\\-\\.]{1,64}$")]
    private static partial Regex IdPattern();

    internal static void RequireId([System.Diagnostics.CodeAnalysis.NotNull] string? id)
    {
        if (id is null || !IdPattern().IsMatch(id))
            throw FhirException.BadRequest(Text.Format(FhirText.InvalidId, id));
    }

    private static FhirException NotFound(string type, string id) => FhirException.NotFound(Text.Format(FhirText.ResourceNotFound, type, id));

    /// <summary>Accepts W/"3", "3" and 3.</summary>
    internal static int? ParseIfMatch(string? ifMatch)
    {
        if (string.IsNullOrWhiteSpace(ifMatch)) return null;
        var v = ifMatch.Trim();
        if (v.StartsWith("W/", StringComparison.Ordinal)) v = v[2..];
        v = v.Trim('"');
        return int.TryParse(v, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 0
            ? n
            : throw FhirException.BadRequest(Text.Format(FhirText.IfMatchInvalid, ifMatch));
    }

    private static int ParseNonNegative(string key, string value) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n : throw FhirException.BadRequest(Text.Format(FhirText.NumberInvalid, key, value));
}

/// <summary>Server limits and defaults.</summary>
public sealed class FhirRepositoryOptions
{
    /// <summary>Page size of history when no _count is given (searches use <see cref="Search"/>).</summary>
    public int DefaultPageSize { get; set; } = 20;
    public int MaxPageSize { get; set; } = 1000;
    public SearchOptions Search { get; set; } = SearchOptions.Default;
    /// <summary>Most search index rows one version of a dossier resource may write (identifiers, names, codes, ...); more
    /// is refused with 422 so that one write cannot hold up every other writer. Real dossier resources have fewer than a
    /// few hundred. Directory resources (terminology), written only by the platform, are bounded by the body size.</summary>
    public int MaxIndexRowsPerResource { get; set; } = 5000;
    /// <summary>Most resources one <c>$import</c> request may hold (docs/adr/0015-bulk-import.md): all of them are held in
    /// memory, parsed and indexed, until the one transaction commits.</summary>
    public int MaxImportResources { get; set; } = 100_000;
    /// <summary>Largest transaction or batch Bundle, in entries.</summary>
    public int MaxBundleEntries { get; set; } = 1000;
    /// <summary>Where rest-hook Subscriptions may post, read at every write and delivery (the Api passes its current configuration).</summary>
    public Func<RestHookOptions> RestHooks { get; set; } = () => new RestHookOptions { Restricted = true };
}

