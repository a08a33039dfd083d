using System.Globalization;
using System.Text.RegularExpressions;
using Group = Hl7.Fhir.Model.Group;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Pgo.Api.Dossier;
using Pgo.Api.Errors;
using Pgo.Api.Fhir;
using Pgo.Fhir;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using Pgo.Shared.Contracts;
using Pgo.Shared.Text;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Families;

/// <summary>
/// The whole family (issue 18). A family is a FHIR <c>Group</c> (type person, actual, code gezin) whose members are the
/// Patients of the family's own dossiers; it lives in section netwerk of every member's dossier, so changing it needs
/// write on netwerk in each (W3, decided by the repository as for any write). A naaste can get a dossier of their own
/// (a Patient with <c>link</c> seealso to their RelatedPerson in the client's network), with regie by the age rules
/// (<see cref="FamilyRules"/>). A member whose dossier the caller cannot open is shown without name or id.
/// </summary>
public static partial class FamilyApi
{
    public static IEndpointRouteBuilder MapFamilyApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithApiErrors().WithTags("Dossier");
        api.MapGet("/families", List);
        api.MapPost("/families", Create);
        api.MapPut("/families/{familyId}/members", AddMembers);
        api.MapPost("/dossiers/{patientId}/family-member-dossier", MemberDossier);
        return app;
    }

    // ---------------------------------------------------------------- reading families

    private static async Task<Ok<FamilyView[]>> List(HttpContext http, FhirRepository repo)
    {
        var scope = await repo.Access.CompileAsync(FhirHttp.Caller(http), http.RequestAborted);
        var groups = await VisibleFamiliesAsync(http, repo);
        return TypedResults.Ok(await ViewsAsync(http, repo, scope, groups));
    }

    /// <summary>The families (Group, code gezin) the caller may read: searched as the caller, so only Groups in a dossier
    /// whose netwerk the caller reads come back (the scope is inside the query, the search is audited).</summary>
    internal static async Task<List<Group>> VisibleFamiliesAsync(HttpContext http, FhirRepository repo, string? member = null)
    {
        var query = new List<KeyValuePair<string, string>> { new("code", $"{Family.System}|{Family.Gezin}"), new("_count", "500") };
        if (member is not null) query.Add(new("member", $"Patient/{member}"));
        var response = await repo.SearchAsync(FhirHttp.Context(http), "Group", query, http.RequestAborted);
        return FhirJson.Parse<Bundle>(response.Json!).Entry.Where(e => e.Search?.Mode is null or Bundle.SearchEntryMode.Match)
            .Select(e => e.Resource).OfType<Group>().ToList();
    }

    /// <summary>The Patient ids of a family's members, in its order.</summary>
    internal static IEnumerable<string> MemberIds(Group group) => group.Member
        .Select(m => m.Entity?.Reference).OfType<string>()
        .Where(r => r.StartsWith("Patient/", StringComparison.Ordinal)).Select(r => r["Patient/".Length..]);

    private static async Task<FamilyView[]> ViewsAsync(HttpContext http, FhirRepository repo, AccessScope scope, IReadOnlyList<Group> groups)
    {
        // Names only of dossiers the caller can open (read past the sections like "my dossiers": a bondgenoot without
        // profiel still tells people apart); of the others nothing but that they are there.
        var openable = groups.SelectMany(MemberIds).Distinct(StringComparer.Ordinal).Where(id => FamilyRules.CanOpen(scope, id)).ToList();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        if (openable.Count > 0)
        {
            var stored = await repo.AsPlatform(PlatformPurpose.PatientNames, FhirHttp.Context(http), scope)
                .ReadManyAsync(openable.Select(id => ("Patient", id)).ToList(), http.RequestAborted);
            foreach (var (id, s) in openable.Zip(stored))
                if (s is { Deleted: false }) names[id] = DisplayNames.Of(FhirJson.Parse<Patient>(s.Json).Name) ?? id;
        }
        return groups
            .Select(g => new FamilyView(g.Id!, g.Name ?? "", g.Member.Select(m => Member(m, names)).ToArray()))
            .OrderBy(f => f.Name, StringComparer.CurrentCulture).ThenBy(f => f.Id, StringComparer.Ordinal).ToArray();
    }

    private static FamilyMember Member(Group.MemberComponent member, IReadOnlyDictionary<string, string> names)
    {
        var reference = member.Entity?.Reference;
        var id = reference is not null && reference.StartsWith("Patient/", StringComparison.Ordinal) ? reference["Patient/".Length..] : null;
        var role = (member.GetExtension(Family.RoleExtension)?.Value as Code)?.Value;
        return id is not null && names.TryGetValue(id, out var name)
            ? new FamilyMember(id, name, role, true)
            : new FamilyMember(null, null, role, false);
    }

    // ---------------------------------------------------------------- grouping dossiers

    /// <summary>POST /api/families: group dossiers into a family. Written as the caller: the repository asks write on
    /// netwerk in every member's dossier (403 when the caller sees one but may not, 404 when it sees nothing of it).</summary>
    private static async Task<Created<FamilyView>> Create(HttpContext http, FhirRepository repo, FamilyRequest request)
    {
        var name = ValidName(request.Name);
        var members = ValidMembers(request.Members);
        await RefuseOtherFamilyAsync(http, repo, members, null);
        var group = new Group
        {
            Type = Group.GroupType.Person,
            Actual = true,
            Active = true,
            Code = new CodeableConcept(Family.System, Family.Gezin, "Gezin", null),
            Name = name,
            Member = members.Select(m => NewMember(m, null)).ToList(),
        };
        var response = await repo.CreateAsync(FhirHttp.Context(http), "Group", group, null, http.RequestAborted);
        var created = FhirJson.Parse<Group>(response.Stored!.Json);
        var scope = await repo.Access.CompileAsync(FhirHttp.Caller(http), http.RequestAborted);
        return TypedResults.Created($"/api/families/{created.Id}", (await ViewsAsync(http, repo, scope, [created]))[0]);
    }

    /// <summary>PUT /api/families/{id}/members: adds the named dossiers (those already in it are kept; idempotent) and, when
    /// given, renames the family. The new version needs write on netwerk in every member's dossier, old and new.</summary>
    private static async Task<Ok<FamilyView>> AddMembers(HttpContext http, FhirRepository repo, string familyId, FamilyRequest request)
    {
        var members = ValidMembers(request.Members);
        var ctx = FhirHttp.Context(http);
        FhirResponse current;
        try
        {
            current = await repo.ReadAsync(ctx, "Group", familyId, http.RequestAborted);
        }
        catch (FhirException e) when (e.Status is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Gone)
        {
            throw ApiProblem.NotFound(ApiText.FamilyNotFound);
        }
        var group = FhirJson.Parse<Group>(current.Stored!.Json);
        if (!IsFamily(group)) throw ApiProblem.NotFound(ApiText.FamilyNotFound);
        var present = MemberIds(group).ToHashSet(StringComparer.Ordinal);
        var added = members.Where(m => !present.Contains(m)).ToList();
        await RefuseOtherFamilyAsync(http, repo, added, familyId);
        foreach (var m in added) group.Member.Add(NewMember(m, null));
        if (!string.IsNullOrWhiteSpace(request.Name)) group.Name = ValidName(request.Name);
        var response = await repo.UpdateAsync(ctx, "Group", familyId, group, $"W/\"{current.Stored.Version}\"", http.RequestAborted);
        var scope = await repo.Access.CompileAsync(FhirHttp.Caller(http), http.RequestAborted);
        return TypedResults.Ok((await ViewsAsync(http, repo, scope, [FhirJson.Parse<Group>(response.Stored!.Json)]))[0]);
    }

    private static bool IsFamily(Group group) => group.Code?.Coding.Any(c => c.System == Family.System && c.Code == Family.Gezin) == true;

    private static Group.MemberComponent NewMember(string patientId, string? role)
    {
        // No display: whoever reads netwerk in one member's dossier reads the Group, and must not learn another member's name.
        var member = new Group.MemberComponent { Entity = new ResourceReference($"Patient/{patientId}") };
        if (role is not null) member.AddExtension(Family.RoleExtension, new Code(role));
        return member;
    }

    /// <summary>A dossier belongs to one family (the caseload shows it under one): one already in another family the caller
    /// sees is refused (409). A family the caller cannot see is not revealed: the write itself then needs netwerk there.</summary>
    private static async System.Threading.Tasks.Task RefuseOtherFamilyAsync(HttpContext http, FhirRepository repo, IEnumerable<string> members, string? familyId)
    {
        foreach (var member in members)
            if ((await VisibleFamiliesAsync(http, repo, member)).FirstOrDefault(g => g.Id != familyId) is { } other)
                throw new ApiProblem(StatusCodes.Status409Conflict, ApiProblem.Text(ApiText.FamilyMemberInOtherFamily, other.Name ?? ""));
    }

    private static string ValidName(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length is 0 or > 100) throw ApiProblem.BadRequest(ApiText.FamilyNameInvalid);
        return trimmed;
    }

    private static List<string> ValidMembers(string[]? members)
    {
        var ids = (members ?? []).Select(m => m?.Trim() ?? "").Select(m => m.StartsWith("Patient/", StringComparison.Ordinal) ? m["Patient/".Length..] : m)
            .Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count is 0 or > 50 || ids.Any(id => !IdPattern().IsMatch(id))) throw ApiProblem.BadRequest(ApiText.FamilyMembersInvalid);
        return ids;
    }

    // ---------------------------------------------------------------- a naaste's own dossier

    /// <summary>
    /// POST /api/dossiers/{id}/family-member-dossier: a dossier of their own for a naaste of this dossier. Allowed to family
    /// with write on netwerk here (<see cref="FamilyRules.MemberDossier"/>); the naaste must be a RelatedPerson of this
    /// dossier the caller can read, without a dossier yet (409). Regie by <see cref="FamilyRules.NaasteHoldsOwnRegie"/>.
    /// Like starting a dossier, the platform writes it in one transaction on the caller's behalf (no one holds a grant on a
    /// dossier that does not exist yet): the Patient, the regie Consent, the caller's record in it (when the caller holds
    /// regie), the Persons' links (the caller's, and the naaste's own account so that the age rules give them their access),
    /// and the family Group with both dossiers.
    /// </summary>
    private static async Task<Created<DossierApi.CreatedDossier>> MemberDossier(HttpContext http, FhirRepository repo, TimeProvider clock, string patientId,
        MemberDossierRequest request)
    {
        var caller = FhirHttp.Caller(http);
        var ctx = FhirHttp.Context(http);
        var scope = await repo.Access.CompileAsync(caller, http.RequestAborted);
        var reader = await DossierReader.OpenAsync(http, repo, patientId);
        // The family this dossier belongs to, as the caller reads it (netwerk): the new dossier joins it.
        var family = (await VisibleFamiliesAsync(http, repo, patientId)).FirstOrDefault();
        switch (FamilyRules.MemberDossier(caller, scope, patientId, family is null ? [] : MemberIds(family)))
        {
            case MemberDossierRefusal.NotFamily: throw ApiProblem.Forbidden(DossierOperations.StartDossierRefusal(caller)!);
            case MemberDossierRefusal.NoNetworkWrite: throw ApiProblem.Forbidden(ApiText.FamilyNeedsNetworkWrite);
            case MemberDossierRefusal.NoRegie: throw ApiProblem.Forbidden(ApiText.FamilyMemberDossierNeedsRegie);
        }
        var personId = caller.FhirUser!["Person/".Length..];

        var relatedId = (request.RelatedPerson ?? "").Trim();
        if (relatedId.StartsWith("RelatedPerson/", StringComparison.Ordinal)) relatedId = relatedId["RelatedPerson/".Length..];
        if (!IdPattern().IsMatch(relatedId)) throw ApiProblem.BadRequest(ApiText.FamilyMemberNotInNetwork);
        var related = await reader.ReadAsync<RelatedPerson>("RelatedPerson", relatedId);
        if (related is null || related.Patient?.Reference != $"Patient/{patientId}")
            throw ApiProblem.NotFound(ApiText.FamilyMemberNotInNetwork);
        var naaste = $"RelatedPerson/{relatedId}";

        // Whether the naaste has a dossier already: a platform search, but only among the dossiers the caller can open, so
        // nothing is learned about a dossier the caller has no part in (and an existing one is named only then).
        var mine = scope.Patients.Keys.Where(id => FamilyRules.CanOpen(scope, id)).ToList();
        if (mine.Count > 0 && (await LinkedPatientsAsync(http, repo, scope, [naaste], mine)).TryGetValue(naaste, out var existingDossier))
            throw new ApiProblem(StatusCodes.Status409Conflict, ApiText.FamilyMemberHasDossier, extensions: new Dictionary<string, object?> { ["patientId"] = existingDossier });
        var platformLink = repo.AsPlatform(PlatformPurpose.AccountLink, ctx, scope);
        var taken = await repo.AsPlatform(PlatformPurpose.Families, ctx, scope)
            .SearchAsync("Patient", [new("link", naaste), new("_count", "1")], http.RequestAborted);
        if (taken.Count > 0) throw new ApiProblem(StatusCodes.Status409Conflict, ApiText.FamilyMemberHasDossierElsewhere);

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var birthText = request.BirthDate ?? related.BirthDate;
        DateOnly? birth = null;
        if (birthText is not null)
        {
            if (!DateOnly.TryParseExact(birthText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) || parsed > today)
                throw ApiProblem.BadRequest(ApiText.BirthDateInvalid);
            birth = parsed;
        }
        var stage = AgeRules.StageOf(birth, today);
        var naastePersons = await platformLink.PersonsActingAsAsync([naaste], http.RequestAborted);
        var hasAccount = naastePersons.Count > 0;
        if (FamilyRules.AdultNeedsAccount(stage, hasAccount))
            throw new ApiProblem(StatusCodes.Status422UnprocessableEntity, ApiText.FamilyMemberAdultNeedsAccount);
        var ownRegie = FamilyRules.NaasteHoldsOwnRegie(stage, hasAccount);

        var newId = Guid.NewGuid().ToString("D");
        var patient = new Patient
        {
            Id = newId,
            Active = true,
            Name = related.Name.Select(n => (HumanName)n.DeepCopy()).ToList(),
            Gender = related.Gender,
            BirthDate = birth?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Link = [new Patient.LinkComponent { Other = new ResourceReference(naaste), Type = Patient.LinkType.Seealso }],
        };
        var entries = new List<(Resource Resource, string? IfMatch)> { (patient, null) };
        string regiehouder;
        if (ownRegie)
        {
            regiehouder = $"Patient/{newId}";
        }
        else
        {
            var self = new RelatedPerson
            {
                Id = Guid.NewGuid().ToString("D"),
                Active = true,
                Patient = new ResourceReference($"Patient/{newId}"),
                // Who starts a minor's dossier is, as a rule, a parent; the family corrects it in the network when not.
                Relationship = [new CodeableConcept(NetworkRole.System, stage is AgeStage.Adult ? "familie" : "ouder",
                    NetworkRole.Display[stage is AgeStage.Adult ? "familie" : "ouder"], null)],
                Name = http.User.FindFirst("name")?.Value is { Length: > 0 } name ? [new HumanName { Text = name }] : [],
            };
            entries.Add((self, null));
            regiehouder = $"RelatedPerson/{self.Id}";
        }
        var consent = Grants.Regie(Guid.NewGuid().ToString("D"), newId, [regiehouder], null, clock.GetUtcNow());
        entries.Add((consent, null));

        // The Persons' links: the caller to their record in the new dossier; the naaste's account to the new Patient.
        var links = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (!ownRegie) links[personId] = [regiehouder];
        foreach (var p in naastePersons.Select(p => p["Person/".Length..]))
            (links.TryGetValue(p, out var l) ? l : links[p] = []).Add($"Patient/{newId}");
        foreach (var (id, targets) in links)
        {
            var stored = await platformLink.ReadAsync("Person", id, http.RequestAborted);
            var person = stored is { Deleted: false } ? FhirJson.Parse<Person>(stored.Json) : new Person { Id = id, Active = true };
            if (id == personId && person.Name.Count == 0 && http.User.FindFirst("name")?.Value is { Length: > 0 } accountName)
                person.Name = [new HumanName { Use = HumanName.NameUse.Usual, Text = accountName }];
            foreach (var t in targets)
                person.Link.Add(new Person.LinkComponent { Target = new ResourceReference(t), Assurance = Person.IdentityAssuranceLevel.Level2 });
            entries.Add((person, stored is null ? null : $"W/\"{stored.Version}\""));
        }

        // The family: this dossier's, or a new one named after the naaste's family name.
        var role = Family.RoleOf(NetworkRoleOf(related));
        if (family is null)
        {
            var familyName = related.Name.FirstOrDefault()?.Family is { Length: > 0 } surname ? surname : DisplayNames.Of(related.Name) ?? "";
            family = new Group
            {
                Id = Guid.NewGuid().ToString("D"),
                Type = Group.GroupType.Person,
                Actual = true,
                Active = true,
                Code = new CodeableConcept(Family.System, Family.Gezin, "Gezin", null),
                Name = ApiProblem.Text(ApiText.FamilyDefaultName, familyName).Trim(),
                Member = [NewMember(patientId, Family.Client)],
            };
            family.Member.Add(NewMember(newId, role));
            entries.Add((family, null));
        }
        else
        {
            var version = (await repo.ReadAsync(ctx, "Group", family.Id!, http.RequestAborted)).Stored!.Version;
            family.Member.Add(NewMember(newId, role));
            entries.Add((family, $"W/\"{version}\""));
        }

        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        foreach (var (r, ifMatch) in entries)
            bundle.Entry.Add(new Bundle.EntryComponent { Resource = r, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"{r.TypeName}/{r.Id}", IfMatch = ifMatch } });
        // The platform writes on the person's behalf (as when starting a dossier): the person's sub and fhirUser in the audit log.
        var onBehalf = new FhirContext(new CallerContext(caller.Subject, caller.FhirUser, [], IsSystem: true, caller.ClientId, caller.Roles), ctx.BaseUrl)
            { RequestId = http.TraceIdentifier };
        await repo.ProcessBundleAsync(onBehalf, bundle, http.RequestAborted);
        return TypedResults.Created($"/api/dossiers/{newId}/overview", new DossierApi.CreatedDossier(newId, regiehouder, consent.Id!));
    }

    /// <summary>The naaste's role in the client's network: the project's netwerkrol, else the HL7 role code the demo uses.</summary>
    private static string? NetworkRoleOf(RelatedPerson related)
    {
        var codings = related.Relationship.SelectMany(r => r.Coding).ToList();
        if (codings.FirstOrDefault(c => c.System == NetworkRole.System)?.Code is { } own) return own;
        return codings.FirstOrDefault(c => c.System == "http://terminology.hl7.org/CodeSystem/v3-RoleCode")?.Code switch
        {
            "BRO" or "SIS" or "SIB" => Family.BroerZus,
            "DAU" or "SON" or "CHILD" => Family.Kind,
            "MTH" or "FTH" or "PRN" => Family.Ouder,
            "SPS" or "HUSB" or "WIFE" => Family.Partner,
            _ => null,
        };
    }

    // ---------------------------------------------------------------- goals about a naaste

    /// <summary>
    /// For the naastes (RelatedPerson/x) among <paramref name="naastes"/>, the dossier of their own (Patient with link to
    /// them), looked for only among <paramref name="openable"/>: the dossiers the caller can open. The read passes the
    /// sections (a bondgenoot without profiel still follows the link), never the dossiers the caller has no part in.
    /// </summary>
    internal static async Task<Dictionary<string, string>> LinkedPatientsAsync(HttpContext http, FhirRepository repo, AccessScope scope,
        IReadOnlyCollection<string> naastes, IReadOnlyCollection<string> openable)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        if (naastes.Count == 0 || openable.Count == 0) return found;
        var patients = await repo.AsPlatform(PlatformPurpose.Families, FhirHttp.Context(http), scope).SearchAsync("Patient",
            [new("link", string.Join(",", naastes)), new("_id", string.Join(",", openable)), new("_count", "100")], http.RequestAborted);
        foreach (var stored in patients)
        {
            var patient = FhirJson.Parse<Patient>(stored.Json);
            foreach (var link in patient.Link.Select(l => l.Other?.Reference).OfType<string>())
                if (naastes.Contains(link)) found.TryAdd(link, patient.Id!);
        }
        return found;
    }

    /// <summary>GoalView.ConcernsDossier: the own dossier of the naaste a goal is about, only when the caller can open it.</summary>
    internal static async Task<DomainGoals[]> WithMemberDossiersAsync(HttpContext http, FhirRepository repo, AccessScope scope, string patientId,
        IReadOnlyList<Goal> goals, DomainGoals[] views)
    {
        var concerns = goals.Select(g => (g.Id, Ref: Pgo.Shared.Mapping.PlanMapping.ConcernsOf(g)?.Reference))
            .Where(c => c.Ref is not null && c.Ref.StartsWith("RelatedPerson/", StringComparison.Ordinal)).ToList();
        if (concerns.Count == 0) return views;
        var openable = scope.Patients.Keys.Where(id => id != patientId && FamilyRules.CanOpen(scope, id)).ToList();
        var linked = await LinkedPatientsAsync(http, repo, scope, concerns.Select(c => c.Ref!).Distinct(StringComparer.Ordinal).ToList(), openable);
        if (linked.Count == 0) return views;
        var byGoal = concerns.Where(c => linked.ContainsKey(c.Ref!)).ToDictionary(c => c.Id!, c => linked[c.Ref!], StringComparer.Ordinal);
        return views.Select(d => d with { Goals = d.Goals.Select(g => byGoal.TryGetValue(g.Id, out var p) ? g with { ConcernsDossier = p } : g).ToArray() }).ToArray();
    }

    [GeneratedRegex("^[A-Za-z0-9\\-\\.]{1,64}$")]
    private static partial Regex IdPattern();
}
