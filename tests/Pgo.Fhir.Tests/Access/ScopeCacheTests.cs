using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Task = System.Threading.Tasks.Task;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Fhir.Tests.Access;

/// <summary>
/// Issue 22: the consent policy keeps a Person's grant facts while the access stamp stands. Security first: whatever
/// changes a grant (a revocation, a new grant, an unlinked Person, another instance's write) bites on the very next
/// request, and a grant whose period ends stops at its end without any write. Both providers.
/// </summary>
public class ScopeCacheTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Until = Now.AddHours(1);

    // Kim's dossier with a goal; sam (Practitioner prS) supports kim in doelen until Until, unless grant is false.
    private static async Task<(string Goal, string? Grant)> WorldAsync(PolicyRig rig, bool grant = true)
    {
        await rig.PutAsync(new Patient { Id = "kim", BirthDate = "2015-03-01" });
        await rig.PutAsync(new Practitioner { Id = "prS" });
        await rig.PutAsync(new Person { Id = "sam", Link = [new Person.LinkComponent { Target = new ResourceReference("Practitioner/prS") }] });
        var goal = await rig.PutAsync(PolicyRig.NewResource(Section.Doelen, "kim"));
        var consent = grant ? await rig.PutAsync(Grants.Grant(null, "kim", "Practitioner/prS", GrantRole.Ondersteuner, [Section.Doelen], until: Until)) : null;
        return (goal.Id, consent?.Id);
    }

    private static async Task<bool> SamSeesAsync(PolicyRig rig, string goalId)
    {
        var sam = PolicyRig.As("sam");
        var found = await rig.Repository.SearchAsync(sam, "Goal", [new("_id", goalId)]);
        var matches = Serialization.FhirJson.Parse<Bundle>(found.Json!).Total;
        try
        {
            await rig.Repository.ReadAsync(sam, "Goal", goalId);
            matches.ShouldBe(1, "the read and the search must agree");
            return true;
        }
        catch (FhirException e) when (e.Status == System.Net.HttpStatusCode.NotFound)
        {
            matches.ShouldBe(0, "the read and the search must agree");
            return false;
        }
    }

    private static async Task RevokeAsync(PolicyRig rig, string consentId)
    {
        var consent = Serialization.FhirJson.Parse<Consent>((await rig.Repository.ReadAsync(PolicyRig.System, "Consent", consentId)).Stored!.Json);
        consent.Status = Consent.ConsentState.Inactive;
        await rig.Repository.UpdateAsync(PolicyRig.System, "Consent", consentId, consent, null);
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task The_facts_are_looked_up_once_while_nothing_that_decides_access_is_written(string provider)
    {
        await using var db = await TestDatabases.CreateAsync(provider);
        await using var rig = new PolicyRig(db, new TestClock(Now));
        var (goal, _) = await WorldAsync(rig);

        for (var i = 0; i < 3; i++) (await SamSeesAsync(rig, goal)).ShouldBeTrue();
        rig.Policy.FactLookups.ShouldBe(1);

        // A dossier item is no grant: the cache stands.
        await rig.PutAsync(PolicyRig.NewResource(Section.Doelen, "kim"));
        (await SamSeesAsync(rig, goal)).ShouldBeTrue();
        rig.Policy.FactLookups.ShouldBe(1);

        // A Patient (birth dates decide age rules) moves the stamp.
        await rig.PutAsync(new Patient { Id = "kim", BirthDate = "2015-03-02" });
        (await SamSeesAsync(rig, goal)).ShouldBeTrue();
        rig.Policy.FactLookups.ShouldBe(2);
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task A_revoked_grant_stops_on_the_very_next_request(string provider)
    {
        await using var db = await TestDatabases.CreateAsync(provider);
        await using var rig = new PolicyRig(db, new TestClock(Now));
        var (goal, grant) = await WorldAsync(rig);
        (await SamSeesAsync(rig, goal)).ShouldBeTrue();
        (await SamSeesAsync(rig, goal)).ShouldBeTrue();

        await RevokeAsync(rig, grant!);

        (await SamSeesAsync(rig, goal)).ShouldBeFalse();
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task A_deleted_grant_and_an_unlinked_person_stop_on_the_very_next_request(string provider)
    {
        await using var db = await TestDatabases.CreateAsync(provider);
        await using var rig = new PolicyRig(db, new TestClock(Now));
        var (goal, grant) = await WorldAsync(rig);
        (await SamSeesAsync(rig, goal)).ShouldBeTrue();

        // The Person no longer acts as the Practitioner the grant names.
        await rig.PutAsync(new Person { Id = "sam" });
        (await SamSeesAsync(rig, goal)).ShouldBeFalse();

        await rig.PutAsync(new Person { Id = "sam", Link = [new Person.LinkComponent { Target = new ResourceReference("Practitioner/prS") }] });
        (await SamSeesAsync(rig, goal)).ShouldBeTrue();
        await rig.Repository.DeleteAsync(PolicyRig.System, "Consent", grant!);
        (await SamSeesAsync(rig, goal)).ShouldBeFalse();
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task A_new_grant_shows_on_the_very_next_request(string provider)
    {
        await using var db = await TestDatabases.CreateAsync(provider);
        await using var rig = new PolicyRig(db, new TestClock(Now));
        var (goal, _) = await WorldAsync(rig, grant: false);
        (await SamSeesAsync(rig, goal)).ShouldBeFalse();
        (await SamSeesAsync(rig, goal)).ShouldBeFalse();

        await rig.PutAsync(Grants.Grant(null, "kim", "Practitioner/prS", GrantRole.Ondersteuner, [Section.Doelen]));

        (await SamSeesAsync(rig, goal)).ShouldBeTrue();
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task A_grant_whose_period_ends_stops_at_its_end_without_any_write(string provider)
    {
        await using var db = await TestDatabases.CreateAsync(provider);
        var clock = new TestClock(Now);
        await using var rig = new PolicyRig(db, clock);
        var (goal, _) = await WorldAsync(rig);
        (await SamSeesAsync(rig, goal)).ShouldBeTrue();

        clock.Now = Until.AddTicks(-1);
        (await SamSeesAsync(rig, goal)).ShouldBeTrue();
        clock.Now = Until;
        (await SamSeesAsync(rig, goal)).ShouldBeFalse();
        rig.Policy.FactLookups.ShouldBe(1, "nothing was written: the end is the compile step's, at each request's moment");
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Two_instances_on_one_database_see_each_others_revocation_and_grant_on_the_next_request(string provider)
    {
        await using var db = await TestDatabases.CreateAsync(provider);
        var clock = new TestClock(Now);
        await using var one = new PolicyRig(db, clock);
        await using var two = new PolicyRig(db, clock);
        var (goal, grant) = await WorldAsync(one);
        (await SamSeesAsync(two, goal)).ShouldBeTrue();
        (await SamSeesAsync(two, goal)).ShouldBeTrue();

        await RevokeAsync(one, grant!);
        (await SamSeesAsync(two, goal)).ShouldBeFalse();

        await one.PutAsync(Grants.Grant(null, "kim", "Practitioner/prS", GrantRole.Ondersteuner, [Section.Doelen]));
        (await SamSeesAsync(two, goal)).ShouldBeTrue();
    }
}
