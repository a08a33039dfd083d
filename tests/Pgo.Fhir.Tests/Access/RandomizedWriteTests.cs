using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reflection;
using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using Pgo.Shared.Codes;
using static Pgo.Fhir.Access.PgoCodes;
using Task = System.Threading.Tasks.Task;

namespace Pgo.Fhir.Tests.Access;

/// <summary>
/// Random people write at random (items with random labels — among them events that count, section gebeurtenissen —,
/// changes of intensity (W8: only the family's supporter, as themself, never changed afterwards), moves to other dossiers, deletes, PUTs of new and of
/// deleted ids, bundles, writes naming two families, Consents of every kind — regie, legal representation with and
/// without a document, grants, share packages, hides, stand-ins — and ends of Consents, Person links and
/// organisation memberships, and bulk imports (POST $import, ADR 15: refused for persons, all or nothing, never an
/// access-shaping type nor an id that exists)). Each write is applied or refused by the engine and judged by <see cref="WriteModel"/>;
/// after every step each person's reads are compared with <see cref="AccessModel"/>, which changes only through the
/// Consents the model lets through. A write the model refuses but the engine applies fails at once (a widening), as
/// does any difference in what someone can read. PGO_WRITE_SEED=&lt;n&gt; replays a run, PGO_WRITE_CASES sets the number
/// of steps (default 150: well under a minute per provider on two cores); PGO_WRITE_KINDS=create,update,... and
/// PGO_WRITE_LABELS=0 narrow a run down to some rules while looking into one.
/// </summary>
public class RandomizedWriteTests(ITestOutputHelper output)
{
    private const string KeySystem = "urn:pgo:randomized-write";
    // Messages are left out: who reads a Communication follows its participants (W6), which this model does not track.
    private static readonly string[] Sections = Section.Dossier.Where(s => s != Section.Berichten).ToArray();
    private static readonly string[] Types = ["Patient", "Goal", "DocumentReference", "Consent", "Appointment", "CarePlan", "Task", "Condition", "Basic", "CareTeam", "QuestionnaireResponse"];

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Random_writes_change_access_only_through_Consents_of_entitled_people(string provider)
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("PGO_WRITE_SEED"), out var s) ? s : Random.Shared.Next();
        var cases = int.TryParse(Environment.GetEnvironmentVariable("PGO_WRITE_CASES"), out var c) ? c : 150;
        output.WriteLine($"seed {seed} (replay: PGO_WRITE_SEED={seed}), {cases} steps, {provider}");
        await using var db = await TestDatabases.CreateAsync(provider);

        await using var run = new Run(seed, output);
        await run.BuildAsync(db);
        for (var step = 0; step < cases; step++)
        {
            await run.StepAsync(step);
            await run.CompareReadsAsync(step);
        }
        run.Finish();
    }

    private sealed class Run(int seed, ITestOutputHelper output) : IAsyncDisposable
    {
        private readonly Random rng = new(seed);
        private readonly TestClock clock = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
        private readonly AccessModel model = new();
        private WriteModel rules = null!;
        private PolicyRig rig = null!;
        private readonly Stopwatch watch = Stopwatch.StartNew();
        private readonly Dictionary<string, int> applied = [], refused = [], narrowerThanModel = [], widerThanModel = [];
        private readonly List<string> deletedIds = [];
        private string[] people = [];
        private string[] patients = [];
        private string last = "(the world as built)";
        private int reads;

        private string Where(int step) => $"seed {seed} (PGO_WRITE_SEED={seed}), step {step}, after: {last}";

        public async Task BuildAsync(TestDb db)
        {
            rig = new PolicyRig(db, clock);
            rules = new WriteModel(model);
            var today = DateOnly.FromDateTime(clock.Now.UtcDateTime);
            var related = rules.RelatedOf;
            for (var f = 0; f < 3; f++)
            {
                var id = $"rw-p{f}";
                // Ages near the steps, so that birthdays (12, 16, 18) pass as the clock moves.
                var birth = today.AddYears(-new[] { 8, 11, 13, 15, 16, 17, 25, 40 }[rng.Next(8)]).AddDays(-rng.Next(0, 300));
                model.BirthDates[id] = birth;
                await rig.PutAsync(new Patient { Id = id, BirthDate = birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });
                model.Items.Add(new AccessModel.Item("Patient", id, id, Section.Profiel));
                foreach (var section in Sections.Where(_ => rng.Next(2) == 0))
                {
                    var r = await rig.PutAsync(PolicyRig.NewResource(section, id));
                    model.Items.Add(new AccessModel.Item(r.TypeName, r.Id, id, section));
                }
                // Most clients have an account; without one a parent's regie continues provisionally after 18.
                if (rng.Next(4) != 0) await AccountAsync(f);
            }
            await rig.PutAsync(new Organization { Id = "rw-org" });
            await rig.PutAsync(new Organization { Id = "rw-org2" });
            for (var p = 0; p < 9; p++)
            {
                string record;
                string? org = null;
                if (p % 2 == 0)
                {
                    record = $"Practitioner/rw-pr{p}";
                    await rig.PutAsync(new Practitioner { Id = $"rw-pr{p}" });
                    // Teams: a stand-in must share one with the supporter they stand in for.
                    org = p == 0 ? "Organization/rw-org" : new[] { null, "Organization/rw-org", "Organization/rw-org2" }[rng.Next(3)];
                    if (org is not null)
                    {
                        await rig.PutAsync(new PractitionerRole { Id = $"rw-role{p}", Practitioner = new ResourceReference(record), Organization = new ResourceReference(org) });
                        rules.Teams[record] = [org];
                    }
                }
                else
                {
                    record = $"RelatedPerson/rw-rp{p}";
                    await rig.PutAsync(new RelatedPerson { Id = $"rw-rp{p}", Patient = new ResourceReference($"Patient/rw-p{p % 3}") });
                    related[record] = $"rw-p{p % 3}";
                }
                await rig.PutAsync(new Person { Id = $"rw-person{p}", Link = [new Person.LinkComponent { Target = new ResourceReference(record) }] });
                model.People[$"rw-person{p}"] = new AccessModel.Person($"rw-person{p}", record, org);
            }
            people = model.People.Keys.ToArray();
            patients = model.BirthDates.Keys.ToArray();

            // Each family starts with a regiehouder (RelatedPersons of that family), and a few grants, written by the platform.
            var actors = model.People.Values.Where(x => x.Id.StartsWith("rw-person", StringComparison.Ordinal)).ToArray();
            foreach (var patient in patients)
            {
                var parent = actors.First(a => a.Record == $"RelatedPerson/rw-rp{2 * Array.IndexOf(patients, patient) + 1}");
                // Half the parents are mentor, some for a period that ends while the test runs.
                var mentor = rng.Next(2) == 0;
                DateTimeOffset? until = mentor && rng.Next(3) == 0 ? clock.Now.AddDays(rng.Next(1, 300)) : null;
                var regie = Grants.Regie(null, patient, [parent.Record], mentor ? LegalRepresentation.Mentor : null);
                if (until is not null) RegieConsents.WithRepresentation(regie, until: until);
                await PlatformGrantAsync(regie,
                    new AccessModel.Grant("", patient, "regie", parent.Record, mentor, null, true, true, null, null, null, false, null) { RepresentationUntil = until });
                for (var k = rng.Next(1, 4); k > 0; k--)
                {
                    var actor = actors[rng.Next(actors.Length)];
                    var sections = Sections.Where(_ => rng.Next(3) == 0).ToHashSet();
                    if (sections.Count == 0) sections.Add(Section.Plan);
                    var (write, manage) = (rng.Next(2) == 0, rng.Next(4) == 0);
                    await PlatformGrantAsync(Grants.Grant(null, patient, actor.Record, GrantRole.Ondersteuner, sections, write, manage, allowStandIn: true),
                        new AccessModel.Grant("", patient, "grant", actor.Record, false, sections, write, manage, null, null, null, true, null));
                }
            }
        }

        /// <summary>The platform links a Person to the client (an accepted invitation).</summary>
        private async Task AccountAsync(int family)
        {
            var id = $"rw-p{family}";
            await rig.PutAsync(new Person { Id = $"rw-self{family}", Link = [new Person.LinkComponent { Target = new ResourceReference($"Patient/{id}") }] });
            model.People[$"rw-self{family}"] = new AccessModel.Person($"rw-self{family}", $"Patient/{id}", null);
            model.Accounts.Add(id);
            people = model.People.Keys.ToArray();
        }

        private async Task PlatformGrantAsync(Consent consent, AccessModel.Grant grant)
        {
            var stored = await rig.PutAsync(consent);
            model.Grants.Add(grant with { Id = stored.Id });
            model.Items.Add(new AccessModel.Item("Consent", stored.Id, grant.Patient, Section.Toegang));
            rules.Performer[stored.Id] = null;
        }

        // ------------------------------------------------------------------ one random write

        public async Task StepAsync(int step)
        {
            if (rng.Next(30) == 0)
            {
                clock.Now = clock.Now.AddDays(rng.Next(1, 200));
                last = $"the clock moved to {clock.Now:yyyy-MM-dd}";
                return;
            }
            var person = people[rng.Next(people.Length)];
            var ctx = PolicyRig.As(person);
            string kind;
            do kind = NextKind();
            while (Only is { } only && !only.Contains(kind));
            switch (kind)
            {
                case "create": await CreateItemAsync(step, person, ctx); break;
                case "intensity": await IntensityAsync(step, person, ctx); break;
                case "update": await UpdateItemAsync(step, person, ctx); break;
                case "delete": await DeleteItemAsync(step, person, ctx); break;
                case "put-create" or "recreate-deleted": await PutCreateAsync(step, person, ctx, kind); break;
                case "bundle": await BundleAsync(step, person, ctx); break;
                case "two-families": await TwoFamiliesAsync(step, person, ctx); break;
                case "consent": await ConsentAsync(step, person, ctx); break;
                case "end-consent": await EndConsentAsync(step, person, ctx); break;
                case "person-link": await PersonLinkAsync(step, person, ctx); break;
                case "account" when patients.FirstOrDefault(p => !model.Accounts.Contains(p)) is { } lacking:
                    await AccountAsync(int.Parse(lacking["rw-p".Length..], CultureInfo.InvariantCulture));
                    last = $"{lacking} got an account";
                    break;
                case "import": await ImportAsync(step, person); break;
                default: await MembershipAsync(step, person, ctx); break;
            }
        }

        /// <summary>PGO_WRITE_KINDS=create,update,... limits a run to some kinds (to look at one rule at a time).</summary>
        private static readonly string[]? Only = Environment.GetEnvironmentVariable("PGO_WRITE_KINDS")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        private string NextKind() =>
            rng.Next(110) switch
            {
                < 15 => "create",
                < 18 => "intensity",
                < 30 => "update",
                < 37 => "delete",
                < 42 => "put-create",
                < 45 => "recreate-deleted",
                < 51 => "bundle",
                < 56 => "two-families",
                < 80 => "consent",
                < 90 => "end-consent",
                < 94 => "person-link",
                < 97 => "account",
                < 100 => "membership",
                _ => "import",
            };

        /// <summary>A patient: mostly one the person can see something of, so that writes are not all refused.</summary>
        private string PatientFor(string person)
        {
            var near = patients.Where(p => model.AnyAccess(person, p, clock.Now)).ToArray();
            return near.Length > 0 && rng.Next(4) != 0 ? near[rng.Next(near.Length)] : patients[rng.Next(patients.Length)];
        }

        /// <summary>PGO_WRITE_LABELS=0 writes no labels (to look at the other rules alone).</summary>
        private static readonly bool NoLabels = Environment.GetEnvironmentVariable("PGO_WRITE_LABELS") == "0";

        private string? RandomLabel()
        {
            var label = rng.Next(2) == 0 ? null : Sections[rng.Next(Sections.Length)];
            return NoLabels ? null : label;
        }

        private (Resource Resource, string Natural, string? Label, string Key) NewItem(string patient)
        {
            var natural = Sections[rng.Next(Sections.Length)];
            var r = PolicyRig.NewResource(natural, patient);
            var label = RandomLabel();
            if (label is not null) Label(r, label);
            return (r, natural, label, Tag(r));
        }

        private async Task CreateItemAsync(int step, string person, FhirContext ctx)
        {
            var patient = PatientFor(person);
            var (r, natural, label, _) = NewItem(patient);
            var allowed = rules.MayWriteItem(person, patient, natural, label, clock.Now);
            last = $"{person} created {r.TypeName} ({natural}{(label is null ? "" : ", labelled " + label)}) for {patient}";
            var (status, stored) = await TryAsync(() => rig.Repository.CreateAsync(ctx, r.TypeName, r, null));
            Judge(step, "create", allowed, stored is not null, strict: true, $"{status}");
            if (stored is not null) model.Items.Add(new AccessModel.Item(r.TypeName, stored.Id, patient, label ?? natural));
        }

        /// <summary>W8 (issue 20): a change of intensity (a plan Basic), for the person's family or another, in their own name
        /// or someone else's (another person, their organisation), sometimes labelled. Only the family's supporter who writes
        /// the plan records one as themself; afterwards nobody updates or deletes it (<see cref="UpdateItemAsync"/>,
        /// <see cref="DeleteItemAsync"/>).</summary>
        private async Task IntensityAsync(int step, string person, FhirContext ctx)
        {
            var patient = PatientFor(person);
            // Mostly a supporter of the family (a Practitioner with a grant or stand-in), so that some changes go through.
            var supporting = model.Grants.Where(g => g.Kind is "grant" or "standin" && g.InForce(clock.Now) && g.Actor.StartsWith("Practitioner/", StringComparison.Ordinal)
                                                     && model.People.Values.Any(p => p.Record == g.Actor)).ToList();
            if (supporting.Count > 0 && rng.Next(3) != 0)
            {
                var grant = supporting[rng.Next(supporting.Count)];
                (person, patient) = (model.People.Values.First(p => p.Record == grant.Actor).Id, grant.Patient);
                ctx = PolicyRig.As(person);
            }
            var me = model.People[person];
            var author = rng.Next(4) switch
            {
                0 => model.People.Values.ElementAt(rng.Next(model.People.Count)).Record,
                1 => me.Organization ?? me.Record,
                _ => me.Record,
            };
            var to = SupportIntensity.Display.Keys.ElementAt(rng.Next(SupportIntensity.Display.Count));
            var change = Pgo.Fhir.Profiles.IntensityChange.New(patient, author, null, to, null, DateOnly.FromDateTime(clock.Now.UtcDateTime).AddDays(-1),
                "Samen met het gezin besloten.", agreed: true, rhythmWeeks: null);
            var label = RandomLabel();
            if (label is not null) Label(change, label);
            Tag(change);
            var allowed = rules.MayWriteItem(person, patient, Section.Plan, label, clock.Now) && rules.MaySetIntensity(person, patient, author, clock.Now);
            last = $"{person} recorded a change of intensity to {to} for {patient} as {author}{(label is null ? "" : ", labelled " + label)}";
            var (status, stored) = await TryAsync(() => rig.Repository.CreateAsync(ctx, "Basic", change, null));
            // Strict on widening (the engine stores a change the rules refuse); lenient on refusal, where the model is generous.
            Judge(step, "intensity", allowed, stored is not null, strict: false, $"{status}");
            if (stored is null) return;
            model.Items.Add(new AccessModel.Item("Basic", stored.Id, patient, label ?? Section.Plan));
            rules.IntensityChanges.Add(stored.Id);
        }

        private async Task UpdateItemAsync(int step, string person, FhirContext ctx)
        {
            var candidates = model.Items.Where(i => i.Type is not ("Patient" or "Consent")).ToList();
            if (candidates.Count == 0) return;
            var item = candidates[rng.Next(candidates.Count)];
            var current = await SystemReadAsync(item.Type, item.Id);
            var natural = NaturalSection(current!);
            // Items a Consent names stay where they are (a hide follows its item wherever it goes; that is not what this test is about).
            var named = model.Grants.Any(g => g.Items is not null && g.Items.Contains($"{item.Type}/{item.Id}"));
            var target = !named && rng.Next(4) == 0 ? patients[rng.Next(patients.Length)] : item.Patient;
            var label = RandomLabel();
            var changed = (Resource)current!.DeepCopy();
            changed.Meta = null;
            if (label is not null) Label(changed, label);
            if (target != item.Patient) Retarget(changed, target);
            var visible = model.Decide(person, item, clock.Now).Write;
            // W8: a change of intensity is never rewritten (nor moved) by a person.
            var allowed = visible && rules.MayWriteItem(person, target, natural, label, clock.Now) && !IsIntensityChange(item);
            last = $"{person} updated {item.Type}/{item.Id} ({item.Section} of {item.Patient}) to {(label ?? natural)} of {target}";
            var (status, stored) = await TryAsync(() => rig.Repository.UpdateAsync(ctx, item.Type, item.Id, changed, null));
            Judge(step, target != item.Patient ? "move" : label is null ? "update" : "relabel", allowed, stored is not null, strict: true, $"{status}");
            if (stored is not null)
            {
                model.Items.Remove(item);
                model.Items.Add(item with { Patient = target, Section = label ?? natural });
            }
        }

        private async Task DeleteItemAsync(int step, string person, FhirContext ctx)
        {
            var candidates = model.Items.Where(i => i.Type is not ("Patient" or "Consent")).ToList();
            if (candidates.Count == 0) return;
            var item = candidates[rng.Next(candidates.Count)];
            // W2 holds for deletes too: an item filed under a label is deleted by who may write its label and its type's section.
            var natural = NaturalSection((await SystemReadAsync(item.Type, item.Id))!);
            var allowed = model.Decide(person, item, clock.Now).Write && rules.Writes(person, item.Patient, natural, clock.Now) && !IsIntensityChange(item);
            last = $"{person} deleted {item.Type}/{item.Id} ({item.Section} of {item.Patient})";
            var (status, _) = await TryAsync(() => rig.Repository.DeleteAsync(ctx, item.Type, item.Id));
            var gone = await SystemReadAsync(item.Type, item.Id) is null;
            Judge(step, "delete", allowed, gone, strict: true, $"{status}");
            if (gone)
            {
                model.Items.Remove(item);
                deletedIds.Add($"{item.Type}/{item.Id}");
            }
        }

        /// <summary>W5: a person never creates by PUT, neither with a new id nor with the id of a deleted resource.</summary>
        private async Task PutCreateAsync(int step, string person, FhirContext ctx, string kind)
        {
            var patient = PatientFor(person);
            var (r, natural, _, _) = NewItem(patient);
            var id = kind == "recreate-deleted" && deletedIds.FirstOrDefault(d => d.StartsWith(r.TypeName + "/", StringComparison.Ordinal)) is { } deleted
                ? deleted[(r.TypeName.Length + 1)..]
                : "rw-new-" + rng.Next(1_000_000);
            r.Id = id;
            last = $"{person} PUT {r.TypeName}/{id} ({natural} of {patient}, {kind})";
            var (status, stored) = await TryAsync(() => rig.Repository.UpdateAsync(ctx, r.TypeName, id, r, null));
            Judge(step, kind, false, stored is not null, strict: true, $"{status}");
        }

        /// <summary>A transaction of a few creates: all or nothing, allowed only if each entry is.</summary>
        private async Task BundleAsync(int step, string person, FhirContext ctx)
        {
            var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
            var entries = new List<(Resource R, string Patient, string Natural, string? Label, string Key)>();
            var patient = PatientFor(person);
            for (var n = rng.Next(2, 4); n > 0; n--)
            {
                var p = rng.Next(3) == 0 ? patients[rng.Next(patients.Length)] : patient;
                var (r, natural, label, key) = NewItem(p);
                entries.Add((r, p, natural, label, key));
                bundle.Entry.Add(new Bundle.EntryComponent { Resource = r, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = r.TypeName } });
            }
            var allowed = entries.All(e => rules.MayWriteItem(person, e.Patient, e.Natural, e.Label, clock.Now));
            last = $"{person} posted a transaction of {string.Join(", ", entries.Select(e => $"{e.R.TypeName} ({e.Label ?? e.Natural} of {e.Patient})"))}";
            var (status, _) = await TryAsync(() => rig.Repository.ProcessBundleAsync(ctx, bundle));
            var storedIds = new List<string?>();
            foreach (var e in entries) storedIds.Add(await SystemFindAsync(e.R.TypeName, e.Key));
            var count = storedIds.Count(i => i is not null);
            if (count != 0 && count != entries.Count) throw new ShouldAssertException($"{Where(step)}: half a transaction was stored ({count} of {entries.Count})");
            Judge(step, "bundle", allowed, count > 0, strict: true, $"{status}");
            for (var i = 0; i < entries.Count && count > 0; i++)
                model.Items.Add(new AccessModel.Item(entries[i].R.TypeName, storedIds[i]!, entries[i].Patient, entries[i].Label ?? entries[i].Natural));
        }

        /// <summary>W3: a CareTeam or Group naming two families needs write on netwerk in both. What is allowed is
        /// removed again by the platform (the model keeps one dossier per item).</summary>
        private async Task TwoFamiliesAsync(int step, string person, FhirContext ctx)
        {
            var a = PatientFor(person);
            var b = patients.Where(x => x != a).ElementAt(rng.Next(patients.Length - 1));
            Resource r = rng.Next(2) == 0
                ? new CareTeam { Subject = new ResourceReference($"Patient/{a}"), Participant = [new CareTeam.ParticipantComponent { Member = new ResourceReference($"Patient/{b}") }] }
                : new Group { Type = Group.GroupType.Person, Actual = true, Member = [new Group.MemberComponent { Entity = new ResourceReference($"Patient/{a}") }, new Group.MemberComponent { Entity = new ResourceReference($"Patient/{b}") }] };
            Tag(r);
            var allowed = rules.Writes(person, a, Section.Netwerk, clock.Now) && rules.Writes(person, b, Section.Netwerk, clock.Now);
            last = $"{person} created a {r.TypeName} naming {a} and {b}";
            var (status, stored) = await TryAsync(() => rig.Repository.CreateAsync(ctx, r.TypeName, r, null));
            // Lenient on refusal: a write naming another dossier may also be refused as a cross-dossier reference.
            Judge(step, "two-families", allowed, stored is not null, strict: false, $"{status}");
            if (stored is not null) await rig.Repository.DeleteAsync(PolicyRig.System, r.TypeName, stored.Id);
        }

        private async Task ConsentAsync(int step, string person, FhirContext ctx)
        {
            var patient = PatientFor(person);
            var me = model.People[person].Record;
            var others = model.People.Values.Select(x => x.Record).Distinct().ToArray();
            var actor = rng.Next(3) == 0 ? me : others[rng.Next(others.Length)];
            var patientItems = model.Items.Where(i => i.Patient == patient && i.Type != "Consent").ToList();
            Consent consent;
            AccessModel.Grant grant;
            var hasDocument = false;
            var document = patientItems.FirstOrDefault(i => i.Type == "DocumentReference");
            switch (rng.Next(8))
            {
                case 0 or 1:
                {
                    // Regie, or legal representation with (or without) its evidence: the court's decision, a WGBO reason.
                    var basis = rng.Next(3) == 0 ? new[] { LegalRepresentation.Curator, LegalRepresentation.Mentor, LegalRepresentation.Wgbo }[rng.Next(3)] : null;
                    consent = Grants.Regie(null, patient, [actor], basis);
                    DateTimeOffset? from = null, until = null;
                    string? keeps = null;
                    if (basis is not null)
                    {
                        if (rng.Next(3) == 0) (from, until) = (clock.Now.AddDays(rng.Next(-100, 50)), clock.Now.AddDays(rng.Next(60, 400)));
                        keeps = new[] { null, RegieCodes.ClientAccess.Write, RegieCodes.ClientAccess.Read, RegieCodes.ClientAccess.None }[rng.Next(4)];
                        var evidence = rng.Next(2) == 0;
                        var reason = basis == LegalRepresentation.Wgbo && evidence ? "kan niet zelf beslissen" : null;
                        if (basis != LegalRepresentation.Wgbo && evidence && document is not null)
                            consent.Source = new ResourceReference($"DocumentReference/{document.Id}");
                        hasDocument = basis == LegalRepresentation.Wgbo ? reason is not null : consent.Source is not null;
                        RegieConsents.WithRepresentation(consent, from, until, reason, keeps);
                    }
                    grant = new AccessModel.Grant("", patient, "regie", actor, basis is not null, null, true, true, null, null, null, false, null)
                        { RepresentationFrom = from, RepresentationUntil = until, ClientKeeps = keeps };
                    break;
                }
                case 5:
                {
                    // A named successor: only a regiehouder names one, and it grants nothing.
                    var sections = rng.Next(3) == 0 ? null : Sections.Where(_ => rng.Next(3) == 0).DefaultIfEmpty(Section.Doelen).ToHashSet();
                    consent = RegieConsents.Opvolger(null, patient, actor, sections);
                    grant = new AccessModel.Grant("", patient, "opvolger", actor, false, sections, true, false, null, null, null, false, null);
                    break;
                }
                case 6:
                {
                    // A bewindvoerder: the finances only, never manage, with the court's decision.
                    var sections = rng.Next(3) == 0 ? new HashSet<string> { Section.Financien, Section.Medisch } : [Section.Financien];
                    var (write, manage) = (rng.Next(2) == 0, rng.Next(5) == 0);
                    DateTimeOffset? until = rng.Next(2) == 0 ? clock.Now.AddDays(rng.Next(10, 300)) : null;
                    var withDocument = document is not null && rng.Next(3) != 0;
                    consent = RegieConsents.Bewind(null, patient, actor, write, sections, until: until, document: withDocument ? document!.Id : null, manage: manage);
                    hasDocument = withDocument;
                    grant = new AccessModel.Grant("", patient, "bewind", actor, false, sections, write, manage, null, null, null, false, null) { RepresentationUntil = until };
                    break;
                }
                case 2:
                {
                    var sections = rng.Next(6) == 0 ? null : Sections.Where(_ => rng.Next(3) == 0).DefaultIfEmpty(Section.Agenda).ToHashSet();
                    var (write, manage, standIns) = (rng.Next(2) == 0, rng.Next(5) == 0, rng.Next(2) == 0);
                    consent = Grants.Grant(null, patient, actor, GrantRole.Ondersteuner, sections, write, manage, allowStandIn: standIns);
                    grant = new AccessModel.Grant("", patient, "grant", actor, false, sections, write, manage, null, null, null, standIns, null);
                    break;
                }
                case 3:
                {
                    // Items of this dossier, and sometimes one of another family's (a Consent names one dossier only).
                    var pool = rng.Next(3) == 0 ? model.Items.Where(i => i.Type != "Consent").ToList() : patientItems;
                    if (pool.Count == 0) return;
                    var items = pool.OrderBy(_ => rng.Next()).Take(rng.Next(1, 3)).Select(i => $"{i.Type}/{i.Id}").ToHashSet();
                    var until = clock.Now.AddDays(rng.Next(1, 60));
                    consent = Grants.SharePackage(null, patient, "Organization/rw-org", "aanvraag", until, items);
                    var org = consent.Provision.Actor[0].Reference.Reference;
                    grant = new AccessModel.Grant("", patient, "share", org, false, null, false, false, null, until, items, false, null);
                    break;
                }
                case 4:
                {
                    if (patientItems.Count == 0) return;
                    var item = patientItems[rng.Next(patientItems.Count)];
                    consent = Grants.Hide(null, patient, $"{item.Type}/{item.Id}", actor);
                    grant = new AccessModel.Grant("", patient, "hide", actor, false, null, false, false, null, null, [$"{item.Type}/{item.Id}"], false, null);
                    break;
                }
                default:
                {
                    var sources = model.Grants.Where(g => g.Patient == patient && g.Kind == "grant" && g.Active).ToList();
                    if (sources.Count == 0) return;
                    var source = sources[rng.Next(sources.Count)];
                    var colleague = others.Where(o => o.StartsWith("Practitioner/", StringComparison.Ordinal)).ElementAt(rng.Next(others.Count(o => o.StartsWith("Practitioner/", StringComparison.Ordinal))));
                    var (from, until) = (clock.Now.AddDays(-1), clock.Now.AddDays(rng.Next(1, 30)));
                    consent = Grants.StandIn(null, patient, source.Id, colleague, from, until);
                    grant = new AccessModel.Grant("", patient, "standin", colleague, false, null, false, false, from, until, null, false, source.Id);
                    break;
                }
            }
            // Labels never move a Consent out of toegang (W2): any label, even one of a section the writer has.
            var label = RandomLabel();
            if (label is not null) Label(consent, label);
            Tag(consent);
            var allowed = rules.MayGrant(person, grant, hasDocument, clock.Now);
            last = $"{person} wrote a {grant.Kind} Consent for {grant.Actor} on {patient}{(grant.Legal || grant.Kind == "bewind" ? hasDocument ? " (legal basis, with evidence)" : " (legal basis, no evidence)" : "")}" +
                   $"{(grant.Sections is null ? "" : " [" + string.Join(",", grant.Sections) + "]")}{(grant.Write ? " write" : "")}{(grant.Manage ? " manage" : "")}" +
                   $"{(label is null ? "" : ", labelled " + label)}";
            var (status, stored) = await TryAsync(() => rig.Repository.CreateAsync(ctx, "Consent", consent, null));
            // Granting is a widening: strict both ways for regie (the rules are plain); managers' grants lenient on refusal.
            Judge(step, "consent-" + grant.Kind, allowed, stored is not null, strict: grant.Kind is "regie" or "opvolger" or "bewind" || stored is not null, $"{status}");
            if (stored is null) return;
            model.Grants.Add(grant with { Id = stored.Id });
            model.Items.Add(new AccessModel.Item("Consent", stored.Id, patient, Section.Toegang));
            rules.Performer[stored.Id] = me;
        }

        private async Task EndConsentAsync(int step, string person, FhirContext ctx)
        {
            var active = model.Grants.Where(g => g.Active).ToList();
            if (active.Count == 0) return;
            var grant = active[rng.Next(active.Count)];
            var allowed = model.Decide(person, new AccessModel.Item("Consent", grant.Id, grant.Patient, Section.Toegang), clock.Now).Write && rules.MayEnd(person, grant, clock.Now);
            var delete = rng.Next(3) == 0;
            last = $"{person} {(delete ? "deleted" : "ended")} the {grant.Kind} Consent/{grant.Id} for {grant.Actor} on {grant.Patient} (by {rules.Performer.GetValueOrDefault(grant.Id) ?? "the platform"})";
            HttpStatusCode status;
            if (delete)
            {
                (status, _) = await TryAsync(() => rig.Repository.DeleteAsync(ctx, "Consent", grant.Id));
            }
            else
            {
                var consent = (Consent)(await SystemReadAsync("Consent", grant.Id))!;
                consent.Meta = null;
                consent.Status = Consent.ConsentState.Inactive;
                (status, _) = await TryAsync(() => rig.Repository.UpdateAsync(ctx, "Consent", grant.Id, consent, null));
            }
            var now = (Consent?)await SystemReadAsync("Consent", grant.Id);
            var ended = now is null || now.Status != Consent.ConsentState.Active;
            // Applied though refused always fails (lifting another regiehouder's hide widens access; ending another's
            // regie is W7). A refusal the model does not expect is only counted: the platform may keep more in place.
            // Ending a grant, stand-in or share package only narrows: if the platform lets a manager end one the model
            // would not, the model follows (and counts it).
            Judge(step, "end-" + grant.Kind, allowed, ended, strict: false, $"{status}", narrowing: grant.Kind is "grant" or "standin" or "share");
            if (!ended) return;
            grant.Active = false;
            if (now is null)
            {
                model.Grants.Remove(grant);
                model.Items.RemoveAll(i => i.Type == "Consent" && i.Id == grant.Id);
            }
        }

        /// <summary>W1: who someone is never follows from their own writes.</summary>
        private async Task PersonLinkAsync(int step, string person, FhirContext ctx)
        {
            var records = model.People.Values.Select(x => x.Record).Concat(patients.Select(x => $"Patient/{x}")).Distinct().ToArray();
            var target = records[rng.Next(records.Length)];
            var current = (Person)(await SystemReadAsync("Person", person))!;
            var changed = (Person)current.DeepCopy();
            changed.Meta = null;
            changed.Link.Add(new Person.LinkComponent { Target = new ResourceReference(target) });
            last = $"{person} linked their Person to {target}";
            var (status, _) = await TryAsync(() => rig.Repository.UpdateAsync(ctx, "Person", person, changed, null));
            var after = await SystemReadAsync("Person", person);
            Judge(step, "person-link", false, after!.Meta.VersionId != current.Meta.VersionId, strict: true, $"{status}");
        }

        /// <summary>W1: organisation membership (which opens share packages) is the platform's.</summary>
        private async Task MembershipAsync(int step, string person, FhirContext ctx)
        {
            var role = new PractitionerRole
            {
                Practitioner = new ResourceReference(model.People[person].Record.StartsWith("Practitioner/", StringComparison.Ordinal) ? model.People[person].Record : "Practitioner/rw-pr2"),
                Organization = new ResourceReference("Organization/rw-org"),
            };
            Tag(role);
            last = $"{person} made {role.Practitioner.Reference} a member of rw-org";
            var (status, stored) = await TryAsync(() => rig.Repository.CreateAsync(ctx, "PractitionerRole", role, null));
            Judge(step, "membership", false, stored is not null, strict: true, $"{status}");
        }

        /// <summary>The model's own list of what $import never takes (ADR 15), not the engine's: records that decide who may see
        /// what (grants, who a person acts as, whom they work for, care teams), that act on their own, and the audit trail.</summary>
        private static readonly HashSet<string> NotImported =
            ["Consent", "Person", "Practitioner", "PractitionerRole", "Organization", "RelatedPerson", "CareTeam", "Subscription", "AuditEvent"];

        /// <summary>A migration client (client credentials, system/*.c only), the one kind of caller $import is for.</summary>
        private static readonly FhirContext Migration =
            new(new CallerContext("client:rw-migration", null, ["system/*.c"], IsSystem: true, ClientId: "rw-migration"), "urn:test");

        /// <summary>Bulk import (ADR 15): one to three new items with their own ids for random dossiers, sometimes with a line
        /// the model refuses: a grant for the person, a membership of rw-org, or the id of an item that exists (or existed),
        /// moved to a random dossier. A person is always refused (also with a system/ scope); the migration client's file
        /// is stored whole or not at all, and its items join the model as any create's do.</summary>
        private async Task ImportAsync(int step, string person)
        {
            var byPerson = rng.Next(3) == 0;
            var ctx = byPerson ? PolicyRig.As(person, rng.Next(2) == 0 ? "user/*.cruds" : "user/*.cruds system/*.c") : Migration;
            var lines = new List<(Resource R, string Patient, string Section, string Key)>();
            for (var n = rng.Next(1, 4); n > 0; n--)
            {
                var patient = patients[rng.Next(patients.Length)];
                var (r, natural, label, key) = NewItem(patient);
                r.Id = $"rw-imp-{key}";
                lines.Add((r, patient, label ?? natural, key));
            }
            var me = model.People[person].Record;
            var existing = false;
            switch (rng.Next(6))
            {
                case 0:
                {
                    var patient = patients[rng.Next(patients.Length)];
                    var grant = Grants.Regie($"rw-imp-{rng.Next():x8}", patient, [me]);
                    lines.Insert(rng.Next(lines.Count + 1), (grant, patient, Section.Toegang, Tag(grant)));
                    break;
                }
                case 1:
                {
                    var role = new PractitionerRole { Id = $"rw-imp-{rng.Next():x8}", Practitioner = new ResourceReference(me.StartsWith("Practitioner/", StringComparison.Ordinal) ? me : "Practitioner/rw-pr2"), Organization = new ResourceReference("Organization/rw-org") };
                    lines.Insert(rng.Next(lines.Count + 1), (role, "", "", Tag(role)));
                    break;
                }
                case 2:
                {
                    var live = model.Items.Where(i => i.Type is not ("Patient" or "Consent")).Select(i => $"{i.Type}/{i.Id}").ToList();
                    var pool = rng.Next(3) == 0 && deletedIds.Count > 0 ? deletedIds : live;
                    if (pool.Count == 0) break;
                    var (type, id) = pool[rng.Next(pool.Count)].Split('/') is [var t, var i] ? (t, i) : throw new InvalidOperationException();
                    var patient = patients[rng.Next(patients.Length)];
                    // A live item as it is stored, or a new one of a deleted item's type: either way under the id the store holds.
                    var again = await SystemReadAsync(type, id)
                                ?? (Sections.FirstOrDefault(x => PolicyRig.NewResource(x, patient).TypeName == type) is { } section ? PolicyRig.NewResource(section, patient) : null);
                    if (again is null) break;
                    again = (Resource)again.DeepCopy();
                    again.Meta = null;
                    again.Id = id;
                    Retarget(again, patient);
                    (again.GetType().GetProperty("Identifier")!.GetValue(again) as List<Identifier>)?.Clear();
                    lines.Insert(rng.Next(lines.Count + 1), (again, patient, NaturalSection(again), Tag(again)));
                    existing = true;
                    break;
                }
            }
            var shaping = lines.Any(l => NotImported.Contains(l.R.TypeName));
            var allowed = !byPerson && !shaping && !existing;
            last = $"{(byPerson ? person : "the migration client")} imported {string.Join(", ", lines.Select(l => $"{l.R.TypeName}/{l.R.Id} ({l.Section} of {l.Patient})"))}";
            var (status, _) = await TryAsync(() => rig.Repository.ImportAsync(ctx, lines.Select(l => FhirJson.Serialize(l.R)).ToList()));
            var storedIds = new List<string?>();
            foreach (var l in lines) storedIds.Add(await SystemFindAsync(l.R.TypeName, l.Key));
            var count = storedIds.Count(i => i is not null);
            if (count != 0 && count != lines.Count) throw new ShouldAssertException($"{Where(step)}: half an import was stored ({count} of {lines.Count}, {status})");
            var kind = byPerson ? "import-by-person" : shaping ? "import-access-shaping" : existing ? "import-existing-id" : "import";
            Judge(step, kind, allowed, count > 0, strict: true, $"{status}");
            if (count == 0) return;
            foreach (var l in lines) model.Items.Add(new AccessModel.Item(l.R.TypeName, l.R.Id, l.Patient, l.Section));
        }

        /// <summary>Compares the engine's answer with the model's. Applied though refused fails (the model would no
        /// longer describe what people can read); refused though allowed fails where the rule is plain.</summary>
        private void Judge(int step, string kind, bool allowed, bool wasApplied, bool strict, string status, bool narrowing = false)
        {
            (wasApplied ? applied : refused)[kind] = (wasApplied ? applied : refused).GetValueOrDefault(kind) + 1;
            if (wasApplied && !allowed && narrowing)
            {
                widerThanModel[kind] = widerThanModel.GetValueOrDefault(kind) + 1;
                return;
            }
            if (wasApplied && !allowed)
                throw new ShouldAssertException($"{Where(step)}: the engine applied a write the rules refuse ({kind}, {status})");
            if (!wasApplied && allowed)
            {
                narrowerThanModel[kind] = narrowerThanModel.GetValueOrDefault(kind) + 1;
                if (strict) throw new ShouldAssertException($"{Where(step)}: the engine refused a write the rules allow ({kind}, {status})");
            }
        }

        private bool IsIntensityChange(AccessModel.Item item) => item.Type == "Basic" && rules.IntensityChanges.Contains(item.Id);

        // ------------------------------------------------------------------ what everyone can read

        public async Task CompareReadsAsync(int step)
        {
            foreach (var person in people)
            {
                var ctx = PolicyRig.As(person);
                var type = Types[rng.Next(Types.Length)];
                var expected = model.Items.Where(x => x.Type == type && model.Decide(person, x, clock.Now).Read).Select(x => x.Id).Order(StringComparer.Ordinal).ToList();
                var bundle = FhirJson.Parse<Bundle>((await rig.Repository.SearchAsync(ctx, type, [new("_count", "1000")])).Json!);
                var actual = bundle.Entry.Select(e => e.Resource.Id).Order(StringComparer.Ordinal).ToList();
                var wider = actual.Except(expected).ToList();
                if (wider.Count > 0)
                    throw new ShouldAssertException($"{Where(step)}: {person} can read {type} {string.Join(", ", wider)} that the model does not give them (a widening)");
                actual.ShouldBe(expected, $"{Where(step)}: {person} searched {type}");
                reads++;
                if (model.Items.Count > 0 && rng.Next(3) == 0)
                {
                    var item = model.Items[rng.Next(model.Items.Count)];
                    var visible = model.Decide(person, item, clock.Now).Read;
                    var (status, _) = await TryAsync(() => rig.Repository.ReadAsync(ctx, item.Type, item.Id));
                    status.ShouldBe(visible ? HttpStatusCode.OK : HttpStatusCode.NotFound, $"{Where(step)}: {person} read {item.Type}/{item.Id} ({item.Section} of {item.Patient})");
                    reads++;
                }
            }
        }

        public void Finish()
        {
            output.WriteLine($"{reads} reads/searches in {watch.Elapsed.TotalSeconds:N1} s");
            foreach (var kind in applied.Keys.Union(refused.Keys).Order(StringComparer.Ordinal))
                output.WriteLine($"  {kind}: {applied.GetValueOrDefault(kind)} applied, {refused.GetValueOrDefault(kind)} refused" +
                                 (narrowerThanModel.GetValueOrDefault(kind) is > 0 and var n ? $" ({n} refused though the model allows)" : "") +
                                 (widerThanModel.GetValueOrDefault(kind) is > 0 and var w ? $" ({w} narrowing ends the model would refuse)" : ""));
            // The run must have exercised both sides: writes and grants that went through, not only refusals.
            if (Only is not null) return;
            (applied.GetValueOrDefault("create") * applied.Where(a => a.Key.StartsWith("consent-", StringComparison.Ordinal)).Sum(a => a.Value))
                .ShouldBeGreaterThan(0, $"seed {seed}: a degenerate run");
        }

        public ValueTask DisposeAsync() => rig.DisposeAsync();

        // ------------------------------------------------------------------ helpers

        private async Task<Resource?> SystemReadAsync(string type, string id)
        {
            try
            {
                var r = await rig.Repository.ReadAsync(PolicyRig.System, type, id);
                return r.Stored is null ? null : FhirJson.Parse(r.Stored.Json);
            }
            catch (FhirException)
            {
                return null;
            }
        }

        private async Task<string?> SystemFindAsync(string type, string key)
        {
            var bundle = FhirJson.Parse<Bundle>((await rig.Repository.SearchAsync(PolicyRig.System, type, [new("identifier", $"{KeySystem}|{key}")])).Json!);
            return bundle.Entry.FirstOrDefault()?.Resource.Id;
        }

        private static async Task<(HttpStatusCode Status, Pgo.Fhir.Storage.StoredResource? Stored)> TryAsync(Func<Task<FhirResponse>> action)
        {
            try
            {
                var response = await action();
                return (response.Status, response.Stored);
            }
            catch (FhirException e)
            {
                return (e.Status, null);
            }
        }

        private static void Label(Resource r, string section) => (r.Meta ??= new Meta()).Security.Add(new Coding(Section.System, section));

        private string Tag(Resource r)
        {
            var key = $"{rng.Next():x8}{rng.Next():x8}";
            var identifier = new Identifier(KeySystem, key);
            var property = r.GetType().GetProperty("Identifier", BindingFlags.Public | BindingFlags.Instance)!;
            if (property.PropertyType == typeof(Identifier)) property.SetValue(r, identifier);
            else ((List<Identifier>)property.GetValue(r)!).Add(identifier);
            return key;
        }

        /// <summary>Where the type (or a DocumentReference's category) belongs, labels aside.</summary>
        private static string NaturalSection(Resource r)
        {
            var copy = (Resource)r.DeepCopy();
            copy.Meta = null;
            return SectionClassifier.Classify(copy)!;
        }

        private static void Retarget(Resource r, string patient)
        {
            var reference = new ResourceReference($"Patient/{patient}");
            switch (r)
            {
                case DocumentReference d: d.Subject = reference; break;
                case CarePlan c: c.Subject = reference; break;
                case Goal g: g.Subject = reference; break;
                case Hl7.Fhir.Model.Task t: t.For = reference; break;
                case CareTeam c: c.Subject = reference; break;
                case Appointment a: a.Participant = [new Appointment.ParticipantComponent { Actor = reference, Status = ParticipationStatus.Accepted }]; break;
                case Condition c: c.Subject = reference; break;
                case QuestionnaireResponse q: q.Subject = reference; break;
                case Basic b: b.Subject = reference; break;
                default: throw new NotSupportedException(r.TypeName);
            }
        }
    }
}
