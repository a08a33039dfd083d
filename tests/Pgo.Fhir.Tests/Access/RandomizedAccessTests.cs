using System.Diagnostics;
using System.Globalization;
using System.Net;
using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using Pgo.Fhir.Serialization;
using Pgo.Shared.Codes;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Fhir.Tests.Access;

/// <summary>
/// Random families, people, grants, hidden items, stand-ins, revocations and a moving clock; thousands of reads,
/// searches and creates through the repository, each compared with <see cref="AccessModel"/>. The seed is printed
/// and part of every failure message; PGO_ACCESS_SEED=&lt;n&gt; replays it, PGO_ACCESS_CASES sets the number of cases.
/// </summary>
public class RandomizedAccessTests(ITestOutputHelper output)
{
    private static readonly string[] Types = ["Patient", "Goal", "DocumentReference", "Consent", "Appointment", "CarePlan", "Task", "Condition", "Communication", "Basic"];
    private static readonly string[] ScopeSets = ["user/*.cruds", "user/*.cruds", "user/*.cruds", "patient/*.rs", "patient/Goal.rs", "user/Goal.cruds user/Appointment.rs", ""];

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async System.Threading.Tasks.Task Random_families_and_grants_agree_with_the_reference_model(string provider)
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("PGO_ACCESS_SEED"), out var s) ? s : Random.Shared.Next();
        var cases = int.TryParse(Environment.GetEnvironmentVariable("PGO_ACCESS_CASES"), out var c) ? c : 5000;
        output.WriteLine($"seed {seed} (replay: PGO_ACCESS_SEED={seed}), {cases} cases, {provider}");
        await using var db = await TestDatabases.CreateAsync(provider);

        var watch = Stopwatch.StartNew();
        var rng = new Random(seed);
        var clock = new TestClock(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
        await using var rig = new PolicyRig(db, clock);
        var model = new AccessModel();
        await BuildWorldAsync(rig, model, rng, clock);
        var people = model.People.Keys.ToArray();
        var patients = model.BirthDates.Keys.ToArray();
        int reads = 0, searches = 0, creates = 0, mutations = 0, visibleReads = 0, nonEmptySearches = 0, allowedCreates = 0, allowedMultiCreates = 0;

        for (var i = 0; i < cases; i++)
        {
            var where = $"seed {seed}, case {i}";
            if (rng.Next(40) == 0)
            {
                await MutateAsync(rig, model, rng, clock);
                mutations++;
                // A client who got an account signs in from now on.
                people = model.People.Keys.ToArray();
                continue;
            }
            var person = people[rng.Next(people.Length)];
            var scopes = ScopeSets[rng.Next(ScopeSets.Length)];
            var types = TypePermissions.FromScopes(scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), "patient", "user");
            var ctx = PolicyRig.As(person, scopes);
            switch (rng.Next(4))
            {
                case 0:
                {
                    var type = Types[rng.Next(Types.Length)];
                    var expected = model.Items.Where(x => x.Type == type && (types.Allows('r', type) || types.Allows('s', type)) && model.Decide(person, x, clock.Now).Read)
                        .Select(x => x.Id).Order(StringComparer.Ordinal).ToList();
                    var bundle = FhirJson.Parse<Bundle>((await rig.Repository.SearchAsync(ctx, type, [new("_count", "1000")])).Json!);
                    var actual = bundle.Entry.Select(e => e.Resource.Id).Order(StringComparer.Ordinal).ToList();
                    actual.ShouldBe(expected, $"{where}: {person} [{scopes}] searched {type}");
                    bundle.Total.ShouldBe(expected.Count, where);
                    searches++;
                    if (expected.Count > 0) nonEmptySearches++;
                    break;
                }
                case 1:
                {
                    var item = model.Items[rng.Next(model.Items.Count)];
                    var visible = (types.Allows('r', item.Type) || types.Allows('s', item.Type)) && model.Decide(person, item, clock.Now).Read;
                    var status = await StatusAsync(() => rig.Repository.ReadAsync(ctx, item.Type, item.Id));
                    status.ShouldBe(visible ? HttpStatusCode.OK : HttpStatusCode.NotFound, $"{where}: {person} [{scopes}] read {item.Type}/{item.Id} ({item.Section} of {item.Patient})");
                    reads++;
                    if (visible) visibleReads++;
                    break;
                }
                case 2:
                {
                    // A write touching several dossiers (a Group naming clients of one or two families) needs write in each.
                    var members = patients.OrderBy(_ => rng.Next()).Take(rng.Next(1, 3)).ToList();
                    var group = new Group { Type = Group.GroupType.Person, Actual = true,
                        Member = members.Select(m => new Group.MemberComponent { Entity = new ResourceReference($"Patient/{m}") }).ToList() };
                    var allowed = types.Allows('c', "Group") && model.MayCreate(person, "Group", Section.Netwerk, members, clock.Now);
                    var expected = allowed ? HttpStatusCode.Created
                        : !types.IsEmpty && members.All(m => model.AnyAccess(person, m, clock.Now)) ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound;
                    var status = await StatusAsync(() => rig.Repository.CreateAsync(ctx, "Group", group, null));
                    status.ShouldBe(expected, $"{where}: {person} [{scopes}] created a Group naming {string.Join(", ", members)}");
                    creates++;
                    if (status == HttpStatusCode.Created) { allowedCreates++; if (members.Count > 1) allowedMultiCreates++; }
                    break;
                }
                default:
                {
                    var patient = patients[rng.Next(patients.Length)];
                    var section = Section.Dossier[rng.Next(Section.Dossier.Count)];
                    var resource = PolicyRig.NewResource(section, patient);
                    // A person sends a message as themselves (W6; as their Person: a client's Patient would add a compartment); it reaches its sender.
                    var record = $"Person/{person}";
                    if (resource is Communication message) message.Sender = new ResourceReference(record);
                    var probe = new AccessModel.Item(resource.TypeName, "new", patient, section, section == Section.Berichten ? new HashSet<string> { record } : null);
                    var allowed = types.Allows('c', resource.TypeName) && model.Decide(person, probe, clock.Now).Write;
                    // A token without any resource scope opens nothing: refusals look like a missing dossier then.
                    var expected = allowed ? HttpStatusCode.Created
                        : !types.IsEmpty && model.AnyAccess(person, patient, clock.Now) ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound;
                    FhirResponseHolder holder = new();
                    var status = await StatusAsync(async () => holder.Response = await rig.Repository.CreateAsync(ctx, resource.TypeName, resource, null));
                    status.ShouldBe(expected, $"{where}: {person} [{scopes}] created {resource.TypeName} in {section} of {patient}");
                    if (status == HttpStatusCode.Created)
                    {
                        model.Items.Add(probe with { Id = holder.Response!.Stored!.Id });
                        allowedCreates++;
                    }
                    creates++;
                    break;
                }
            }
        }
        output.WriteLine($"{reads} reads ({visibleReads} visible), {searches} searches ({nonEmptySearches} non-empty), {creates} creates ({allowedCreates} allowed, {allowedMultiCreates} in two dossiers), " +
                         $"{mutations} revocations/clock moves in {watch.Elapsed.TotalSeconds:N1} s");
        // The run must have exercised both sides of the rules, not only refusals.
        (visibleReads * nonEmptySearches * allowedCreates).ShouldBeGreaterThan(0, $"seed {seed}: a degenerate world");
    }

    private sealed class FhirResponseHolder { public Pgo.Fhir.Rest.FhirResponse? Response; }

    private static async Task<HttpStatusCode> StatusAsync(Func<System.Threading.Tasks.Task> action)
    {
        try
        {
            await action();
            return HttpStatusCode.OK;
        }
        catch (FhirException e)
        {
            return e.Status;
        }
    }

    private static async Task<HttpStatusCode> StatusAsync(Func<Task<Pgo.Fhir.Rest.FhirResponse>> action)
    {
        try
        {
            return (await action()).Status;
        }
        catch (FhirException e)
        {
            return e.Status;
        }
    }

    /// <summary>3–4 families (a client of random age, content in random sections), 12 people, random grants.</summary>
    private static async System.Threading.Tasks.Task BuildWorldAsync(PolicyRig rig, AccessModel model, Random rng, TestClock clock)
    {
        var today = DateOnly.FromDateTime(clock.Now.UtcDateTime);
        var families = rng.Next(3, 5);
        for (var f = 0; f < families; f++)
        {
            var id = $"rnd-p{f}";
            // Ages near the steps, so that birthdays (12, 16, 18) pass as the clock moves.
            var age = new[] { 8, 11, 13, 15, 16, 17, 17, 25, 40 }[rng.Next(9)];
            var birth = today.AddYears(-age).AddDays(-rng.Next(0, 300));
            model.BirthDates[id] = birth;
            await rig.PutAsync(new Patient { Id = id, BirthDate = birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });
            model.Items.Add(new AccessModel.Item("Patient", id, id, Section.Profiel));
            foreach (var section in Section.Dossier.Where(_ => rng.Next(2) == 0))
            {
                var r = await rig.PutAsync(PolicyRig.NewResource(section, id));
                model.Items.Add(new AccessModel.Item(r.TypeName, r.Id, id, section));
            }
            // Most clients can sign in as themselves; without an account a parent's regie continues provisionally after 18.
            if (rng.Next(4) != 0) await AccountAsync(rig, model, f);
        }
        for (var o = 0; o < 2; o++) await rig.PutAsync(new Organization { Id = $"rnd-org{o}" });
        for (var p = 0; p < 12; p++)
        {
            var practitioner = rng.Next(2) == 0;
            string record;
            string? org = null;
            if (practitioner)
            {
                record = $"Practitioner/rnd-pr{p}";
                await rig.PutAsync(new Practitioner { Id = $"rnd-pr{p}" });
                if (rng.Next(2) == 0)
                {
                    org = $"Organization/rnd-org{rng.Next(2)}";
                    await rig.PutAsync(new PractitionerRole { Id = $"rnd-role{p}", Practitioner = new ResourceReference(record), Organization = new ResourceReference(org) });
                }
            }
            else
            {
                record = $"RelatedPerson/rnd-rp{p}";
                await rig.PutAsync(new RelatedPerson { Id = $"rnd-rp{p}", Patient = new ResourceReference($"Patient/rnd-p{rng.Next(families)}") });
            }
            await rig.PutAsync(new Person { Id = $"rnd-person{p}", Link = [new Person.LinkComponent { Target = new ResourceReference(record) }] });
            model.People[$"rnd-person{p}"] = new AccessModel.Person($"rnd-person{p}", record, org);
        }

        var actors = model.People.Values.Where(p => p.Id.StartsWith("rnd-", StringComparison.Ordinal)).ToArray();
        // Conversations: a sender and recipients among the people, the client, and the organisations.
        var addressable = actors.Select(a => a.Record).Concat(["Organization/rnd-org0", "Organization/rnd-org1"]).ToArray();
        for (var f = 0; f < families; f++)
        {
            var patient = $"rnd-p{f}";
            for (var k = rng.Next(1, 4); k > 0; k--)
            {
                var all = addressable.Append($"Patient/{patient}").ToArray();
                var participants = all.OrderBy(_ => rng.Next()).Take(rng.Next(1, 4)).ToList();
                var message = (Communication)PolicyRig.NewResource(Section.Berichten, patient);
                message.Sender = new ResourceReference(participants[0]);
                message.Recipient = participants.Skip(1).Select(r => new ResourceReference(r)).ToList();
                var stored = await rig.PutAsync(message);
                model.Items.Add(new AccessModel.Item("Communication", stored.Id, patient, Section.Berichten, participants.ToHashSet()));
            }
        }
        for (var f = 0; f < families; f++)
        {
            var patient = $"rnd-p{f}";
            DateTimeOffset? From() => rng.Next(4) switch { 0 => clock.Now.AddDays(-rng.Next(1, 100)), 1 => clock.Now.AddDays(rng.Next(1, 60)), _ => null };
            DateTimeOffset? Until() => rng.Next(3) switch { 0 => clock.Now.AddDays(rng.Next(1, 200)), 1 => clock.Now.AddDays(-rng.Next(1, 30)), _ => null };
            DateTimeOffset? RepresentationBound(int days) => rng.Next(3) == 0 ? clock.Now.AddDays(rng.Next(-days, days)) : null;
            for (var k = rng.Next(0, 3); k > 0; k--)
            {
                var actor = actors[rng.Next(actors.Length)];
                // Legal representation (mentor, curator, WGBO; bewind is a grant of its own below), with a period and what the client keeps.
                var basis = new[] { null, null, null, LegalRepresentation.Mentor, LegalRepresentation.Curator, LegalRepresentation.Wgbo }[rng.Next(6)];
                var (repFrom, repUntil) = basis is null ? (null, null) : (RepresentationBound(300), RepresentationBound(600));
                var keeps = basis is null ? null : new[] { null, RegieCodes.ClientAccess.Write, RegieCodes.ClientAccess.Read, RegieCodes.ClientAccess.None }[rng.Next(4)];
                var consent = Grants.Regie(null, patient, [actor.Record], basis);
                if (basis is not null) RegieConsents.WithRepresentation(consent, repFrom, repUntil, "reden", keeps);
                var legal = basis is not null;
                await AddAsync(rig, model, consent, new AccessModel.Grant("", patient, "regie", actor.Record, legal, null, true, true, null, null, null, false, null)
                    { RepresentationFrom = repFrom, RepresentationUntil = repUntil, ClientKeeps = keeps });
            }
            // Sometimes the client's own regie Consent (it yields to a representation in force).
            if (rng.Next(4) == 0)
                await AddAsync(rig, model, Grants.Regie(null, patient, [$"Patient/{patient}"]),
                    new AccessModel.Grant("", patient, "regie", $"Patient/{patient}", false, null, true, true, null, null, null, false, null));
            // A named successor (grants nothing, whatever it lists) and a bewindvoerder (financien, within the period).
            if (rng.Next(3) == 0)
            {
                var actor = actors[rng.Next(actors.Length)];
                var sections = rng.Next(3) == 0 ? null : Section.Dossier.Where(_ => rng.Next(3) == 0).DefaultIfEmpty(Section.Doelen).ToHashSet();
                var standIns = rng.Next(2) == 0;
                await AddAsync(rig, model, RegieConsents.Opvolger(null, patient, actor.Record, sections, standIns),
                    new AccessModel.Grant("", patient, "opvolger", actor.Record, false, sections, true, false, null, null, null, standIns, null));
            }
            if (rng.Next(3) == 0)
            {
                var actor = actors[rng.Next(actors.Length)];
                var sections = rng.Next(3) == 0 ? [Section.Financien, Section.Medisch] : new HashSet<string> { Section.Financien };
                var (repFrom, repUntil, write, standIns) = (RepresentationBound(200), RepresentationBound(400), rng.Next(2) == 0, rng.Next(2) == 0);
                var consent = RegieConsents.Bewind(null, patient, actor.Record, write, sections, repFrom, repUntil);
                if (standIns) consent.SetExtension(PgoCodes.Extensions.AllowStandIn, new FhirBoolean(true));
                await AddAsync(rig, model, consent, new AccessModel.Grant("", patient, "bewind", actor.Record, false, sections, write, false, null, null, null, standIns, null)
                    { RepresentationFrom = repFrom, RepresentationUntil = repUntil });
            }
            for (var k = rng.Next(2, 6); k > 0; k--)
            {
                var actor = actors[rng.Next(actors.Length)];
                var sections = rng.Next(5) == 0 ? null : Section.Dossier.Where(_ => rng.Next(3) == 0).ToHashSet();
                if (sections is { Count: 0 }) sections.Add(Section.Agenda);
                var write = rng.Next(2) == 0;
                var manage = rng.Next(8) == 0;
                var (from, until) = (From(), Until());
                var standIns = rng.Next(2) == 0;
                await AddAsync(rig, model, Grants.Grant(null, patient, actor.Record, GrantRole.Ondersteuner, sections, write, manage, from, until, standIns),
                    new AccessModel.Grant("", patient, "grant", actor.Record, false, sections, write, manage, from, until, null, standIns, null));
            }
            var items = model.Items.Where(i => i.Patient == patient && i.Type != "Consent").ToList();
            if (rng.Next(2) == 0 && items.Count > 0)
            {
                var org = $"Organization/rnd-org{rng.Next(2)}";
                var shared = items.OrderBy(_ => rng.Next()).Take(rng.Next(1, 3)).Select(i => $"{i.Type}/{i.Id}").ToHashSet();
                var until = clock.Now.AddDays(rng.Next(-5, 60));
                await AddAsync(rig, model, Grants.SharePackage(null, patient, org, "aanvraag", until, shared),
                    new AccessModel.Grant("", patient, "share", org, false, null, false, false, null, until, shared, false, null));
            }
            for (var k = rng.Next(0, 3); k > 0 && items.Count > 0; k--)
            {
                var item = items[rng.Next(items.Count)];
                var actor = actors[rng.Next(actors.Length)];
                await AddAsync(rig, model, Grants.Hide(null, patient, $"{item.Type}/{item.Id}", actor.Record),
                    new AccessModel.Grant("", patient, "hide", actor.Record, false, null, false, false, null, null, [$"{item.Type}/{item.Id}"], false, null));
            }
            // Issue 21: a research Consent grants nothing, even one that (wrongly) names an actor with a role, sections and actions.
            if (rng.Next(3) == 0)
            {
                var actor = actors[rng.Next(actors.Length)];
                var research = rng.Next(2) == 0 ? Grants.Research(null, patient, clock.Now.AddDays(-1))
                    : AsResearch(rng.Next(2) == 0 ? Grants.Regie(null, patient, [actor.Record]) : Grants.Grant(null, patient, actor.Record, GrantRole.Ondersteuner, null, write: true, manage: true));
                await AddAsync(rig, model, research, new AccessModel.Grant("", patient, "research", actor.Record, false, null, true, true, null, null, null, false, null));
            }
            var sources = model.Grants.Where(g => g.Patient == patient && g.Kind is "grant" or "bewind" or "opvolger").ToList();
            if (sources.Count > 0 && rng.Next(2) == 0)
            {
                var source = sources[rng.Next(sources.Count)];
                var colleague = actors.Where(a => a.Record.StartsWith("Practitioner/", StringComparison.Ordinal)).OrderBy(_ => rng.Next()).First();
                var from = clock.Now.AddDays(rng.Next(-10, 5));
                var until = from.AddDays(rng.Next(1, 20));
                await AddAsync(rig, model, Grants.StandIn(null, patient, source.Id, colleague.Record, from, until),
                    new AccessModel.Grant("", patient, "standin", colleague.Record, false, null, false, false, from, until, null, false, source.Id));
            }
        }
    }

    /// <summary>A grant's Consent turned into a research Consent (scope research, category onderzoek), its actors kept.</summary>
    private static Consent AsResearch(Consent consent)
    {
        consent.Scope = new CodeableConcept(PgoCodes.ConsentScopeSystem, PgoCodes.Research);
        consent.Category = [new CodeableConcept(PgoCodes.ConsentCategory.System, PgoCodes.ConsentCategory.Onderzoek)];
        return consent;
    }

    private static async System.Threading.Tasks.Task AddAsync(PolicyRig rig, AccessModel model, Consent consent, AccessModel.Grant grant)
    {
        var stored = await rig.PutAsync(consent);
        model.Grants.Add(grant with { Id = stored.Id });
        model.Items.Add(new AccessModel.Item("Consent", stored.Id, grant.Patient, Section.Toegang));
    }

    /// <summary>The platform links a Person to the client (an accepted invitation): the client signs in as themselves.</summary>
    private static async System.Threading.Tasks.Task AccountAsync(PolicyRig rig, AccessModel model, int family)
    {
        var id = $"rnd-p{family}";
        await rig.PutAsync(new Person { Id = $"self-{family}", Link = [new Person.LinkComponent { Target = new ResourceReference($"Patient/{id}") }] });
        model.People[$"self-{family}"] = new AccessModel.Person($"self-{family}", $"Patient/{id}", null);
        model.Accounts.Add(id);
    }

    /// <summary>Revoke a grant (status inactive), give a client an account, or move the clock (grants and representations
    /// start and end, clients pass 12, 16 and 18).</summary>
    private static async System.Threading.Tasks.Task MutateAsync(PolicyRig rig, AccessModel model, Random rng, TestClock clock)
    {
        var withoutAccount = model.BirthDates.Keys.Where(p => !model.Accounts.Contains(p)).ToList();
        if (withoutAccount.Count > 0 && rng.Next(4) == 0)
        {
            await AccountAsync(rig, model, int.Parse(withoutAccount[rng.Next(withoutAccount.Count)]["rnd-p".Length..], CultureInfo.InvariantCulture));
        }
        else if (rng.Next(2) == 0 && model.Grants.Count > 0)
        {
            var grant = model.Grants[rng.Next(model.Grants.Count)];
            var consent = FhirJson.Parse<Consent>((await rig.Repository.ReadAsync(PolicyRig.System, "Consent", grant.Id)).Stored!.Json);
            consent.Status = Consent.ConsentState.Inactive;
            await rig.PutAsync(consent);
            grant.Active = false;
        }
        else
        {
            clock.Now = clock.Now.AddDays(rng.Next(1, 400));
        }
    }
}
