using System.Globalization;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Pgo.Api.Errors;
using Pgo.Api.Fhir;
using Pgo.Fhir;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using Pgo.Shared.Contracts;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Dossier;

/// <summary>
/// The task-shaped dossier API the Portal needs: the overview that loads in one call, the overdue agreements, the
/// timeline, reminders of agreements due soon, and starting a new dossier. Every read goes through
/// <see cref="DossierReader"/> (the caller's scope inside each query, every read audited); the one write goes through
/// <see cref="FhirRepository"/> like any other.
/// </summary>
public static partial class DossierApi
{
    public static IEndpointRouteBuilder MapDossierApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithApiErrors().WithTags("Dossier");
        api.MapPost("/dossiers", CreateDossier);
        api.MapGet("/dossiers/{patientId}/overview", Overview);
        api.MapGet("/dossiers/{patientId}/agreements/overdue", Overdue);
        api.MapGet("/dossiers/{patientId}/timeline", Timeline);
        api.MapGet("/dossiers/{patientId}/search", Search);
        api.MapGet("/agreements/due-soon", DueSoon);
        api.MapGet("/agreements/mine", Mine);
        return app;
    }

    // ---------------------------------------------------------------- overview

    private static async Task<Ok<DossierOverview>> Overview(HttpContext http, FhirRepository repo, TimeProvider clock, string patientId)
    {
        var reader = await DossierReader.OpenAsync(http, repo, patientId);
        var now = clock.GetUtcNow();

        ClientView? client = null;
        if (reader.CanRead(Section.Profiel) && await reader.ReadAsync<Patient>("Patient", patientId) is { } patient)
        {
            var paspoort = (await reader.SearchAsync<DocumentReference>(Section.Profiel, ("category", $"{Section.System}|{Section.Profiel}"), ("_sort", "-date"), ("_count", "1"))).FirstOrDefault();
            client = DossierViews.Client(patient, paspoort);
        }

        PlanView[]? plans = null;
        if (reader.CanRead(Section.Plan))
            plans = (await reader.SearchAsync<CarePlan>(Section.Plan, ("_count", "50"))).Where(p => p.Status is RequestStatus.Active or RequestStatus.Draft or RequestStatus.OnHold)
                .OrderBy(p => p.BasedOn.Count).ThenBy(p => p.Id, StringComparer.Ordinal).Select(DossierViews.Plan).ToArray();

        DomainGoals[]? goals = null;
        if (reader.CanRead(Section.Doelen))
        {
            var all = await reader.SearchAsync<Goal>(Section.Doelen, ("_count", "500"));
            // A goal about a naaste links to the naaste's own dossier, for whoever can open it (issue 18).
            goals = await Families.FamilyApi.WithMemberDossiersAsync(http, repo, reader.Scope, patientId, all, DossierViews.GoalsByDomain(all));
        }

        AgreementView[]? open = null, overdue = null;
        if (reader.CanRead(Section.Afspraken))
        {
            open = (await OpenTasksAsync(reader)).Select(t => DossierViews.Agreement(t, now)).OrderBy(a => a.Due ?? "~", StringComparer.Ordinal).ToArray();
            overdue = open.Where(a => a.Overdue).ToArray();
        }

        LogbookView[]? logbook = null;
        if (reader.CanRead(Section.Logboek))
            logbook = (await reader.SearchAsync<DocumentReference>(Section.Logboek, ("category", $"{Section.System}|{Section.Logboek}"), ("_sort", "-date"), ("_count", "5")))
                .Select(DossierViews.Logbook).ToArray();

        AppointmentView[]? upcoming = null;
        if (reader.CanRead(Section.Agenda))
            upcoming = (await reader.SearchAsync<Appointment>(Section.Agenda, ("date", "ge" + now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)), ("_sort", "date"), ("_count", "25")))
                .Where(a => a.Status != Appointment.AppointmentStatus.Cancelled).Take(5) // a cancelled one is not coming up
                .Select(DossierViews.Appointment).ToArray();

        MessageView[]? messages = null;
        if (reader.CanRead(Section.Berichten))
            messages = (await reader.SearchAsync<Communication>(Section.Berichten, ("_sort", "-sent"), ("_count", "5"))).Select(DossierViews.Message).ToArray();

        MeasurementView[]? measurements = null;
        if (reader.CanRead(Section.Metingen))
        {
            var responses = await reader.SearchAsync<QuestionnaireResponse>(Section.Metingen, ("_count", "200"));
            var questionnaires = new Dictionary<string, Questionnaire>(StringComparer.Ordinal);
            foreach (var canonical in responses.Select(r => r.Questionnaire).OfType<string>().Distinct(StringComparer.Ordinal))
            {
                var id = canonical.Split('|')[0].Split('/')[^1];
                if (await reader.ReadAsync<Questionnaire>("Questionnaire", id) is { } q) questionnaires[canonical] = q;
            }
            measurements = DossierViews.Measurements(responses, questionnaires);
        }

        NetworkMember[]? network = null;
        if (reader.CanRead(Section.Netwerk))
            network = DossierViews.Network(await reader.SearchAsync<CareTeam>(Section.Netwerk, ("_count", "20")));

        return TypedResults.Ok(new DossierOverview(patientId, reader.Sections.Order(StringComparer.Ordinal).ToArray(), reader.CanManage, client, plans, goals, open, overdue,
            logbook, upcoming, messages, measurements, network));
    }

    // A planned meting (issue 20) is a Task in metingen, not an agreement: every agreement read leaves it out.
    internal static async Task<List<Hl7.Fhir.Model.Task>> OpenTasksAsync(DossierReader reader) =>
        DossierViews.Agreements(await reader.SearchAsync<Hl7.Fhir.Model.Task>(Section.Afspraken, ("status", string.Join(",", DossierViews.OpenTaskStatuses)), ("_count", "1000"))).ToList();

    // ---------------------------------------------------------------- agreements

    private static async Task<Ok<AgreementView[]>> Overdue(HttpContext http, FhirRepository repo, TimeProvider clock, string patientId)
    {
        var reader = await DossierReader.OpenAsync(http, repo, patientId);
        if (!reader.CanRead(Section.Afspraken)) throw ApiProblem.NotShared(Section.Display[Section.Afspraken]);
        var now = clock.GetUtcNow();
        return TypedResults.Ok((await OpenTasksAsync(reader)).Select(t => DossierViews.Agreement(t, now)).Where(a => a.Overdue)
            .OrderBy(a => a.Due, StringComparer.Ordinal).ToArray());
    }

    /// <summary>Open agreements due within <paramref name="days"/> days (default 7) in every dossier the caller may read
    /// the agreements of; <paramref name="mine"/> keeps only those the caller owns.</summary>
    private static async Task<Ok<DueAgreement[]>> DueSoon(HttpContext http, FhirRepository repo, TimeProvider clock, int? days, bool? mine)
    {
        var window = days ?? 7;
        if (window is < 0 or > 366) throw ApiProblem.BadRequest(ApiText.DueSoonDays);
        var caller = FhirHttp.Caller(http);
        var scope = await repo.Access.CompileAsync(caller, http.RequestAborted);
        var now = clock.GetUtcNow();
        // One search over all dossiers: the caller's scope inside the query decides which agreements come back.
        var response = await repo.SearchAsync(FhirHttp.Context(http), "Task",
            [new("status", string.Join(",", DossierViews.OpenTaskStatuses)), new("_count", "1000")], http.RequestAborted);
        var tasks = DossierViews.Agreements(FhirJson.Parse<Bundle>(response.Json!).Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.Task>());
        var identities = scope.Identities.ToHashSet(StringComparer.Ordinal);
        var due = tasks
            .Where(t => DossierViews.DueOf(t) is { } d && d >= now && d <= now.AddDays(window))
            .Select(t => new DueAgreement(t.For?.Reference?.Split('/')[^1] ?? "", DossierViews.Agreement(t, now), t.Owner?.Reference is { } o && identities.Contains(o)))
            .Where(d => mine != true || d.Mine)
            .OrderBy(d => d.Agreement.Due, StringComparer.Ordinal)
            .ToArray();
        return TypedResults.Ok(due);
    }

    /// <summary>"Mijn afspraken": the open agreements whose owner is one of the caller's own records (Person links, the
    /// RelatedPerson, Practitioner or Patient they act as, their organisation), in every dossier, soonest due first
    /// (no due date last). One search as the caller: the scope inside the query keeps only dossiers where they read
    /// afspraken, so an agreement assigned to them in a dossier they cannot see is not there.</summary>
    private static async Task<Ok<DueAgreement[]>> Mine(HttpContext http, FhirRepository repo, TimeProvider clock)
    {
        var scope = await repo.Access.CompileAsync(FhirHttp.Caller(http), http.RequestAborted);
        // A Person is an account, never a Task.owner: the records it acts as are.
        var owners = scope.Identities.Where(i => !i.StartsWith("Person/", StringComparison.Ordinal)).ToList();
        if (owners.Count == 0) return TypedResults.Ok(Array.Empty<DueAgreement>());
        var now = clock.GetUtcNow();
        var response = await repo.SearchAsync(FhirHttp.Context(http), "Task",
            [new("owner", string.Join(",", owners)), new("status", string.Join(",", DossierViews.OpenTaskStatuses)), new("_count", "1000")],
            http.RequestAborted);
        var mine = DossierViews.Agreements(FhirJson.Parse<Bundle>(response.Json!).Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.Task>())
            .Select(t => new DueAgreement(t.For?.Reference?.Split('/')[^1] ?? "", DossierViews.Agreement(t, now), true))
            .OrderBy(d => d.Agreement.Due is null).ThenBy(d => DossierViews.DueOf(d.Agreement.Due) ?? DateTimeOffset.MaxValue)
            .ThenBy(d => d.Agreement.Id, StringComparer.Ordinal)
            .ToArray();
        return TypedResults.Ok(mine);
    }

    // ---------------------------------------------------------------- timeline

    /// <summary>What happened in the dossier, newest first, across the sections the caller may read. Each type is searched
    /// (sorted by its own date, as the caller) for the first offset+count items; the merge is paged.</summary>
    private static async Task<Ok<TimelinePage>> Timeline(HttpContext http, FhirRepository repo, string patientId, int? offset, int? count)
    {
        var reader = await DossierReader.OpenAsync(http, repo, patientId);
        var skip = Math.Max(0, offset ?? 0);
        var take = Math.Clamp(count ?? 20, 1, 100);
        if (skip + take > 1000) throw ApiProblem.BadRequest(ApiText.TimelineTooFar);
        var n = (skip + take + 1).ToString(CultureInfo.InvariantCulture);

        var found = new List<Resource>();
        // DocumentReferences live in several sections (logboek, documenten, profiel, financien): one search, the scope keeps the readable ones.
        if (new[] { Section.Logboek, Section.Documenten, Section.Profiel, Section.Financien }.FirstOrDefault(reader.CanRead) is { } documents)
            found.AddRange(await reader.SearchAsync<DocumentReference>(documents, ("_sort", "-date"), ("_count", n)));
        found.AddRange(await reader.SearchAsync<Communication>(Section.Berichten, ("_sort", "-sent"), ("_count", n)));
        found.AddRange(await reader.SearchAsync<Appointment>(Section.Agenda, ("_sort", "-date"), ("_count", n)));
        found.AddRange(DossierViews.Agreements(await reader.SearchAsync<Hl7.Fhir.Model.Task>(Section.Afspraken, ("_sort", "-authored-on"), ("_count", n))));
        found.AddRange(await reader.SearchAsync<Goal>(Section.Doelen, ("_sort", "-start-date"), ("_count", n)));
        found.AddRange(await reader.SearchAsync<CarePlan>(Section.Plan, ("_sort", "-date"), ("_count", n)));
        found.AddRange(await reader.SearchAsync<QuestionnaireResponse>(Section.Metingen, ("_sort", "-authored"), ("_count", n)));

        var items = found.Select(DossierViews.Timeline).OfType<TimelineItem>()
            .OrderByDescending(i => Sortable(i.Date), StringComparer.Ordinal).ThenBy(i => i.Type, StringComparer.Ordinal).ThenBy(i => i.Id, StringComparer.Ordinal)
            .ToList();
        var page = items.Skip(skip).Take(take).ToArray();
        return TypedResults.Ok(new TimelinePage(patientId, skip, page.Length, items.Count > skip + take, page));
    }

    /// <summary>FHIR dates of different precision, comparable as text in UTC (a date-only value sorts at its start).</summary>
    private static string Sortable(string? date)
    {
        if (date is null) return "";
        return DateTimeOffset.TryParse(date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d)
            ? d.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)
            : date;
    }

    // ---------------------------------------------------------------- a new dossier

    /// <param name="Relationship">"zelf" (the signed-in person is the client) or a role from the netwerkrol CodeSystem
    /// (ouder, partner, broer-zus, mentor, ...).</param>
    /// <param name="LegalBasis">mentor or curator: needed when a representative starts the dossier of an adult.</param>
    public sealed record NewDossier(string Given, string Family, string? BirthDate, string? Gender, string Relationship, string? LegalBasis = null, string? City = null);

    public sealed record CreatedDossier(string PatientId, string Regiehouder, string ConsentId);

    /// <summary>
    /// A signed-in person starts a dossier for a client (or for themselves) and becomes its regiehouder: a Patient, the
    /// person's RelatedPerson in it (unless they are the client), the founding regie Consent (docs/adr/0003) and a link
    /// from the person's Person record, written as one transaction. The platform writes it on the person's behalf (no one
    /// holds a grant on a dossier that does not exist yet); the audit log names the person.
    /// </summary>
    private static async Task<Created<CreatedDossier>> CreateDossier(HttpContext http, FhirRepository repo, TimeProvider clock, NewDossier request)
    {
        var caller = FhirHttp.Caller(http);
        if (DossierOperations.StartDossierRefusal(caller) is { } refused)
            throw ApiProblem.Forbidden(refused);
        var personId = caller.FhirUser!["Person/".Length..];
        if (!IdPattern().IsMatch(personId)) throw ApiProblem.BadRequest(ApiText.FhirUserInvalid);
        if (string.IsNullOrWhiteSpace(request.Given) || string.IsNullOrWhiteSpace(request.Family))
            throw ApiProblem.BadRequest(ApiText.NameMissing);
        var self = request.Relationship == "zelf";
        if (!self && !NetworkRole.Display.ContainsKey(request.Relationship ?? ""))
            throw ApiProblem.BadRequest(ApiProblem.Text(ApiText.RelationshipUnknown, string.Join(", ", NetworkRole.Display.Keys)));
        if (request.LegalBasis is { } basis && !LegalRepresentation.All.Contains(basis))
            throw ApiProblem.BadRequest(ApiProblem.Text(ApiText.LegalBasisUnknown, string.Join(ApiText.Or, LegalRepresentation.All)));
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        DateOnly? birth = null;
        if (request.BirthDate is { } b)
        {
            if (!DateOnly.TryParseExact(b, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) || parsed > today)
                throw ApiProblem.BadRequest(ApiText.BirthDateInvalid);
            birth = parsed;
        }
        if (!self && birth is { } born && AgeRules.StageOf(born, today) == AgeStage.Adult && request.LegalBasis is null)
            throw new ApiProblem(StatusCodes.Status422UnprocessableEntity, ApiText.AdultClient, ApiText.AdultClientTitle);
        AdministrativeGender? gender = request.Gender is null ? null
            : Enum.TryParse<AdministrativeGender>(request.Gender, ignoreCase: true, out var g) ? g
            : null;

        var patientId = Guid.NewGuid().ToString("D");
        var patient = new Patient
        {
            Id = patientId,
            Active = true,
            Name = [new HumanName { Use = HumanName.NameUse.Official, Family = request.Family.Trim(), Given = [request.Given.Trim()] }],
            BirthDate = birth?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Gender = gender,
            Address = request.City is { Length: > 0 } city ? [new Address { City = city, Country = "NL" }] : [],
        };
        var entries = new List<Resource> { patient };
        string actor;
        if (self)
        {
            actor = $"Patient/{patientId}";
        }
        else
        {
            var related = new RelatedPerson
            {
                Id = Guid.NewGuid().ToString("D"),
                Active = true,
                Patient = new ResourceReference($"Patient/{patientId}"),
                Relationship = [new CodeableConcept(NetworkRole.System, request.Relationship, NetworkRole.Display[request.Relationship!], null)],
                // The account's name, so the family's own member is a name in the network and on a goal about them, never an id.
                Name = http.User.FindFirst("name")?.Value is { Length: > 0 } name ? [new HumanName { Text = name }] : [],
            };
            entries.Add(related);
            actor = $"RelatedPerson/{related.Id}";
        }
        var consent = Grants.Regie(Guid.NewGuid().ToString("D"), patientId, [actor], request.LegalBasis, clock.GetUtcNow());
        entries.Add(consent);

        var existing = await repo.AsPlatform(PlatformPurpose.AccountLink, FhirHttp.Context(http)).ReadAsync("Person", personId, http.RequestAborted);
        var person = existing is { Deleted: false } ? FhirJson.Parse<Person>(existing.Json) : new Person { Id = personId, Active = true };
        // The account's name, so that others in the dossier see who made a change (Realtime/PersonNames).
        if (person.Name.Count == 0 && http.User.FindFirst("name")?.Value is { Length: > 0 } accountName)
            person.Name = [new HumanName { Use = HumanName.NameUse.Usual, Text = accountName }];
        person.Link.Add(new Person.LinkComponent { Target = new ResourceReference(actor), Assurance = Person.IdentityAssuranceLevel.Level2 });

        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        foreach (var r in entries)
            bundle.Entry.Add(new Bundle.EntryComponent { Resource = r, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"{r.TypeName}/{r.Id}" } });
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            Resource = person,
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"Person/{personId}", IfMatch = existing is null ? null : $"W/\"{existing.Version}\"" },
        });

        // The platform writes on the person's behalf: no scopes (the platform's unrestricted access, the project's
        // profiles apply), the person's sub and fhirUser in the audit log.
        var onBehalf = new FhirContext(new CallerContext(caller.Subject, caller.FhirUser, [], IsSystem: true, caller.ClientId, caller.Roles),
            FhirHttp.Context(http).BaseUrl) { RequestId = http.TraceIdentifier };
        // A refusal of the transaction (412 when the Person changed meanwhile) passes through the error path; nothing is stored.
        await repo.ProcessBundleAsync(onBehalf, bundle, http.RequestAborted);
        return TypedResults.Created($"/api/dossiers/{patientId}/overview", new CreatedDossier(patientId, actor, consent.Id!));
    }

    [GeneratedRegex("^[A-Za-z0-9\\-\\.]{1,64}$")]
    private static partial Regex IdPattern();
}
