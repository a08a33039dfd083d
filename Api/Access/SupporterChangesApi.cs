using System.Globalization;
using System.Text;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Pgo.Api.Errors;
using Pgo.Api.Fhir;
using Pgo.Api.Realtime;
using Pgo.Api.TeamSpace;
using Pgo.Api.TeamSpace.Teams;
using Pgo.Fhir;
using Pgo.Fhir.Access;
using Pgo.Fhir.Audit;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using Pgo.Fhir.Storage;
using Pgo.Shared.Contracts;
using GrantView = Pgo.Api.Access.AccessApi.GrantView;
using Pgo.Shared.Text;
using static Pgo.Api.Access.AccessApi;

namespace Pgo.Api.Access;

/// <summary>
/// Stand-ins, a change of supporter and what changed in access (issue 18), next to <see cref="AccessApi"/>. Every
/// decision is Fhir/Access's: a person's Consent is written through <see cref="FhirRepository"/> as the caller (so
/// <see cref="WriteDecision"/> decides, the stand-in's team included); a team coach, who holds no grant in the dossier,
/// names a stand-in through a platform write only after <see cref="SupporterRules.CoachMayNameStandIn"/> allowed it from
/// the team space's membership and the FHIR organisations (<see cref="ConsentAccessPolicy.SameTeamAsync"/>).
/// </summary>
public static class SupporterChangesApi
{
    private const string Fmt = "yyyy-MM-ddTHH:mm:ssK";

    public static RouteGroupBuilder MapSupporterChanges(this RouteGroupBuilder api)
    {
        api.MapPost("/dossiers/{patientId}/access/stand-ins", NameStandIn);
        api.MapDelete("/dossiers/{patientId}/access/stand-ins/{consentId}", StopStandIn);
        api.MapGet("/stand-ins", StandInsOfMyTeams);
        api.MapGet("/dossiers/{patientId}/access/grants/{grantId}/colleagues", Colleagues);
        api.MapPost("/dossiers/{patientId}/access/grants/{grantId}/transfer", Transfer);
        api.MapGet("/dossiers/{patientId}/access/changes", Changes);
        return api;
    }

    // ---------------------------------------------------------------- stand-ins

    /// <summary>
    /// Names a colleague as stand-in on a supporter's grant for a period. Whoever manages access writes the Consent as
    /// themselves (the write side checks the dossier and the team: 422); the coach of a team in which the supporter is a
    /// member has it written by the platform after the same checks. Anyone else: 404 (or 403 when they see the dossier).
    /// </summary>
    private static async Task<Created<GrantView>> NameStandIn(HttpContext http, FhirRepository repo, TeamDirectory teams, TimeProvider clock,
        string patientId, StandInRequest request)
    {
        if (request.Colleague?.Split('/') is not ["Practitioner", { Length: > 0 }]) throw ApiProblem.BadRequest(ApiText.StandInColleagueInvalid);
        if (string.IsNullOrWhiteSpace(request.GrantId)) throw ApiProblem.BadRequest(ApiText.StandInGrantMissing);
        var now = clock.GetUtcNow();
        var caller = FhirHttp.Caller(http);
        var scope = await repo.Access.CompileAsync(caller, http.RequestAborted);
        var consent = Grants.StandIn(null, patientId, request.GrantId, request.Colleague, request.From, request.Until);

        if (DossierOperations.Allows(scope, patientId, DossierOperation.ManageAccess))
        {
            var source = ConsentGrant.Of(await ReadGrantAsync(http, repo, patientId, request.GrantId));
            Refuse(SupporterRules.StandInOn(source, request.From, request.Until, now));
            return Created(patientId, await WriteAsync(http, repo, c => repo.CreateAsync(FhirHttp.Context(http), "Consent", c, null, http.RequestAborted), consent));
        }

        // The coach's path: the grant is read by the platform (the coach holds none), then decided in Fhir/Access.
        var ctx = FhirHttp.Context(http);
        var stored = await repo.AsPlatform(PlatformPurpose.StandIns, ctx, scope).ReadAsync<Consent>(request.GrantId, http.RequestAborted);
        var grant = stored is null ? null : ConsentGrant.Of(stored);
        var sees = DossierOperations.Allows(scope, patientId, DossierOperation.ReadOverview);
        if (grant is null || grant.PatientId != patientId) throw NotHere(sees, patientId);
        var supporters = SupporterRules.Supporters(grant);
        var coach = await CoachesAnyOfAsync(http, repo, teams, scope, supporters);
        var sameTeam = repo.Access is ConsentAccessPolicy policy && await policy.SameTeamAsync([request.Colleague], supporters, http.RequestAborted);
        switch (SupporterRules.CoachMayNameStandIn(coach, sameTeam, grant, request.From, request.Until, now))
        {
            case null: throw NotHere(sees, patientId);
            case var refusal: Refuse(refusal.Value); break;
        }
        consent.DateTime = now.ToString(Fmt, CultureInfo.InvariantCulture);
        if (caller.FhirUser is { } who) consent.Performer = [new ResourceReference(who)];
        // On the coach's behalf: unrestricted (the decision above is the rule), the coach's account in the audit log.
        var onBehalf = new FhirContext(new CallerContext(caller.Subject, caller.FhirUser, [], IsSystem: true, caller.ClientId, caller.Roles), ctx.BaseUrl)
            { RequestId = http.TraceIdentifier };
        var created = await repo.CreateAsync(onBehalf, "Consent", consent, null, http.RequestAborted);
        return Created(patientId, View(FhirJson.Parse<Consent>(created.Stored!.Json), now));
    }

    /// <summary>
    /// Stops a stand-in now (inactive, period end now; the history keeps it). Whoever manages access ends it as themselves
    /// (the write side decides, as for any revoke); the coach of the supporter's team, who holds no grant, has the platform
    /// end it after <see cref="SupporterRules.CoachMayStopStandIn"/>. Anyone else: 404 (or 403 when they see the dossier).
    /// </summary>
    private static async Task<NoContent> StopStandIn(HttpContext http, FhirRepository repo, TeamDirectory teams, TimeProvider clock, string patientId, string consentId)
    {
        var now = clock.GetUtcNow();
        var caller = FhirHttp.Caller(http);
        var scope = await repo.Access.CompileAsync(caller, http.RequestAborted);
        var ctx = FhirHttp.Context(http);
        Consent consent;
        FhirContext writer;
        if (DossierOperations.Allows(scope, patientId, DossierOperation.ManageAccess))
        {
            consent = await ReadGrantAsync(http, repo, patientId, consentId);
            if (!SupporterRules.IsStandIn(ConsentGrant.Of(consent))) throw ApiProblem.NotFound(ApiProblem.Text(ApiText.GrantNotInDossier, consentId));
            writer = ctx;
        }
        else
        {
            var platform = repo.AsPlatform(PlatformPurpose.StandIns, ctx, scope);
            var stored = await platform.ReadAsync<Consent>(consentId, http.RequestAborted);
            var standIn = stored is null ? null : ConsentGrant.Of(stored);
            var source = standIn?.SourceConsentId is { } sourceId && await platform.ReadAsync<Consent>(sourceId, http.RequestAborted) is { } s ? ConsentGrant.Of(s) : null;
            var coach = source is not null && await CoachesAnyOfAsync(http, repo, teams, scope, SupporterRules.Supporters(source));
            if (stored is null || standIn!.PatientId != patientId || !SupporterRules.CoachMayStopStandIn(coach, standIn, source))
                throw NotHere(DossierOperations.Allows(scope, patientId, DossierOperation.ReadOverview), patientId);
            consent = stored;
            // On the coach's behalf, after the decision above; the coach's account in the audit log.
            writer = new FhirContext(new CallerContext(caller.Subject, caller.FhirUser, [], IsSystem: true, caller.ClientId, caller.Roles), ctx.BaseUrl)
                { RequestId = http.TraceIdentifier };
        }
        consent.Status = Consent.ConsentState.Inactive;
        consent.Provision ??= new Consent.provisionComponent();
        consent.Provision.Period ??= new Period();
        consent.Provision.Period.End = now.ToString(Fmt, CultureInfo.InvariantCulture);
        await repo.UpdateAsync(writer, "Consent", consentId, consent, consent.Meta?.VersionId, http.RequestAborted);
        return TypedResults.NoContent();
    }

    /// <summary>GET /api/stand-ins: for a team coach, the grants of the team's members that allow stand-ins, with the stand-ins
    /// named on them and the colleagues who could stand in. Empty for whoever coaches no team.</summary>
    private static async Task<Ok<List<StandInCandidate>>> StandInsOfMyTeams(HttpContext http, FhirRepository repo, TeamDirectory teams, TimeProvider clock)
    {
        var list = new List<StandInCandidate>();
        if (TeamCaller.From(http.User) is not { } me) return TypedResults.Ok(list);
        var now = clock.GetUtcNow();
        var ctx = FhirHttp.Context(http);
        var scope = await repo.Access.CompileAsync(FhirHttp.Caller(http), http.RequestAborted);
        var platform = repo.AsPlatform(PlatformPurpose.StandIns, ctx, scope);

        // The members of every team the caller coaches, and the Practitioners they act as.
        var members = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (team, member) in await teams.TeamsOfAsync(me.Key, http.RequestAborted))
            if (TeamSpaceAuthorization.Can(new TeamAccess(me, team.Id, member, new HashSet<long>()), TeamOperation.ManageMembers))
                foreach (var m in await teams.MembersAsync(team.Id, http.RequestAborted))
                    if (m.MemberKey != me.Key && m.MemberKey.StartsWith("Person/", StringComparison.Ordinal)) members.Add(m.MemberKey);
        if (members.Count == 0) return TypedResults.Ok(list);
        var persons = await platform.ReadManyAsync(members.Order(StringComparer.Ordinal).Select(m => ("Person", m["Person/".Length..])).ToList(), http.RequestAborted);
        var practitioners = persons.OfType<StoredResource>().Where(p => !p.Deleted).SelectMany(p => FhirJson.Parse<Person>(p.Json).Link)
            .Select(l => l.Target?.Reference).OfType<string>().Where(r => r.StartsWith("Practitioner/", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal).ToList();
        if (practitioners.Count == 0) return TypedResults.Ok(list);

        var grants = (await platform.SearchAsync("Consent", [new("actor", string.Join(",", practitioners)), new("_count", "1000")], http.RequestAborted))
            .Where(s => !s.Deleted).Select(s => ConsentGrant.Of(FhirJson.Parse<Consent>(s.Json)))
            .Where(g => SupporterRules.IsSupporterGrant(g) && g.AllowStandIn && g.InForce(now) && g.PatientId is not null
                && SupporterRules.Supporters(g).Any(practitioners.Contains))
            .ToList();
        if (grants.Count == 0) return TypedResults.Ok(list);
        var patients = grants.Select(g => g.PatientId!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var standIns = (await platform.SearchAsync("Consent", [new("patient", string.Join(",", patients.Select(p => $"Patient/{p}"))), new("_count", "1000")], http.RequestAborted))
            .Where(s => !s.Deleted).Select(s => ConsentGrant.Of(FhirJson.Parse<Consent>(s.Json))).Where(SupporterRules.IsStandIn).ToList();
        var names = (await platform.ReadManyAsync(patients.Select(p => ("Patient", p)).ToList(), http.RequestAborted))
            .OfType<StoredResource>().Where(s => !s.Deleted)
            .ToDictionary(s => s.Id, s => DisplayNames.Of(FhirJson.Parse<Patient>(s.Json).Name) ?? "", StringComparer.Ordinal);
        var directory = new NameBook(http, repo);
        foreach (var g in grants.OrderBy(g => names.GetValueOrDefault(g.PatientId!), StringComparer.Ordinal))
        {
            var supporter = SupporterRules.Supporters(g).First(practitioners.Contains);
            var named = new List<StandInView>();
            foreach (var s in standIns.Where(s => s.SourceConsentId == g.Id && s.Active && (s.Until is null || s.Until > now)))
                foreach (var a in s.Actors)
                    named.Add(new StandInView(s.Id, a.Reference, await directory.NameAsync(a.Reference), s.From, s.Until, s.InForce(now), null));
            list.Add(new StandInCandidate(g.PatientId!, names.GetValueOrDefault(g.PatientId!) ?? "", g.Id, supporter, await directory.NameAsync(supporter),
                [.. named], [.. await ColleaguesOfAsync(http, repo, directory, [supporter])]));
        }
        return TypedResults.Ok(list);
    }

    /// <summary>The colleagues of the grant's supporter (Practitioners sharing an organisation): who can stand in or take over.
    /// For whoever manages access, and for the coach of the supporter's team.</summary>
    private static async Task<Ok<ColleagueView[]>> Colleagues(HttpContext http, FhirRepository repo, TeamDirectory teams, string patientId, string grantId)
    {
        var scope = await repo.Access.CompileAsync(FhirHttp.Caller(http), http.RequestAborted);
        ConsentGrant? grant;
        if (DossierOperations.Allows(scope, patientId, DossierOperation.ManageAccess))
            grant = ConsentGrant.Of(await ReadGrantAsync(http, repo, patientId, grantId));
        else
        {
            var stored = await repo.AsPlatform(PlatformPurpose.StandIns, FhirHttp.Context(http), scope).ReadAsync<Consent>(grantId, http.RequestAborted);
            grant = stored is null ? null : ConsentGrant.Of(stored);
            if (grant is null || grant.PatientId != patientId || !await CoachesAnyOfAsync(http, repo, teams, scope, SupporterRules.Supporters(grant)))
                throw NotHere(DossierOperations.Allows(scope, patientId, DossierOperation.ReadOverview), patientId);
        }
        var supporters = SupporterRules.Supporters(grant);
        return TypedResults.Ok((await ColleaguesOfAsync(http, repo, new NameBook(http, repo), supporters)).ToArray());
    }

    // ---------------------------------------------------------------- a new supporter

    /// <summary>
    /// Moves a supporter's grant to another supporter, in one transaction as the caller: the old grant ends now (inactive,
    /// period end), a new one begins with the same sections, actions, hidden parts and stand-in choice (extension replaces),
    /// and the handover note goes into the logbook. The history keeps the old grant.
    /// </summary>
    private static async Task<Ok<TransferResult>> Transfer(HttpContext http, FhirRepository repo, TimeProvider clock, string patientId, string grantId, TransferRequest request)
    {
        if (request.To?.Split('/') is not ["Practitioner", { Length: > 0 }]) throw ApiProblem.BadRequest(ApiText.TransferToInvalid);
        if (string.IsNullOrWhiteSpace(request.Note)) throw ApiProblem.BadRequest(ApiText.TransferNoteMissing);
        await RequireAsync(http, repo, patientId, DossierOperation.ManageAccess);
        var now = clock.GetUtcNow();
        var old = await ReadGrantAsync(http, repo, patientId, grantId);
        var grant = ConsentGrant.Of(old);
        Refuse(SupporterRules.Transfer(grant, request.To, now));

        var next = (Consent)old.DeepCopy();
        next.Id = null;
        next.Meta = null;
        next.Identifier = [];
        next.Performer = [];
        next.Status = Consent.ConsentState.Active;
        next.DateTime = now.ToString(Fmt, CultureInfo.InvariantCulture);
        var supporters = SupporterRules.Supporters(grant);
        foreach (var actor in next.Provision!.Actor.Where(a => supporters.Contains(a.Reference?.Reference ?? "")))
            actor.Reference = new ResourceReference(request.To);
        next.Provision.Period = new Period { Start = next.DateTime, End = old.Provision?.Period?.End };
        next.SetExtension(PgoCodes.Extensions.Replaces, new ResourceReference($"Consent/{grantId}"));

        old.Status = Consent.ConsentState.Inactive;
        old.Provision!.Period ??= new Period();
        old.Provision.Period.End = now.ToString(Fmt, CultureInfo.InvariantCulture);

        var names = new NameBook(http, repo);
        var text = ApiProblem.Text(ApiText.TransferNoteText, await names.NameAsync(supporters.FirstOrDefault() ?? ""), await names.NameAsync(request.To), request.Note.Trim());
        var note = new DocumentReference
        {
            Status = DocumentReferenceStatus.Current,
            Subject = new ResourceReference($"Patient/{patientId}"),
            Category = [new CodeableConcept(PgoCodes.Section.System, PgoCodes.Section.Logboek)],
            Date = now,
            Description = ApiText.TransferNoteTitle,
            Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { ContentType = "text/markdown; charset=utf-8", Data = Encoding.UTF8.GetBytes(text), Title = ApiText.TransferNoteTitle } }],
        };
        var bundle = new Bundle
        {
            Type = Bundle.BundleType.Transaction,
            Entry =
            [
                new() { Resource = old, Request = new() { Method = Bundle.HTTPVerb.PUT, Url = $"Consent/{grantId}", IfMatch = $"W/\"{old.Meta?.VersionId}\"" } },
                new() { FullUrl = $"urn:uuid:{Guid.NewGuid()}", Resource = next, Request = new() { Method = Bundle.HTTPVerb.POST, Url = "Consent" } },
                new() { FullUrl = $"urn:uuid:{Guid.NewGuid()}", Resource = note, Request = new() { Method = Bundle.HTTPVerb.POST, Url = "DocumentReference" } },
            ],
        };
        // One transaction: a refusal of any entry (the write side, a stale version) stores nothing.
        var response = await repo.ProcessBundleAsync(FhirHttp.Context(http), bundle, http.RequestAborted);
        var result = FhirJson.Parse<Bundle>(response.Json!);
        // Locations read "[base/]Type/id/_history/n": the id is the segment before _history.
        string? IdAt(int i)
        {
            if (result.Entry.ElementAtOrDefault(i)?.Response?.Location?.Split('/') is not { Length: > 0 } parts) return null;
            var history = Array.LastIndexOf(parts, "_history");
            return history > 0 ? parts[history - 1] : parts[^1];
        }
        return TypedResults.Ok(new TransferResult(grantId, IdAt(1) ?? "", IdAt(2)));
    }

    // ---------------------------------------------------------------- what changed in access

    /// <summary>
    /// What changed in access, newest first, in Dutch words, with who did it: read from the audit log's writes of the dossier's
    /// Consents (who) and those Consent versions (what), as the caller. For whoever manages access (each regiehouder sees
    /// what the other changed); 403/404 otherwise.
    /// </summary>
    private static async Task<Ok<List<AccessChange>>> Changes(HttpContext http, FhirRepository repo, PersonNames people, string patientId, int? count)
    {
        await RequireAsync(http, repo, patientId, DossierOperation.ManageAccess);
        var caller = FhirHttp.Caller(http);
        var ctx = FhirHttp.Context(http);
        await repo.Audit.FlushAsync(http.RequestAborted);
        var writes = (await repo.Audit.ReadAsync(new AuditQuery(patientId, Section: PgoCodes.Section.Toegang, Limit: 5000), http.RequestAborted))
            .Where(e => e.Record is { ResourceType: "Consent", ResourceId: not null, Version: not null, Status: >= 200 and < 300 } r && WriteKind(r.Action) is not null)
            .Take(Math.Clamp(count ?? 100, 1, 500))
            .ToList();
        var names = new NameBook(http, repo);
        var list = new List<AccessChange>();
        foreach (var e in writes)
        {
            var r = e.Record;
            var kind = WriteKind(r.Action)!;
            var version = await VersionAsync(ctx, repo, r.ResourceId!, r.Version!.Value, http);
            var before = r.Version > 1 ? await VersionAsync(ctx, repo, r.ResourceId!, r.Version.Value - 1, http) : null;
            var shown = version ?? before;
            if (shown is null) continue; // a version the caller cannot read (another dossier, a later move): not theirs to see
            var actorNames = new List<string>();
            foreach (var a in ConsentGrant.Of(shown).Actors) actorNames.Add(await names.NameAsync(a.Reference));
            var actors = string.Join(", ", actorNames.Distinct(StringComparer.Ordinal));
            var who = r.FhirUser ?? r.Subject;
            list.Add(new AccessChange(r.Recorded, who, r.FhirUser is null ? ApiText.ChangeByPlatform : await people.NameAsync(r.FhirUser, http.RequestAborted),
                Describe(kind, version, before, actors), r.ResourceId!, r.Version.Value, who != (caller.FhirUser ?? caller.Subject)));
        }
        return TypedResults.Ok(list);
    }

    private static string? WriteKind(string action) => action.Split(':')[^1] switch
    {
        "create" => "create",
        "update" => "update",
        "delete" => "delete",
        _ => null,
    };

    /// <summary>The change in words, from the kind of grant (as the access screen names it) and what moved.</summary>
    private static string Describe(string write, Consent? version, Consent? before, string actors)
    {
        var view = View((version ?? before)!, DateTimeOffset.MinValue);
        // Research consent (issue 21) names nobody and gives nobody access: said as what it is.
        if (view.Kind == "research")
            return write == "create" && version is not null && version.Status == Consent.ConsentState.Active ? ApiText.ChangeResearchGiven : ApiText.ChangeResearchEnded;
        if (write == "delete" || version is null) return ApiProblem.Text(ApiText.ChangeRemoved, actors);
        if (write == "update" && version.Status != Consent.ConsentState.Active && before?.Status == Consent.ConsentState.Active)
            return ApiProblem.Text(ApiText.ChangeEnded, actors);
        if (write == "update") return ApiProblem.Text(ApiText.ChangeChanged, actors);
        if (ConsentGrant.Of(version).ReplacesConsentId is not null) return ApiProblem.Text(ApiText.ChangeTransferred, actors);
        return ApiProblem.Text(view.Kind switch
        {
            "regie" => ApiText.ChangeGaveRegie,
            "stand-in" => ApiText.ChangeNamedStandIn,
            "share-package" => ApiText.ChangeShared,
            "hidden-item" => ApiText.ChangeHid,
            _ => ApiText.ChangeGaveAccess,
        }, actors);
    }

    private static async Task<Consent?> VersionAsync(FhirContext ctx, FhirRepository repo, string id, int version, HttpContext http)
    {
        try
        {
            var read = await repo.VReadAsync(ctx, "Consent", id, version.ToString(CultureInfo.InvariantCulture), http.RequestAborted);
            return read.Stored is { Deleted: false, Json.Length: > 0 } s ? FhirJson.Parse<Consent>(s.Json) : null;
        }
        catch (FhirException)
        {
            return null;
        }
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>Whether the caller coaches (team space: may manage members) a team in which a Person acting as one of the
    /// supporters is a member.</summary>
    private static async Task<bool> CoachesAnyOfAsync(HttpContext http, FhirRepository repo, TeamDirectory teams, AccessScope scope, IReadOnlyList<string> supporters)
    {
        if (supporters.Count == 0 || TeamCaller.From(http.User) is not { } me) return false;
        var coached = (await teams.TeamsOfAsync(me.Key, http.RequestAborted))
            .Where(t => TeamSpaceAuthorization.Can(new TeamAccess(me, t.Team.Id, t.Member, new HashSet<long>()), TeamOperation.ManageMembers)).ToList();
        if (coached.Count == 0) return false;
        var persons = await repo.AsPlatform(PlatformPurpose.StandIns, FhirHttp.Context(http), scope).PersonsActingAsAsync(supporters.ToList(), http.RequestAborted);
        foreach (var (team, _) in coached)
            foreach (var person in persons)
                if (person != me.Key && await teams.MembershipAsync(team.Id, person, http.RequestAborted) is not null) return true;
        return false;
    }

    /// <summary>Practitioners who share an organisation with one of <paramref name="supporters"/> (the directory, read as the caller).</summary>
    private static async Task<List<ColleagueView>> ColleaguesOfAsync(HttpContext http, FhirRepository repo, NameBook names, IReadOnlyList<string> supporters)
    {
        if (supporters.Count == 0) return [];
        var organizations = (await SearchAsync<PractitionerRole>(http, repo, "PractitionerRole", ("practitioner", string.Join(",", supporters))))
            .Select(r => r.Organization?.Reference).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (organizations.Count == 0) return [];
        var colleagues = (await SearchAsync<PractitionerRole>(http, repo, "PractitionerRole", ("organization", string.Join(",", organizations))))
            .Select(r => r.Practitioner?.Reference).OfType<string>().Where(p => !supporters.Contains(p)).Distinct(StringComparer.Ordinal).ToList();
        var list = new List<ColleagueView>();
        foreach (var c in colleagues) list.Add(new ColleagueView(c, await names.NameAsync(c)));
        return list.OrderBy(c => c.Name, StringComparer.CurrentCulture).ToList();
    }

    private static async Task<List<T>> SearchAsync<T>(HttpContext http, FhirRepository repo, string type, params (string Key, string Value)[] query) where T : Resource
    {
        var response = await repo.SearchAsync(FhirHttp.Context(http), type, [.. query.Select(q => new KeyValuePair<string, string>(q.Key, q.Value)), new("_count", "1000")], http.RequestAborted);
        return FhirJson.Parse<Bundle>(response.Json!).Entry.Select(e => e.Resource).OfType<T>().ToList();
    }

    private static ApiProblem NotHere(bool sees, string patientId) =>
        sees ? ApiProblem.Forbidden(ApiText.StandInNotYours) : ApiProblem.DossierNotFound(patientId);

    private static void Refuse(SupporterRefusal refusal)
    {
        switch (refusal)
        {
            case SupporterRefusal.None: return;
            case SupporterRefusal.NotASupporterGrant: throw new ApiProblem(StatusCodes.Status422UnprocessableEntity, ApiText.NotASupporterGrant);
            case SupporterRefusal.StandInsNotAllowed: throw new ApiProblem(StatusCodes.Status422UnprocessableEntity, ApiText.StandInsNotAllowed);
            case SupporterRefusal.Period: throw ApiProblem.BadRequest(ApiText.StandInPeriod);
            case SupporterRefusal.NotSameTeam: throw new ApiProblem(StatusCodes.Status422UnprocessableEntity, ApiText.StandInNotSameTeam);
            case SupporterRefusal.SameSupporter: throw ApiProblem.BadRequest(ApiText.TransferSameSupporter);
            default: throw new ArgumentOutOfRangeException(nameof(refusal));
        }
    }

    /// <summary>Names of records (Practitioner, RelatedPerson, Patient, Organization) as the caller may read them; a record
    /// the caller cannot read is "iemand" (the words never show an id).</summary>
    private sealed class NameBook(HttpContext http, FhirRepository repo)
    {
        private readonly Dictionary<string, string> _known = new(StringComparer.Ordinal);

        public async Task<string> NameAsync(string reference)
        {
            if (_known.TryGetValue(reference, out var known)) return known;
            string? name = null;
            if (reference.Split('/') is [var type, var id] && type is "Practitioner" or "RelatedPerson" or "Patient" or "Organization")
            {
                try
                {
                    var read = await repo.ReadAsync(FhirHttp.Context(http), type, id, http.RequestAborted);
                    name = read.Stored is { Deleted: false } s ? FhirJson.Parse(s.Json) switch
                    {
                        Practitioner p => DisplayNames.Of(p.Name),
                        RelatedPerson r => DisplayNames.Of(r.Name),
                        Patient p => DisplayNames.Of(p.Name),
                        Organization o => o.Name,
                        _ => null,
                    } : null;
                }
                catch (FhirException)
                {
                    // Not readable for the caller: no name.
                }
            }
            return _known[reference] = name ?? ApiText.SomeoneName;
        }
    }
}
