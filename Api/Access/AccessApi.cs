using System.Globalization;
using System.Net;
using System.Text;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Pgo.Api.Errors;
using Pgo.Api.Fhir;
using Pgo.Api.Realtime;
using Pgo.Fhir;
using Pgo.Fhir.Access;
using Pgo.Fhir.Audit;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using Pgo.Shared.Text;

namespace Pgo.Api.Access;

/// <summary>
/// The task-shaped access API for the Portal: who has access to what, grant, limit, revoke, share packages,
/// hidden items, "wie heeft wat bekeken", and the turning-18 reminders. It asks nothing of its own: every change
/// is a Consent written through <see cref="FhirRepository"/>, so the same policy decides as on /fhir.
/// </summary>
public static class AccessApi
{
    public static IEndpointRouteBuilder MapAccessApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithApiErrors().WithTags("Toegang");
        api.MapGet("/dossiers/{patientId}/access", Overview);
        api.MapPost("/dossiers/{patientId}/access/grants", CreateGrant);
        api.MapPatch("/dossiers/{patientId}/access/grants/{grantId}", LimitGrant);
        api.MapDelete("/dossiers/{patientId}/access/grants/{grantId}", RevokeGrant);
        api.MapPost("/dossiers/{patientId}/access/share-packages", CreateSharePackage);
        api.MapPost("/dossiers/{patientId}/access/hidden-items", HideItem);
        api.MapDelete("/dossiers/{patientId}/access/hidden-items/{hideId}", UnhideItem);
        api.MapGet("/dossiers/{patientId}/audit", AuditTrail);
        api.MapGet("/access/reminders", Reminders);
        api.MapGet("/access/dossiers", MyDossiers);
        api.MapGet("/access/account", MyAccount);
        api.MapGet("/access/share-packages", SharedWithMe);
        api.MapSupporterChanges(); // stand-ins, a change of supporter, the list of access changes (issue 18)
        return app;
    }

    // ---------------------------------------------------------------- contracts

    public sealed record GrantRequest(string Actor, string Role, string[]? Sections, bool Read = true, bool Write = false, bool Manage = false,
        DateTimeOffset? From = null, DateTimeOffset? Until = null, bool AllowStandIn = false);

    public sealed record GrantChange(string[]? Sections, bool? Write, bool? Manage, DateTimeOffset? Until, bool? AllowStandIn = null);

    public sealed record SharePackageRequest(string Organization, string Purpose, DateTimeOffset Until, string[]? Items, string[]? Sections);

    public sealed record HiddenItemRequest(string Item, string HiddenFrom);

    public sealed record GrantView(string Id, string Kind, string Status, string[] Actors, string[] Roles, string[] Sections, string[] Actions,
        string[] Items, DateTimeOffset? From, DateTimeOffset? Until, bool AllowStandIn, string? Purpose, string? StandInFor, bool InForce);

    public sealed record AccessOverview(string PatientId, GrantView[] Grants, Dictionary<string, Dictionary<string, string>> People);

    // ---------------------------------------------------------------- handlers

    private static async Task<Ok<AccessOverview>> Overview(HttpContext http, FhirRepository repo, TimeProvider clock, string patientId)
    {
        await RequireAsync(http, repo, patientId, DossierOperation.ManageAccess);
        var grants = await ConsentsOfAsync(http, repo, patientId);
        var now = clock.GetUtcNow();
        var views = grants.Select(c => View(c, now)).ToArray();
        // People × sections: "r" read, "rw" read and write (item-only grants show "items").
        var people = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var g in views.Where(v => v.InForce && v.Kind is "grant" or "regie" or "share-package"))
        {
            foreach (var actor in g.Actors)
            {
                if (!people.TryGetValue(actor, out var row)) people[actor] = row = new(StringComparer.Ordinal);
                var access = g.Actions.Contains(PgoCodes.Action.Write) || g.Kind == "regie" ? "rw" : "r";
                if (g.Items.Length > 0) { row["items"] = string.Join(",", g.Items); continue; }
                foreach (var s in g.Kind == "regie" || g.Sections.Length == 0 ? PgoCodes.Section.Dossier.ToArray() : g.Sections)
                    row[s] = row.TryGetValue(s, out var had) && had == "rw" ? "rw" : access;
            }
        }
        return TypedResults.Ok(new AccessOverview(patientId, views, people));
    }

    private static async Task<Created<GrantView>> CreateGrant(HttpContext http, FhirRepository repo, string patientId, GrantRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Actor) || !request.Actor.Contains('/'))
            throw ApiProblem.BadRequest(ApiText.GrantActorInvalid);
        if (!PgoCodes.GrantRole.All.Contains(request.Role))
            throw ApiProblem.BadRequest(ApiProblem.Text(ApiText.ChooseOneOf, string.Join(", ", PgoCodes.GrantRole.All)));
        if (request.Sections?.FirstOrDefault(s => !PgoCodes.Section.IsKnown(s)) is { } unknown)
            throw ApiProblem.BadRequest(ApiProblem.Text(ApiText.SectionUnknown, unknown));
        var consent = request.Role == PgoCodes.GrantRole.Regiehouder
            ? Grants.Regie(null, patientId, [request.Actor])
            : Grants.Grant(null, patientId, request.Actor, request.Role, request.Sections, request.Write, request.Manage, request.From, request.Until, request.AllowStandIn);
        return Created(patientId, await WriteAsync(http, repo, c => repo.CreateAsync(FhirHttp.Context(http), "Consent", c, null, http.RequestAborted), consent));
    }

    private static async Task<Ok<GrantView>> LimitGrant(HttpContext http, FhirRepository repo, string patientId, string grantId, GrantChange change)
    {
        var consent = await ReadGrantAsync(http, repo, patientId, grantId);
        var p = consent.Provision ??= new Consent.provisionComponent();
        if (change.Sections is { } sections)
        {
            if (sections.FirstOrDefault(s => !PgoCodes.Section.IsKnown(s)) is { } unknown)
                throw ApiProblem.BadRequest(ApiProblem.Text(ApiText.SectionUnknown, unknown));
            p.Code = sections.Select(s => new CodeableConcept(PgoCodes.Section.System, s)).ToList();
        }
        if (change.Write is not null || change.Manage is not null)
        {
            var actions = p.Action.SelectMany(a => a.Coding).Select(PgoCodes.Action.FromCoding).OfType<string>().ToHashSet();
            if (change.Write is { } w) { if (w) actions.Add(PgoCodes.Action.Write); else actions.Remove(PgoCodes.Action.Write); }
            if (change.Manage is { } m) { if (m) actions.Add(PgoCodes.Action.Manage); else actions.Remove(PgoCodes.Action.Manage); }
            actions.Add(PgoCodes.Action.Read);
            p.Action = actions.Order().Select(a => new CodeableConcept(PgoCodes.Action.System, a)).ToList();
        }
        if (change.Until is { } until)
        {
            p.Period ??= new Period();
            p.Period.End = until.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture);
        }
        // "Invaller toestaan": the family allows (or no longer allows) a colleague to stand in on this grant.
        if (change.AllowStandIn is { } allow)
        {
            if (allow) consent.SetExtension(PgoCodes.Extensions.AllowStandIn, new FhirBoolean(true));
            else consent.RemoveExtension(PgoCodes.Extensions.AllowStandIn);
        }
        return TypedResults.Ok(await WriteAsync(http, repo, c => repo.UpdateAsync(FhirHttp.Context(http), "Consent", grantId, c, consent.Meta?.VersionId, http.RequestAborted), consent));
    }

    /// <summary>Revoking ends the grant now (status inactive, period end = now): the next request no longer sees it; the history keeps it.</summary>
    private static async Task<NoContent> RevokeGrant(HttpContext http, FhirRepository repo, TimeProvider clock, string patientId, string grantId)
    {
        var consent = await ReadGrantAsync(http, repo, patientId, grantId);
        consent.Status = Consent.ConsentState.Inactive;
        var p = consent.Provision ??= new Consent.provisionComponent();
        p.Period ??= new Period();
        p.Period.End = clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture);
        await WriteAsync(http, repo, c => repo.UpdateAsync(FhirHttp.Context(http), "Consent", grantId, c, consent.Meta?.VersionId, http.RequestAborted), consent);
        return TypedResults.NoContent();
    }

    private static async Task<Created<GrantView>> CreateSharePackage(HttpContext http, FhirRepository repo, TimeProvider clock, string patientId, SharePackageRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Organization) || !request.Organization.StartsWith("Organization/", StringComparison.Ordinal))
            throw ApiProblem.BadRequest(ApiText.SharePackageOrganization);
        if (string.IsNullOrWhiteSpace(request.Purpose))
            throw ApiProblem.BadRequest(ApiText.SharePackagePurpose);
        if (request.Until <= clock.GetUtcNow())
            throw new ApiProblem(StatusCodes.Status400BadRequest, ApiText.SharePackagePastEnd, ApiText.SharePackagePastEndTitle);
        if ((request.Items?.Length ?? 0) == 0 && (request.Sections?.Length ?? 0) == 0)
            throw ApiProblem.BadRequest(ApiText.SharePackageEmpty);
        var consent = Grants.SharePackage(null, patientId, request.Organization, request.Purpose, request.Until, request.Items, request.Sections, clock.GetUtcNow());
        return Created(patientId, await WriteAsync(http, repo, c => repo.CreateAsync(FhirHttp.Context(http), "Consent", c, null, http.RequestAborted), consent));
    }

    private static async Task<Created<GrantView>> HideItem(HttpContext http, FhirRepository repo, string patientId, HiddenItemRequest request)
    {
        if (request.Item?.Split('/') is not { Length: 2 } || request.HiddenFrom?.Split('/') is not { Length: 2 })
            throw ApiProblem.BadRequest(ApiText.HiddenItemInvalid);
        var consent = Grants.Hide(null, patientId, request.Item, request.HiddenFrom);
        return Created(patientId, await WriteAsync(http, repo, c => repo.CreateAsync(FhirHttp.Context(http), "Consent", c, null, http.RequestAborted), consent));
    }

    /// <summary>Undoes a hide: the deny Consent ends now (status inactive, period end = now), so the item shows again for
    /// the person it was hidden from; the history keeps it. Only whoever may manage access (the same rule as hiding), and
    /// only a hide of this dossier: a grant is revoked elsewhere. The update goes through the repository, so it is audited.</summary>
    private static async Task<NoContent> UnhideItem(HttpContext http, FhirRepository repo, TimeProvider clock, string patientId, string hideId)
    {
        await RequireAsync(http, repo, patientId, DossierOperation.ManageAccess);
        var consent = await ReadGrantAsync(http, repo, patientId, hideId);
        if (!ConsentGrant.Of(consent).IsDeny) throw ApiProblem.NotFound(ApiProblem.Text(ApiText.HiddenItemNotFound, hideId));
        consent.Status = Consent.ConsentState.Inactive;
        var p = consent.Provision ??= new Consent.provisionComponent();
        p.Period ??= new Period();
        p.Period.End = clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture);
        await WriteAsync(http, repo, c => repo.UpdateAsync(FhirHttp.Context(http), "Consent", hideId, c, consent.Meta?.VersionId, http.RequestAborted), consent);
        return TypedResults.NoContent();
    }

    /// <summary>"Wie heeft wat bekeken": the audit log of one dossier, for its regiehouders and whoever may manage access. ?format=csv exports it.</summary>
    private static async Task<Results<Ok<List<AuditRow>>, FileContentHttpResult>> AuditTrail(HttpContext http, FhirRepository repo, PersonNames people, string patientId, string? person, string? section,
        DateTimeOffset? from, DateTimeOffset? to, string? format)
    {
        await RequireAsync(http, repo, patientId, DossierOperation.ViewAuditTrail);
        await repo.Audit.FlushAsync(http.RequestAborted);
        var entries = await repo.Audit.ReadAsync(new AuditQuery(patientId, person, section, from, to, Limit: 5000), http.RequestAborted);
        // The family must see who looked ("wie"): the name of each account's Person, which no grant of the family shows.
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var who in entries.Select(e => e.Record.FhirUser).OfType<string>().Distinct(StringComparer.Ordinal).Take(200))
            if (await people.NameAsync(who, http.RequestAborted) is { } name) names[who] = name;
        var rows = entries.Select(e => new AuditRow(e.N, e.Record.Recorded, e.Record.FhirUser ?? e.Record.Subject, e.Record.Roles, e.Record.Organization,
            e.Record.Action, e.Record.ResourceType is null ? null : e.Record.ResourceId is null ? e.Record.ResourceType : $"{e.Record.ResourceType}/{e.Record.ResourceId}",
            e.Record.Version, e.Record.Section, e.Record.Outcome, e.Record.Status, e.Record.Grants, e.Record.ClientId, e.Record.Detail,
            e.Record.FhirUser is { } who ? names.GetValueOrDefault(who) : null)).ToList();
        if (string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase))
        {
            // For Dutch Excel: ';' between fields, a UTF-8 byte order mark (else é reads as Ã©), the family's own clock
            // (Europe/Amsterdam, no zone letters) and Dutch words; the technical values stay in their own columns.
            var zone = Pgo.Shared.Text.DutchTime.Amsterdam;
            var csv = new StringBuilder("nr;tijdstip;wie;rol;organisatie;handeling;record;versie;onderdeel;uitkomst;status;toestemming;app;details;verwijzing\n");
            foreach (var r in rows)
                csv.AppendLine(string.Join(";", new object?[] { r.N, TimeZoneInfo.ConvertTime(r.When, zone).ToString("dd-MM-yyyy HH:mm:ss", CultureInfo.InvariantCulture),
                    r.WhoName ?? r.Who, r.Roles, r.Organization, CsvAction(r.Action), r.Resource, r.Version, r.Section,
                    r.Status < 400 ? "gelukt" : "geweigerd", r.Status, r.Grants, r.App, r.Detail, r.Who }.Select(Csv)));
            byte[] body = [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(csv.ToString())];
            return TypedResults.File(body, "text/csv; charset=utf-8", $"wie-heeft-wat-bekeken-{patientId}.csv");
        }
        return TypedResults.Ok(rows);
    }

    public sealed record AuditRow(long N, DateTimeOffset When, string Who, string? Roles, string? Organization, string Action, string? Resource, int? Version,
        string? Section, string Outcome, int Status, string? Grants, string? App, string? Detail, string? WhoName = null);

    /// <param name="ReadSections">The sections the caller reads in full (toegang included for whoever manages access).</param>
    /// <param name="WriteSections">The sections the caller may write in.</param>
    /// <param name="Items">How many single items are shared with the caller outside those sections.</param>
    /// <param name="Manage">Same as <c>Operations</c> containing manage-access (kept for older clients).</param>
    /// <param name="Operations">The <see cref="DossierOperations"/> the caller may perform here, by name.</param>
    public sealed record DossierAccess(string PatientId, string Name, string[] ReadSections, string[] WriteSections, int Items, bool Manage, string[] Operations);

    /// <summary>
    /// The dossiers the caller has any grant on, with what they may do there: the Portal's list of "my dossiers". What
    /// may be done comes from <see cref="DossierOperations"/> and the compiled scope, so the Portal needs no rules of its own. A
    /// bondgenoot may not read the client's profile (Patient is in section profiel), yet must know whose dossier it is,
    /// so the name comes with the grant, as the invitation named it. Nothing else of the dossier is read here.
    /// </summary>
    /// <summary>What the caller may do before any dossier (start one, import one), decided by <see cref="DossierOperations"/>.</summary>
    private static Ok<AccountOperations> MyAccount(HttpContext http) =>
        TypedResults.Ok(new AccountOperations(DossierOperations.AllowedForAccount(FhirHttp.Caller(http))));

    private static async Task<Ok<List<DossierAccess>>> MyDossiers(HttpContext http, FhirRepository repo) => TypedResults.Ok(await DossiersOfCallerAsync(http, repo, await repo.Access.CompileAsync(FhirHttp.Caller(http), http.RequestAborted)));

    /// <summary>The caller's dossiers with names and operations: "my dossiers", and the rows of the caseload (Api/Caseload).</summary>
    internal static async Task<List<DossierAccess>> DossiersOfCallerAsync(HttpContext http, FhirRepository repo, AccessScope scope)
    {
        var list = new List<DossierAccess>();
        var patients = scope.Patients.Values.OrderBy(p => p.PatientId, StringComparer.Ordinal).ToList();
        // The client's name is read past the sections (a bondgenoot without "profiel" still needs to tell dossiers
        // apart): a platform read, logged in each family's trail with the caller's name and grants.
        var stored = await repo.AsPlatform(PlatformPurpose.PatientNames, FhirHttp.Context(http), scope)
            .ReadManyAsync(patients.Select(p => ("Patient", p.PatientId)).ToList(), http.RequestAborted);
        foreach (var (p, patient) in patients.Zip(stored))
        {
            if (patient is null || patient.Deleted) continue;
            var name = DisplayNames.Of(FhirJson.Parse<Patient>(patient.Json).Name) ?? p.PatientId;
            list.Add(new DossierAccess(p.PatientId, name, [.. p.ReadSections.Order()], [.. p.WriteSections.Order()],
                p.ReadItems.Count, DossierOperations.Allows(scope, p.PatientId, DossierOperation.ManageAccess), DossierOperations.Allowed(scope, p.PatientId)));
        }
        return list;
    }

    /// <summary>A share package as its organisation sees it. <paramref name="State"/>: open, verlopen (its end passed),
    /// ingetrokken (the family ended it), nog-niet (starts later). Items only while it is open.</summary>
    public sealed record SharedPackage(string Id, string PatientId, string Organization, string? Purpose, DateTimeOffset? From, DateTimeOffset? Until,
        string State, string[] Items, string[] Sections);

    /// <summary>
    /// "What was shared with us, for which purpose, until when": the share packages naming an organisation the caller
    /// acts for, newest end first, also those that ended (so the agency sees that one has expired, not just that it is gone).
    /// Only the caller's own grants are listed; what their items show is decided per request by the policy, as everywhere.
    /// </summary>
    private static async Task<Ok<List<SharedPackage>>> SharedWithMe(HttpContext http, FhirRepository repo, TimeProvider clock)
    {
        if (repo.Access is not ConsentAccessPolicy policy) return TypedResults.Ok(new List<SharedPackage>());
        var caller = FhirHttp.Caller(http);
        var now = clock.GetUtcNow();
        var packages = await policy.SharePackagesOfAsync(caller, http.RequestAborted);
        var scope = await repo.Access.CompileAsync(caller, http.RequestAborted);
        var list = packages.OrderByDescending(g => g.InForce(now)).ThenByDescending(g => g.Until ?? DateTimeOffset.MaxValue).Select(g =>
        {
            var state = g.InForce(now) ? "open" : !g.Active ? "ingetrokken" : g.From > now ? "nog-niet" : "verlopen";
            return new SharedPackage(g.Id, g.PatientId!, g.Actors.First(a => a.Roles.Contains(PgoCodes.GrantRole.Instantie)).Reference, g.Purpose, g.From, g.Until, state,
                state == "open" ? (g.Items ?? new HashSet<(string, string)>()).Select(i => $"{i.Type}/{i.Id}").Order(StringComparer.Ordinal).ToArray() : [],
                state == "open" ? (g.Sections ?? new HashSet<string>()).Order(StringComparer.Ordinal).ToArray() : []);
        }).ToList();
        // The packages are Consents in the family's dossier (section toegang): reading them is logged in the family's trail.
        foreach (var p in list)
            await repo.RecordAsync(FhirHttp.Context(http), "read-share-package", 200, "Consent", p.Id, scope: scope, ct: http.RequestAborted);
        return TypedResults.Ok(list);
    }

    public sealed record Reminder(string PatientId, DateOnly BirthDate, DateOnly TurnsEighteen, string Message);

    /// <summary>The dossiers the caller manages whose transition track asks for a choice now (the age steps of
    /// Api/Regie: from the start age until a choice for after 18 is recorded, and after 18 while regie is "voorlopig").</summary>
    private static async Task<Ok<Reminder[]>> Reminders(HttpContext http, FhirRepository repo, TimeProvider clock,
        Microsoft.Extensions.Options.IOptions<Pgo.Api.Regie.TransitionOptions> transition) =>
        TypedResults.Ok(await Pgo.Api.Regie.RegieApi.RemindersAsync(http, repo, clock.GetUtcNow(), transition.Value.StartAge));

    // ---------------------------------------------------------------- helpers

    /// <summary>404 when the caller sees nothing of the dossier, 403 when it sees some but <see cref="DossierOperations"/> refuses the operation.</summary>
    internal static async System.Threading.Tasks.Task RequireAsync(HttpContext http, FhirRepository repo, string patientId, DossierOperation operation)
    {
        var scope = await repo.Access.CompileAsync(FhirHttp.Caller(http), http.RequestAborted);
        if (DossierOperations.Allows(scope, patientId, operation)) return;
        throw DossierOperations.Allows(scope, patientId, DossierOperation.ReadOverview)
            ? ApiProblem.Forbidden(DossierOperations.Refusal(operation))
            : ApiProblem.DossierNotFound(patientId);
    }

    private static async Task<List<Consent>> ConsentsOfAsync(HttpContext http, FhirRepository repo, string patientId)
    {
        var response = await repo.SearchAsync(FhirHttp.Context(http), "Consent", [new("patient", $"Patient/{patientId}"), new("_count", "1000")], http.RequestAborted);
        var bundle = FhirJson.Parse<Bundle>(response.Json!);
        return bundle.Entry.Select(e => e.Resource).OfType<Consent>().ToList();
    }

    /// <summary>The grant as the caller may read it (the FHIR engine's 404/403 pass through the error path); one of
    /// another dossier is "not found" here.</summary>
    internal static async Task<Consent> ReadGrantAsync(HttpContext http, FhirRepository repo, string patientId, string grantId)
    {
        var response = await repo.ReadAsync(FhirHttp.Context(http), "Consent", grantId, http.RequestAborted);
        var consent = FhirJson.Parse<Consent>(response.Stored!.Json);
        if (consent.Patient?.Reference != $"Patient/{patientId}") throw ApiProblem.NotFound(ApiProblem.Text(ApiText.GrantNotInDossier, grantId));
        return consent;
    }

    /// <summary>Writes the Consent through the repository (the same policy as on /fhir decides; its refusals pass through the error path).</summary>
    internal static async Task<GrantView> WriteAsync(HttpContext http, FhirRepository repo, Func<Consent, Task<FhirResponse>> write, Consent consent)
    {
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        consent.DateTime ??= now.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture); // when it was given
        var response = await write(consent);
        return View(FhirJson.Parse<Consent>(response.Stored!.Json), now);
    }

    internal static Created<GrantView> Created(string patientId, GrantView view) =>
        TypedResults.Created($"/api/dossiers/{patientId}/access/grants/{view.Id}", view);

    internal static GrantView View(Consent c, DateTimeOffset now)
    {
        var g = ConsentGrant.Of(c);
        var roles = g.Actors.SelectMany(a => a.Roles).Distinct().ToArray();
        var kind = g.IsResearch ? "research"
            : g.IsDeny ? "hidden-item"
            : roles.Contains(PgoCodes.GrantRole.Regiehouder) ? "regie"
            : g.SourceConsentId is not null ? "stand-in"
            : roles.Contains(PgoCodes.GrantRole.Instantie) ? "share-package"
            : "grant";
        return new GrantView(c.Id ?? "", kind, c.Status?.ToString().ToLowerInvariant() ?? "", g.Actors.Select(a => a.Reference).ToArray(), roles,
            (g.Sections ?? new HashSet<string>()).Order().ToArray(), g.Actions.Order().ToArray(),
            (g.Items ?? new HashSet<(string, string)>()).Select(i => $"{i.Item1}/{i.Item2}").Order().ToArray(),
            g.From, g.Until, g.AllowStandIn, c.GetStringExtension(PgoCodes.Extensions.Purpose), g.SourceConsentId, g.InForce(now));
    }

    /// <summary>The audit action in Dutch for the CSV ("bekeek", "wijzigde"); an unknown one keeps its code.</summary>
    private static string CsvAction(string action) => action switch
    {
        "read" or "vread" => "bekeek",
        "search" => "zocht",
        "create" => "maakte",
        "update" => "wijzigde",
        "delete" => "verwijderde",
        "download" => "downloadde",
        "upload" => "voegde toe",
        "export" => "exporteerde",
        "import" => "importeerde",
        "read-share-package" => "bekeek het deelpakket",
        "platform-read" => "werk van het platform",
        _ when action.StartsWith("history", StringComparison.Ordinal) => "bekeek de geschiedenis",
        _ => action,
    };

    private static string Csv(object? value)
    {
        var s = value switch { null => "", IFormattable f => f.ToString(null, CultureInfo.InvariantCulture), _ => value.ToString() ?? "" };
        return s.IndexOfAny([';', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
    }
}

/// <summary>GET /api/access/account: the operations of the account itself (start-dossier, import-dossier).</summary>
public sealed record AccountOperations(IReadOnlyList<string> Operations);
