using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Pgo.Api.Dossier;
using Pgo.Api.Errors;
using Pgo.Api.Fhir;
using Pgo.Fhir;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using Pgo.Shared.Codes;
using Pgo.Shared.Contracts;
using Pgo.Shared.Text;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Pgo.Api.Regie;

/// <summary>
/// Turning 18 (issue 18, ADR 3 "Regie over the years"): who holds regie and on what basis, the age steps, the checklist
/// "18 jaar", the choice for after 18 and legal representation. Who may see or decide is asked of
/// <see cref="DossierOperations"/> (view-regie, decide-regie); every choice is a Consent or Task written through
/// <see cref="FhirRepository"/> as the caller, so <see cref="WriteDecision"/> decides (a court document, a WGBO reason,
/// finances only for bewind, W7). The regie Consents and the court documents' titles are read as platform work
/// (<see cref="PlatformPurpose.Regie"/>), because the client and the supporters do not read section toegang.
/// </summary>
public static class RegieApi
{
    public static IEndpointRouteBuilder MapRegieApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/dossiers/{patientId}/regie").RequireAuthorization().WithApiErrors().WithTags("Regie");
        api.MapGet("", Overview);
        api.MapPost("/checklist", StartChecklist);
        api.MapPost("/choice", RecordChoice);
        api.MapPost("/representations", RecordRepresentation);
        api.MapDelete("/representations/{consentId}", EndRepresentation);
        return app;
    }

    // ---------------------------------------------------------------- handlers

    private static async Task<Ok<RegieOverview>> Overview(HttpContext http, FhirRepository repo, TimeProvider clock, IOptions<TransitionOptions> options, string patientId)
    {
        var scope = await RequireAsync(http, repo, patientId, DossierOperation.ViewRegie);
        return TypedResults.Ok(await OverviewAsync(http, repo, scope, clock.GetUtcNow(), options.Value.StartAge, patientId));
    }

    /// <summary>Starts the checklist "18 jaar": one agreement (Task, section afspraken) per item not yet there, due its
    /// months before the 18th birthday, based on the active plan, owned as asked; one transaction as the caller.</summary>
    private static async Task<Ok<ChecklistItemView[]>> StartChecklist(HttpContext http, FhirRepository repo, TimeProvider clock, IOptions<TransitionOptions> options,
        string patientId, StartChecklistRequest? request)
    {
        var scope = await RequireAsync(http, repo, patientId, DossierOperation.ViewRegie);
        var owner = request?.Owner;
        if (owner is not null && owner.Split('/') is not ["RelatedPerson" or "Practitioner" or "Patient", { Length: > 0 }])
            throw ApiProblem.BadRequest(ApiText.RegieOwnerInvalid);
        var now = clock.GetUtcNow();
        var (patient, _) = await PatientAsync(http, repo, scope, patientId);
        if (BirthOf(patient) is not { } birth) throw new ApiProblem(StatusCodes.Status422UnprocessableEntity, ApiText.RegieNoBirthDate);
        var reader = DossierReader.InScope(http, repo, scope, patientId)!;
        if (!reader.CanRead(PgoCodes.Section.Afspraken)) throw ApiProblem.NotShared(PgoCodes.Section.Display[PgoCodes.Section.Afspraken]);

        var present = (await ChecklistTasksAsync(reader)).Select(t => CodeOf(t)).ToHashSet(StringComparer.Ordinal);
        var plan = (await reader.SearchAsync<CarePlan>(PgoCodes.Section.Plan, ("status", "active"))).FirstOrDefault();
        var today = DutchTime.Today(now);
        var tasks = new List<FhirTask>();
        foreach (var item in RegieCodes.Checklist18.Items.Where(i => !present.Contains(i.Code)))
        {
            // A checklist started late gets two weeks for what was due already, rather than arriving overdue.
            var due = AgeRules.EighteenthBirthday(birth).AddMonths(-item.MonthsBefore18);
            if (due < today) due = today.AddDays(14);
            var task = new FhirTask
            {
                Status = FhirTask.TaskStatus.Requested,
                Intent = FhirTask.TaskIntent.Plan,
                Code = new CodeableConcept(RegieCodes.Checklist18.System, item.Code, item.Title),
                Description = item.Title,
                Note = [new Annotation { Text = item.Explanation }],
                For = new ResourceReference($"Patient/{patientId}"),
                Owner = owner is null ? null : new ResourceReference(owner),
                AuthoredOn = now.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture),
                BasedOn = plan?.Id is { } planId ? [new ResourceReference($"CarePlan/{planId}")] : [],
                Restriction = new FhirTask.RestrictionComponent { Period = new Period { Start = Day(today), End = Day(due) } },
            };
            tasks.Add(task);
        }
        await TransactionAsync(http, repo, tasks);
        var list = await ChecklistTasksAsync(reader);
        var names = await NamesAsync(http, repo, scope, [.. list.Select(t => t.Owner?.Reference).OfType<string>()]);
        return TypedResults.Ok(Checklist(list, names, now));
    }

    /// <summary>Records the choice for after 18 as Consents written as the caller (a regiehouder's alone: W4/W7 decide).</summary>
    private static async Task<Created<RegieChoiceView>> RecordChoice(HttpContext http, FhirRepository repo, TimeProvider clock, IOptions<TransitionOptions> options,
        string patientId, RegieChoiceRequest request)
    {
        var scope = await RequireAsync(http, repo, patientId, DossierOperation.DecideRegie);
        if (request.Choice is null || !RegieCodes.After18.All.Contains(request.Choice))
            throw ApiProblem.BadRequest(ApiProblem.Text(ApiText.RegieChoiceUnknown, string.Join(", ", RegieCodes.After18.All)));
        var now = clock.GetUtcNow();
        var (patient, grants) = await PatientAsync(http, repo, scope, patientId, withGrants: true);
        var birth = BirthOf(patient);
        // From the 18th birthday (or now, for a choice made after it).
        var birthday = birth is { } b ? Midnight(AgeRules.EighteenthBirthday(b)) : now;
        var from = birthday > now ? birthday : now;
        var entries = new List<Consent>();
        switch (request.Choice)
        {
            case RegieCodes.After18.Client or RegieCodes.After18.ClientMetSteun:
            {
                var regie = Grants.Regie(null, patientId, [$"Patient/{patientId}"], from: from);
                entries.Add(Mark(regie, request.Choice));
                if (request.Choice == RegieCodes.After18.ClientMetSteun)
                {
                    var supporters = request.Supporters?.Where(s => !string.IsNullOrWhiteSpace(s)).Distinct(StringComparer.Ordinal).ToList() ?? [];
                    if (supporters.Count == 0) throw ApiProblem.BadRequest(ApiText.RegieSupportersMissing);
                    var sections = Sections(request.SupportSections) ?? PgoCodes.Section.Dossier.Where(s => s != PgoCodes.Section.Financien).ToList();
                    foreach (var s in supporters)
                        entries.Add(Grants.Grant(null, patientId, Actor(s), PgoCodes.GrantRole.Gezinslid, sections, write: true, from: from));
                }
                break;
            }
            case RegieCodes.After18.Vertegenwoordiger or RegieCodes.After18.Wgbo:
            {
                var basis = request.Choice == RegieCodes.After18.Wgbo ? RegieCodes.Representation.Wgbo : request.Basis;
                if (basis is not (RegieCodes.Representation.Mentor or RegieCodes.Representation.Curator or RegieCodes.Representation.Wgbo))
                    throw ApiProblem.BadRequest(ApiProblem.Text(ApiText.RegieBasisUnknown, "mentor, curator"));
                var representatives = request.Representatives is { Length: > 0 } named
                    ? named.Select(Actor).Distinct(StringComparer.Ordinal).ToList()
                    : RegieStatus.Of(patientId, [.. grants.Select(ConsentGrant.Of)], birth, false, now).Regiehouders.Where(r => r != $"Patient/{patientId}").ToList();
                if (representatives.Count == 0) throw ApiProblem.BadRequest(ApiText.RegieRepresentativesMissing);
                var consent = Representation(patientId, basis, representatives, request.Document, request.Reason,
                    DateOf(request.From) ?? (birth is { } bb ? AgeRules.EighteenthBirthday(bb) : DutchTime.Today(now)), DateOf(request.Until), request.ClientAccess);
                entries.Add(Mark(consent, request.Choice));
                break;
            }
        }
        foreach (var c in entries) c.DateTime = Stamp(now); // when the choice was recorded
        var stored = await WriteAllAsync(http, repo, scope, entries);
        var recorded = stored[0];
        var names = await NamesAsync(http, repo, scope, [.. recorded.Performer.Select(p => p.Reference).OfType<string>()]);
        return TypedResults.Created($"/api/dossiers/{patientId}/regie", ChoiceView(recorded, names)!);
    }

    /// <summary>Records a legal representation (mentor, curator, bewind, WGBO) with its evidence and period, as the caller.</summary>
    private static async Task<Created<RepresentationView>> RecordRepresentation(HttpContext http, FhirRepository repo, TimeProvider clock, string patientId,
        RepresentationRequest request)
    {
        var scope = await RequireAsync(http, repo, patientId, DossierOperation.DecideRegie);
        if (request.Basis is null || !RegieCodes.Representation.All.Contains(request.Basis))
            throw ApiProblem.BadRequest(ApiProblem.Text(ApiText.RegieBasisUnknown, string.Join(", ", RegieCodes.Representation.All)));
        var representatives = (request.Representatives ?? []).Where(r => !string.IsNullOrWhiteSpace(r)).Select(Actor).Distinct(StringComparer.Ordinal).ToList();
        if (representatives.Count == 0) throw ApiProblem.BadRequest(ApiText.RegieRepresentativesMissing);
        var now = clock.GetUtcNow();
        var consent = Representation(patientId, request.Basis, representatives, request.Document, request.Reason,
            DateOf(request.From) ?? DutchTime.Today(now), DateOf(request.Until), request.ClientAccess);
        consent.DateTime = Stamp(now);
        var stored = (await WriteAllAsync(http, repo, scope, [consent]))[0];
        var grant = ConsentGrant.Of(stored);
        var refs = grant.Actors.Select(a => a.Reference).Append(stored.Source is ResourceReference { Reference: { } doc } ? doc : null).OfType<string>().ToList();
        var names = await NamesAsync(http, repo, scope, refs);
        return TypedResults.Created($"/api/dossiers/{patientId}/regie", RepresentationOf(stored, grant, names, now));
    }

    /// <summary>Ends a legal representation now (inactive, period end now; the history keeps it), as the caller: a
    /// regiehouder, and not another regiehouder's alone (W7).</summary>
    private static async Task<NoContent> EndRepresentation(HttpContext http, FhirRepository repo, TimeProvider clock, string patientId, string consentId)
    {
        await RequireAsync(http, repo, patientId, DossierOperation.DecideRegie);
        Consent consent;
        try
        {
            consent = FhirJson.Parse<Consent>((await repo.ReadAsync(FhirHttp.Context(http), "Consent", consentId, http.RequestAborted)).Stored!.Json);
        }
        catch (FhirException e) when (e.Status is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Gone)
        {
            throw ApiProblem.NotFound(ApiText.RegieRepresentationNotFound);
        }
        if (consent.Patient?.Reference != $"Patient/{patientId}" || !ConsentGrant.Of(consent).Actors.Any(a => a.HasLegalBasis))
            throw ApiProblem.NotFound(ApiText.RegieRepresentationNotFound);
        var end = Stamp(clock.GetUtcNow());
        consent.Status = Consent.ConsentState.Inactive;
        var p = consent.Provision ??= new Consent.provisionComponent();
        p.Period ??= new Period();
        p.Period.End = end;
        if (consent.GetExtensionValue<Period>(PgoCodes.Extensions.RepresentationPeriod) is { } period)
        {
            period.End = end;
            consent.SetExtension(PgoCodes.Extensions.RepresentationPeriod, period);
        }
        await repo.UpdateAsync(FhirHttp.Context(http), "Consent", consentId, consent, consent.Meta?.VersionId, http.RequestAborted);
        return TypedResults.NoContent();
    }

    // ---------------------------------------------------------------- the overview

    internal static async Task<RegieOverview> OverviewAsync(HttpContext http, FhirRepository repo, AccessScope scope, DateTimeOffset now, int startAge, string patientId)
    {
        var (patient, grants) = await PatientAsync(http, repo, scope, patientId, withGrants: true);
        var birth = BirthOf(patient);
        var hasAccount = repo.Access is ConsentAccessPolicy policy && await policy.ClientHasAccountAsync(patientId, http.RequestAborted);
        var status = RegieStatus.Of(patientId, grants.Select(ConsentGrant.Of).ToList(), birth, hasAccount, now, startAge);

        var reader = DossierReader.InScope(http, repo, scope, patientId)!;
        var shared = reader.CanRead(PgoCodes.Section.Afspraken);
        var tasks = shared ? await ChecklistTasksAsync(reader) : [];

        var byId = grants.Where(c => c.Id is not null).ToDictionary(c => c.Id!, StringComparer.Ordinal);
        var refs = status.Regiehouders
            .Concat(status.Representations.SelectMany(r => r.Actors.Select(a => a.Reference)))
            .Concat(status.Representations.Select(r => byId[r.Id].Source is ResourceReference { Reference: { } d } ? d : null).OfType<string>())
            .Concat(status.Choice is { } c ? byId[c.Id].Performer.Select(p => p.Reference).OfType<string>() : [])
            .Concat(tasks.Select(t => t.Owner?.Reference).OfType<string>())
            .ToList();
        var names = await NamesAsync(http, repo, scope, refs);

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var milestones = birth is { } b
            ? AgeRules.Milestones(b, startAge).Select(m =>
            {
                var (forClient, forParents) = RegieCodes.Milestones.Explanation[m.Milestone];
                return new RegieMilestone(m.Milestone, Day(m.Day), m.Day <= today, forClient, forParents);
            }).ToArray()
            : [];
        return new RegieOverview(patientId, DisplayNames.Of(patient?.Name) ?? patientId, patient?.BirthDate, status.Age, status.Stage, status.State,
            [.. status.Regiehouders.Select(r => names.GetValueOrDefault(r) ?? Unnamed(r))],
            milestones, status.TransitionOpen, status.ChoiceNeeded,
            status.Choice is { } choice ? ChoiceView(byId[choice.Id], names) : null,
            [.. status.Representations.OrderByDescending(r => r.RepresentationInForce(now)).Select(r => RepresentationOf(byId[r.Id], r, names, now))],
            Checklist(tasks, names, now), shared, RegieStatus.ViewerOf(scope, patientId),
            DossierOperations.Allows(scope, patientId, DossierOperation.DecideRegie));
    }

    /// <summary>GET /api/access/reminders: the dossiers the caller manages whose regie asks for a choice now
    /// (<see cref="RegieStatus.ChoiceNeeded"/>: the transition track is open and nothing is recorded, or after 18 regie is
    /// "voorlopig"), with the latest age step's explanation for the parents.</summary>
    internal static async Task<Pgo.Api.Access.AccessApi.Reminder[]> RemindersAsync(HttpContext http, FhirRepository repo, DateTimeOffset now, int startAge)
    {
        var scope = await repo.Access.CompileAsync(FhirHttp.Caller(http), http.RequestAborted);
        var managed = scope.Patients.Keys.Where(p => DossierOperations.Allows(scope, p, DossierOperation.ManageAccess)).Order(StringComparer.Ordinal).ToList();
        if (managed.Count == 0 || repo.Access is not ConsentAccessPolicy policy) return [];
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var births = await policy.BirthDatesAsync(managed, http.RequestAborted);
        var reminders = new List<Pgo.Api.Access.AccessApi.Reminder>();
        foreach (var (patientId, birth) in births.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            // Only where an age step of the track has come (a cheap test before the dossier's grants are read).
            if (today < birth.AddYears(Math.Clamp(startAge, 12, 17))) continue;
            var (_, grants) = await PatientAsync(http, repo, scope, patientId, withGrants: true);
            var status = RegieStatus.Of(patientId, grants.Select(ConsentGrant.Of).ToList(), birth,
                await policy.ClientHasAccountAsync(patientId, http.RequestAborted), now, startAge);
            if (!status.ChoiceNeeded) continue;
            var step = AgeRules.Milestones(birth, startAge).Where(m => m.Day <= today).Select(m => m.Milestone).LastOrDefault() ?? RegieCodes.Milestones.TransitionStart;
            reminders.Add(new Pgo.Api.Access.AccessApi.Reminder(patientId, birth, AgeRules.EighteenthBirthday(birth), RegieCodes.Milestones.Explanation[step].ForParents));
        }
        return [.. reminders];
    }

    // ---------------------------------------------------------------- building the Consents

    /// <summary>A legal representation: a regie Consent with the legal coding (mentor, curator, WGBO), or for bewind a
    /// bewindvoerder grant on financien with write; the court document as source, the period and what the client keeps.</summary>
    private static Consent Representation(string patientId, string basis, IReadOnlyList<string> representatives, string? document, string? reason,
        DateOnly from, DateOnly? until, string? clientAccess)
    {
        if (until is { } u && u <= from) throw ApiProblem.BadRequest(ApiText.RegiePeriodInvalid);
        if (clientAccess is not null && !RegieCodes.ClientAccess.All.Contains(clientAccess))
            throw ApiProblem.BadRequest(ApiProblem.Text(ApiText.RegieClientAccessUnknown, string.Join(", ", RegieCodes.ClientAccess.All)));
        Consent consent;
        if (basis == RegieCodes.Representation.Bewind)
        {
            consent = Grants.Grant(null, patientId, representatives[0], PgoCodes.GrantRole.Bewindvoerder, [PgoCodes.Section.Financien], write: true);
            var provision = consent.Provision!;
            var template = provision.Actor[0];
            foreach (var other in representatives.Skip(1))
                provision.Actor.Add(new Consent.provisionActorComponent { Reference = new ResourceReference(other), Role = (CodeableConcept)template.Role.DeepCopy() });
            foreach (var actor in provision.Actor)
                actor.Role.Coding.Add(new Coding(PgoCodes.LegalRepresentation.System, basis));
        }
        else
        {
            consent = Grants.Regie(null, patientId, representatives, basis);
        }
        if (!string.IsNullOrWhiteSpace(document))
            consent.Source = new ResourceReference(document.Contains('/', StringComparison.Ordinal) ? document : $"DocumentReference/{document}");
        if (!string.IsNullOrWhiteSpace(reason)) consent.SetExtension(PgoCodes.Extensions.RepresentationReason, new FhirString(reason.Trim()));
        consent.SetExtension(PgoCodes.Extensions.RepresentationPeriod, new Period { Start = Day(from), End = until is { } end ? Day(end) : null });
        if (basis != RegieCodes.Representation.Bewind)
            consent.SetExtension(PgoCodes.Extensions.ClientAccess, new Code(clientAccess ?? RegieCodes.ClientAccess.Write));
        return consent;
    }

    private static Consent Mark(Consent consent, string choice)
    {
        consent.SetExtension(PgoCodes.Extensions.RegieAfter18, new Code(choice));
        return consent;
    }

    /// <summary>Writes the Consents in one transaction as the caller (each entry decided by the policy; a refusal stores
    /// nothing) and returns them as stored (the grantor is the server's), in order. Read back as platform work: the
    /// writer may no longer read toegang once it is stored (an adult client who records their own mentor).</summary>
    private static async Task<List<Consent>> WriteAllAsync(HttpContext http, FhirRepository repo, AccessScope scope, IReadOnlyList<Consent> consents)
    {
        var ids = await TransactionAsync(http, repo, consents);
        var stored = await repo.AsPlatform(PlatformPurpose.Regie, FhirHttp.Context(http), scope)
            .ReadManyAsync(ids.Select(id => ("Consent", id)).ToList(), http.RequestAborted);
        return stored.Select(s => FhirJson.Parse<Consent>(s!.Json)).ToList();
    }

    /// <summary>One transaction as the caller: the resources created (POST), all stored or none; their new ids, in order.</summary>
    private static async Task<List<string>> TransactionAsync(HttpContext http, FhirRepository repo, IReadOnlyList<Resource> resources)
    {
        if (resources.Count == 0) return [];
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        foreach (var r in resources)
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = $"urn:uuid:{Guid.NewGuid():D}",
                Resource = r,
                Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = r.TypeName },
            });
        var response = FhirJson.Parse<Bundle>((await repo.ProcessBundleAsync(FhirHttp.Context(http), bundle, http.RequestAborted)).Json!);
        // Each entry's location is [base/]Type/id/_history/n.
        return response.Entry.Select((e, i) =>
        {
            var parts = (e.Response?.Location ?? "").Split('/');
            var at = Array.LastIndexOf(parts, resources[i].TypeName, parts.Length - 1);
            return at >= 0 && at + 1 < parts.Length ? parts[at + 1] : throw new InvalidOperationException("A transaction entry without a location.");
        }).ToList();
    }

    // ---------------------------------------------------------------- reading

    /// <summary>404 when the caller sees nothing of the dossier, 403 when it sees some but may not do this.</summary>
    private static async Task<AccessScope> RequireAsync(HttpContext http, FhirRepository repo, string patientId, DossierOperation operation)
    {
        var scope = await repo.Access.CompileAsync(FhirHttp.Caller(http), http.RequestAborted);
        if (DossierOperations.Allows(scope, patientId, operation)) return scope;
        throw DossierOperations.Allows(scope, patientId, DossierOperation.ReadOverview)
            ? ApiProblem.Forbidden(DossierOperations.Refusal(operation))
            : ApiProblem.DossierNotFound(patientId);
    }

    /// <summary>The client's record and (when asked) the dossier's Consents, oldest recorded first: platform reads for the
    /// regie overview (the client and supporters read neither toegang nor, always, profiel), audited as such.</summary>
    private static async Task<(Patient? Patient, List<Consent> Grants)> PatientAsync(HttpContext http, FhirRepository repo, AccessScope scope, string patientId,
        bool withGrants = false)
    {
        var platform = repo.AsPlatform(PlatformPurpose.Regie, FhirHttp.Context(http), scope);
        var patient = await platform.ReadAsync<Patient>(patientId, http.RequestAborted);
        if (!withGrants) return (patient, []);
        var consents = (await platform.SearchAsync("Consent", [new("patient", $"Patient/{patientId}"), new("_count", "1000")], http.RequestAborted))
            .Where(s => !s.Deleted).Select(s => FhirJson.Parse<Consent>(s.Json))
            .OrderBy(c => c.DateTime ?? "", StringComparer.Ordinal).ThenBy(c => c.Meta?.LastUpdated).ToList();
        return (patient, consents);
    }

    private static async Task<List<FhirTask>> ChecklistTasksAsync(DossierReader reader) =>
        (await reader.SearchAsync<FhirTask>(PgoCodes.Section.Afspraken, ("_count", "1000"))).Where(t => CodeOf(t) is not null).ToList();

    private static string? CodeOf(FhirTask t) =>
        t.Code?.Coding.FirstOrDefault(c => c.System == RegieCodes.Checklist18.System && RegieCodes.Checklist18.Find(c.Code) is not null)?.Code;

    /// <summary>The names of records (people, and a document's title), read as platform work: a supporter may not read the
    /// network, yet the overview says who holds regie.</summary>
    private static async Task<Dictionary<string, string>> NamesAsync(HttpContext http, FhirRepository repo, AccessScope scope, IReadOnlyCollection<string> refs)
    {
        var wanted = refs.Where(r => r.Split('/') is ["Patient" or "RelatedPerson" or "Practitioner" or "DocumentReference", { Length: > 0 }])
            .Distinct(StringComparer.Ordinal).ToList();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        if (wanted.Count == 0) return names;
        var stored = await repo.AsPlatform(PlatformPurpose.Regie, FhirHttp.Context(http), scope)
            .ReadManyAsync(wanted.Select(r => (r.Split('/')[0], r.Split('/')[1])).ToList(), http.RequestAborted);
        foreach (var (reference, s) in wanted.Zip(stored))
        {
            if (s is null || s.Deleted) continue;
            var name = FhirJson.Parse(s.Json) switch
            {
                Patient p => DisplayNames.Of(p.Name),
                RelatedPerson rp => DisplayNames.Of(rp.Name),
                Practitioner pr => DisplayNames.Of(pr.Name),
                DocumentReference d => d.Description ?? d.Content.FirstOrDefault()?.Attachment?.Title, // the title the person gave, as in the document list
                _ => null,
            };
            if (name is not null) names[reference] = name;
        }
        return names;
    }

    // ---------------------------------------------------------------- views

    private static RegieChoiceView? ChoiceView(Consent consent, IReadOnlyDictionary<string, string> names)
    {
        var code = ConsentGrant.Of(consent).After18;
        if (code is null) return null;
        var by = consent.Performer.Select(p => p.Reference).OfType<string>().FirstOrDefault();
        DateTimeOffset? at = DateTimeOffset.TryParse(consent.DateTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
        return new RegieChoiceView(code, RegieCodes.After18.Display.GetValueOrDefault(code) ?? code, by is null ? null : names.GetValueOrDefault(by), at, consent.Id!);
    }

    private static RepresentationView RepresentationOf(Consent consent, ConsentGrant grant, IReadOnlyDictionary<string, string> names, DateTimeOffset now)
    {
        var basis = grant.Actors.Select(a => a.LegalBasis).OfType<string>().First();
        var document = consent.Source is ResourceReference { Reference: { } d } ? d : null;
        var period = consent.GetExtensionValue<Period>(PgoCodes.Extensions.RepresentationPeriod);
        return new RepresentationView(consent.Id!, basis, RegieCodes.Representation.Display.GetValueOrDefault(basis) ?? basis,
            [.. grant.Actors.Where(a => a.HasLegalBasis).Select(a => names.GetValueOrDefault(a.Reference) ?? Unnamed(a.Reference))],
            DayOf(period?.Start), DayOf(period?.End),
            document?.Split('/').LastOrDefault(), document is null ? null : names.GetValueOrDefault(document),
            grant.RepresentationReason, grant.ClientAccess ?? RegieCodes.ClientAccess.Write, grant.RepresentationInForce(now));
    }

    private static ChecklistItemView[] Checklist(IEnumerable<FhirTask> tasks, IReadOnlyDictionary<string, string> names, DateTimeOffset now)
    {
        var order = RegieCodes.Checklist18.Items.Select(i => i.Code).ToList();
        return tasks.OrderBy(t => order.IndexOf(CodeOf(t)!)).Select(t =>
        {
            var view = DossierViews.Agreement(t, now);
            var owner = t.Owner?.Reference;
            return new ChecklistItemView(t.Id!, CodeOf(t)!, t.Description ?? RegieCodes.Checklist18.Find(CodeOf(t))!.Title, view.Status, owner,
                owner is null ? null : names.GetValueOrDefault(owner) ?? t.Owner?.Display, t.Restriction?.Period?.End, view.Overdue);
        }).ToArray();
    }

    // ---------------------------------------------------------------- small helpers

    /// <summary>A record named in a request: "RelatedPerson/x" as given; a bare id is taken as a RelatedPerson of the network.</summary>
    private static string Actor(string value) => value.Contains('/', StringComparison.Ordinal) ? value.Trim() : $"RelatedPerson/{value.Trim()}";

    private static List<string>? Sections(string[]? sections)
    {
        if (sections is null || sections.Length == 0) return null;
        if (sections.FirstOrDefault(s => !PgoCodes.Section.IsKnown(s)) is { } unknown)
            throw ApiProblem.BadRequest(ApiProblem.Text(ApiText.SectionUnknown, unknown));
        return [.. sections.Distinct(StringComparer.Ordinal)];
    }

    private static DateOnly? BirthOf(Patient? patient) =>
        patient?.BirthDate is { Length: 10 } b && DateOnly.TryParseExact(b, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static DateOnly? DateOf(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        return DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
            : throw ApiProblem.BadRequest(ApiText.RegieDateInvalid);
    }

    private static string? DayOf(string? value) => value is { Length: >= 10 } ? value[..10] : null;

    /// <summary>The moment a day starts for the age rules (UTC midnight, as the policy counts birthdays).</summary>
    private static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Stamp(DateTimeOffset at) => at.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture);

    /// <summary>Someone whose record could not be read: a word, never an id.</summary>
    private static string Unnamed(string reference) => reference.StartsWith("Patient/", StringComparison.Ordinal) ? ApiText.RegieTheClient : ApiText.RegieSomeone;
}
