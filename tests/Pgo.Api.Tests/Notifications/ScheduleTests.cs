using System.Net.Http.Json;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Pgo.Api.Notifications.Schedule;
using Pgo.Fhir.Access;
using Pgo.Fhir.Storage;
using Pgo.Shared.Codes;
using Pgo.Shared.Contracts;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Tests.Notifications;

/// <summary>
/// What time brings (Api/Notifications/Schedule), on a fake clock, on SQLite and PostgreSQL: agreements due tomorrow and
/// late to their owner, a grant ending and ended, a share package expiring, the client turning 18; each only to who may
/// know it (the therapist without afspraken, the supporter from whom an agreement is hidden and a revoked supporter are
/// told nothing), and once however often the schedule runs.
/// </summary>
public class ScheduleTests
{
    private const string Child = "sc-child";
    private const string Parent = "Person/sc-parent";
    private const string Supporter = "Person/sc-bondgenoot";
    private const string Therapist = "Person/sc-therapeut";
    private const string Grandma = "Person/sc-oma";
    private const string Agency = "Person/sc-wmo";
    private const string Canary = "KANARIE-sc-7f3";

    // Friday 4 December 2026, 12:00 in Amsterdam.
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 11, 0, 0, TimeSpan.Zero);

    private static ApiFactory Api(string provider, FakeTimeProvider clock, string interval = "30.00:00:00") =>
        // A long interval: the test runs the sweep itself, the hosted one stays out of its way (a test below runs that one).
        new(provider, clock: clock, settings: new Dictionary<string, string?> { ["Notifications:SweepInterval"] = interval });

    private static async System.Threading.Tasks.Task SeedAsync(HttpClient system, DateTimeOffset now)
    {
        Resource[] resources =
        [
            // 18 on 1 March 2027: within six months.
            new Patient { Id = Child, BirthDate = "2009-03-01", Name = [new HumanName { Family = "Schema" }] },
            new RelatedPerson { Id = "sc-parent", Patient = new ResourceReference($"Patient/{Child}") },
            new RelatedPerson { Id = "sc-oma", Patient = new ResourceReference($"Patient/{Child}") },
            new Practitioner { Id = "sc-bondgenoot" },
            new Practitioner { Id = "sc-therapeut" },
            new Practitioner { Id = "sc-wmo" },
            new Organization { Id = "sc-gemeente", Name = "Gemeente" },
            new PractitionerRole { Id = "sc-wmo-role", Practitioner = new ResourceReference("Practitioner/sc-wmo"), Organization = new ResourceReference("Organization/sc-gemeente") },
            Link("sc-parent", "RelatedPerson/sc-parent"), Link("sc-oma", "RelatedPerson/sc-oma"), Link("sc-bondgenoot", "Practitioner/sc-bondgenoot"),
            Link("sc-therapeut", "Practitioner/sc-therapeut"), Link("sc-wmo", "Practitioner/sc-wmo"),
            // The parent is mentor: regie stays after 18, so the day itself reaches them too.
            Grants.Regie("sc-regie", Child, ["RelatedPerson/sc-parent"], LegalRepresentation.Mentor),
            Grants.Grant("sc-support", Child, "Practitioner/sc-bondgenoot", GrantRole.Ondersteuner, [Section.Afspraken, Section.Logboek], write: true, until: now.AddDays(5)),
            Grants.Grant("sc-therapy", Child, "Practitioner/sc-therapeut", GrantRole.Zorgverlener, [Section.Logboek], write: true),
            Grants.Grant("sc-oma", Child, "RelatedPerson/sc-oma", GrantRole.Gezinslid, null, from: now.AddDays(-30), until: now.AddHours(-2)),
            Grants.SharePackage("sc-package", Child, "Organization/sc-gemeente", "Aanvraag Wmo", now.AddDays(1), sections: [Section.Documenten]),
            Grants.Hide("sc-hide", Child, "Task/sc-hidden", "Practitioner/sc-bondgenoot"),
            Agreement("sc-due", "RelatedPerson/sc-parent", "2026-12-05"),
            Agreement("sc-bondgenoot-task", "Practitioner/sc-bondgenoot", "2026-12-05"),
            Agreement("sc-therapy-task", "Practitioner/sc-therapeut", "2026-12-05"),
            Agreement("sc-hidden", "Practitioner/sc-bondgenoot", "2026-12-05"),
            Agreement("sc-done", "RelatedPerson/sc-parent", "2026-12-05", Hl7.Fhir.Model.Task.TaskStatus.Completed),
        ];
        foreach (var r in resources) (await system.PutAsync($"/fhir/{r.TypeName}/{r.Id}", r)).EnsureSuccessStatusCode();

        static Person Link(string id, string target) => new()
        {
            Id = id, Name = [new HumanName { Text = $"Naam {id}" }], Link = [new Person.LinkComponent { Target = new ResourceReference(target) }],
        };
    }

    private static Hl7.Fhir.Model.Task Agreement(string id, string owner, string due, Hl7.Fhir.Model.Task.TaskStatus status = Hl7.Fhir.Model.Task.TaskStatus.Requested) => new()
    {
        Id = id,
        Status = status,
        Intent = Hl7.Fhir.Model.Task.TaskIntent.Plan,
        For = new ResourceReference($"Patient/{Child}"),
        Owner = new ResourceReference(owner),
        Description = $"{Canary} afspraaktekst",
        Restriction = new Hl7.Fhir.Model.Task.RestrictionComponent { Period = new Period { End = due } },
    };

    private static async Task<List<(string Kind, string? Item)>> StoredAsync(ApiFactory api, string person) =>
        (await api.Services.GetRequiredService<INotificationStore>().ListNotificationsAsync(person, unreadOnly: false, before: null, count: 100))
        .Select(n => (n.Kind, n.Item)).OrderBy(n => n.Kind, StringComparer.Ordinal).ThenBy(n => n.Item, StringComparer.Ordinal).ToList();

    /// <summary>How often the family's trail shows the schedule's platform reads.</summary>
    private static async Task<int> ScheduleReadsAsync(ApiFactory api)
    {
        var audit = await api.ClientAs(Parent).GetStringAsync($"/api/dossiers/{Child}/audit");
        return audit.Split("\"detail\":\"notification-schedule\"").Length - 1;
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task Time_tells_each_person_what_is_due_only_what_they_may_know_and_only_once(string provider)
    {
        var clock = new FakeTimeProvider(Start);
        await using var api = Api(provider, clock);
        // Only the schedule: the outbox rules would add their own notices for the seed's writes.
        await api.KeepOnlyNotificationProducersAsync(typeof(ScheduleService));
        var system = api.CreateClient();
        await SeedAsync(system, clock.GetUtcNow());
        var schedule = api.Services.GetRequiredService<NotificationSchedule>();

        await schedule.SweepAsync(default);

        // Three months before 18 was on 1 December: the age step is caught up (issue 18).
        (await StoredAsync(api, Parent)).ShouldBe([
            (NotificationKinds.AgreementDueTomorrow, "Task/sc-due"),
            (NotificationKinds.SharePackageExpiring, null),
            (NotificationKinds.AgeStep, null),
            (NotificationKinds.TurningEighteen, null),
        ]);
        // The hidden agreement is not among the supporter's; their grant ends within the week.
        (await StoredAsync(api, Supporter)).ShouldBe([
            (NotificationKinds.AgreementDueTomorrow, "Task/sc-bondgenoot-task"),
            (NotificationKinds.AgeStep, null),
            (NotificationKinds.AccessEnding, null),
            (NotificationKinds.TurningEighteen, null),
        ]);
        // The therapist owns an agreement but may not read afspraken, and is no supporter: nothing.
        (await StoredAsync(api, Therapist)).ShouldBeEmpty();
        (await StoredAsync(api, Grandma)).ShouldBe([(NotificationKinds.AccessEnded, "Consent/sc-oma")]);
        (await StoredAsync(api, Agency)).ShouldBe([(NotificationKinds.SharePackageExpiring, null)]);

        // Again, and two at once: nothing new; and as nothing was written, the dossier is not read again (the family's
        // trail is not filled with a read every quarter of an hour).
        var reads = await ScheduleReadsAsync(api);
        reads.ShouldBeGreaterThan(0);
        clock.Advance(TimeSpan.FromMinutes(15));
        (await schedule.SweepAsync(default)).ShouldBe(0);
        (await System.Threading.Tasks.Task.WhenAll(schedule.SweepAsync(default), schedule.SweepAsync(default))).Sum().ShouldBe(0);
        (await StoredAsync(api, Parent)).Count.ShouldBe(4);
        (await ScheduleReadsAsync(api)).ShouldBe(reads);

        // The bell shows them with the family's name and no content; the ended grant to the one who lost access too.
        var bell = (await api.ClientAs(Parent).GetFromJsonAsync<NotificationList>("/api/notifications"))!;
        bell.Items.Count.ShouldBe(4);
        bell.Items.ShouldAllBe(n => n.DossierName == "Schema" && n.ActorName == null);
        (await api.ClientAs(Supporter).GetFromJsonAsync<NotificationList>("/api/notifications"))!.Items.Count.ShouldBe(4);
        (await api.ClientAs(Grandma).GetFromJsonAsync<NotificationList>("/api/notifications"))!.Items.ShouldHaveSingleItem().Kind.ShouldBe(NotificationKinds.AccessEnded);
        (await api.ClientAs(Agency).GetFromJsonAsync<NotificationList>("/api/notifications"))!.Items.ShouldHaveSingleItem().Kind.ShouldBe(NotificationKinds.SharePackageExpiring);
        foreach (var person in new[] { Parent, Supporter, Grandma, Agency })
            (await api.ClientAs(person).GetStringAsync("/api/notifications")).ShouldNotContain(Canary);
        // What the schedule read is in the family's "wie heeft wat bekeken", as platform work with its purpose.
        var audit = await api.ClientAs(Parent).GetStringAsync($"/api/dossiers/{Child}/audit");
        audit.ShouldContain("\"action\":\"platform-read\"");
        audit.ShouldContain("\"detail\":\"notification-schedule\"");

        // Two days on (Sunday): the agreements due Saturday are late, the package has ended.
        clock.Advance(TimeSpan.FromDays(2));
        (await schedule.SweepAsync(default)).ShouldBe(3);
        (await StoredAsync(api, Parent)).ShouldContain((NotificationKinds.AgreementOverdue, "Task/sc-due"));
        (await StoredAsync(api, Supporter)).ShouldContain((NotificationKinds.AgreementOverdue, "Task/sc-bondgenoot-task"));
        (await StoredAsync(api, Agency)).ShouldContain((NotificationKinds.AccessEnded, "Consent/sc-package"));
        (await StoredAsync(api, Therapist)).ShouldBeEmpty();
        (await schedule.SweepAsync(default)).ShouldBe(0);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_revoked_supporter_is_told_nothing_after_the_revocation(string provider)
    {
        var clock = new FakeTimeProvider(Start);
        await using var api = Api(provider, clock);
        // Only the schedule: the outbox rules would add their own notices for the seed's writes.
        await api.KeepOnlyNotificationProducersAsync(typeof(ScheduleService));
        var system = api.CreateClient();
        await SeedAsync(system, clock.GetUtcNow());
        var schedule = api.Services.GetRequiredService<NotificationSchedule>();
        await schedule.SweepAsync(default);
        var before = await StoredAsync(api, Supporter);

        // The family revokes the supporter's grant (inactive: the rules tell of that, not the schedule); an agreement of
        // theirs comes due, the client turns 18, their grant's end date passes.
        var grant = Grants.Grant("sc-support", Child, "Practitioner/sc-bondgenoot", GrantRole.Ondersteuner, [Section.Afspraken, Section.Logboek], write: true, until: Start.AddDays(5));
        grant.Status = Consent.ConsentState.Inactive;
        (await system.PutAsync("/fhir/Consent/sc-support", grant)).EnsureSuccessStatusCode();
        (await system.PutAsync("/fhir/Task/sc-later", Agreement("sc-later", "Practitioner/sc-bondgenoot", "2027-03-02"))).EnsureSuccessStatusCode();
        clock.Advance(new DateTimeOffset(2027, 3, 1, 11, 0, 0, TimeSpan.Zero) - clock.GetUtcNow());

        await schedule.SweepAsync(default);
        (await StoredAsync(api, Supporter)).ShouldBe(before);
        // The parent (mentor) is told of the day itself.
        (await api.Services.GetRequiredService<INotificationStore>().ListNotificationsAsync(Parent, false, null, 100))
            .Count(n => n.Kind == NotificationKinds.TurningEighteen).ShouldBe(2);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task The_hosted_schedule_runs_on_the_injected_clock(string provider)
    {
        var clock = new FakeTimeProvider(Start);
        await using var api = Api(provider, clock, interval: "00:15:00");
        // Only the schedule: the outbox rules would add their own notices for the seed's writes.
        await api.KeepOnlyNotificationProducersAsync(typeof(ScheduleService));
        await SeedAsync(api.CreateClient(), clock.GetUtcNow());
        var store = api.Services.GetRequiredService<INotificationStore>();
        // Only the cluster lease's leader sweeps (issue 23): on PostgreSQL under load its first try may miss; the clock
        // must not move on before this instance leads, or the first sweep runs at a later moment than the seed's.
        await api.Services.GetRequiredService<Pgo.Api.Hosting.ClusterLease>().WaitForLeadershipAsync(TestContext.Current.CancellationToken);

        // The sweep waits on the injected clock: each quarter of an hour the test moves it, a sweep runs (the hosted
        // service may start its timer a moment after the host, so the clock is moved until the parent has been told).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await store.ListNotificationsAsync(Parent, false, null, 100)).Count < 3 && DateTime.UtcNow < deadline)
        {
            clock.Advance(TimeSpan.FromMinutes(15));
            await System.Threading.Tasks.Task.Delay(200);
        }
        (await StoredAsync(api, Parent)).Count.ShouldBe(4);
    }
}
