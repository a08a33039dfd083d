using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using Pgo.Fhir.Audit;
using Pgo.Fhir.Rest;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Fhir.Tests.Access;

/// <summary>A read past the grants is a named platform read, and the audit log says whose and why, on both providers.</summary>
public class PlatformReadTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static async Task<(PolicyRig Rig, string GoalId)> WorldAsync(TestDb db)
    {
        var rig = new PolicyRig(db, new TestClock(Now), audit: true);
        await rig.PutAsync(new Patient { Id = "kim" });
        await rig.PutAsync(new Patient { Id = "ben" });
        var goal = await rig.PutAsync(PolicyRig.NewResource(Section.Doelen, "kim"));
        await rig.Audit.FlushAsync();
        return (rig, goal.Id);
    }

    private static async Task<IReadOnlyList<AuditRecord>> PlatformRecordsAsync(PolicyRig rig)
    {
        await rig.Audit.FlushAsync();
        return (await rig.Audit.ReadAsync(new AuditQuery(Limit: 100))).Select(e => e.Record)
            .Where(r => r.Action == FhirRepository.PlatformReadAction).ToList();
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task A_platform_read_for_a_request_names_the_account_and_the_purpose_in_the_patients_trail(string provider)
    {
        await using var db = await TestDatabases.CreateAsync(provider);
        var (rig, goalId) = await WorldAsync(db);
        await using var _ = rig;

        var read = await rig.Repository.AsPlatform(PlatformPurpose.MessageAudience, PolicyRig.As("femke")).ReadAsync<Goal>(goalId);

        read.ShouldNotBeNull();
        var record = (await PlatformRecordsAsync(rig)).ShouldHaveSingleItem();
        record.Subject.ShouldBe("sub-femke");
        record.Detail.ShouldBe("message-audience");
        (record.ResourceType, record.ResourceId, record.PatientId, record.Section).ShouldBe(("Goal", goalId, "kim", Section.Doelen));
        record.Outcome.ShouldBe(AuditRecord.Permitted);
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Background_platform_work_is_logged_as_the_platform_with_its_purpose_also_when_nothing_was_there(string provider)
    {
        await using var db = await TestDatabases.CreateAsync(provider);
        var (rig, _) = await WorldAsync(db);
        await using var __ = rig;

        (await rig.Repository.AsPlatform(PlatformPurpose.FileCleanup).ReadAsync("DocumentReference", "gone")).ShouldBeNull();

        var record = (await PlatformRecordsAsync(rig)).ShouldHaveSingleItem();
        record.Subject.ShouldBe("system:file-cleanup");
        record.Detail.ShouldBe("file-cleanup");
        record.Outcome.ShouldBe(AuditRecord.NotFound);
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task A_batch_of_platform_reads_writes_one_record_per_family_and_none_when_it_found_nothing(string provider)
    {
        await using var db = await TestDatabases.CreateAsync(provider);
        var (rig, goalId) = await WorldAsync(db);
        await using var _ = rig;
        var platform = rig.Repository.AsPlatform(PlatformPurpose.PatientNames);

        var found = await platform.ReadManyAsync([("Patient", "kim"), ("Goal", goalId), ("Patient", "ben"), ("Patient", "nobody")]);
        await platform.ReadManyAsync([("Patient", "nobody")]);

        found.Select(s => s?.Id).ShouldBe(["kim", goalId, "ben", null]);
        var records = await PlatformRecordsAsync(rig);
        records.Select(r => r.PatientId).Order().ShouldBe(["ben", "kim"]);
        records.ShouldAllBe(r => r.Detail == "patient-names" && r.Subject == "system:patient-names");
        records.Single(r => r.PatientId == "kim").Section.ShouldBe($"{Section.Doelen},{Section.Profiel}");
    }
}
