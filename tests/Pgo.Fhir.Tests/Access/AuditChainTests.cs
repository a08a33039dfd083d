using Pgo.Fhir.Audit;
using Pgo.Fhir.Storage;

namespace Pgo.Fhir.Tests.Access;

/// <summary>The audit log is append-only and any edit or removal breaks the verified chain, on both providers.</summary>
public class AuditChainTests
{
    private static AuditRecord Record(int i) => new(DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_000 + i), $"req-{i}", "sub-1", "Person/p1", "regiehouder", null, "pgo-portal",
        "read", "Goal", $"g{i}", 1, "patient-1", "doelen", AuditRecord.Permitted, 200, "consent-1", null);

    private static async Task<SqlFhirStore> StoreWithEntriesAsync(TestDb db, int count)
    {
        var store = SqlFhirStore.FromConnectionString(db.ConnectionString);
        await store.AppendAuditAsync(Enumerable.Range(1, count / 2).Select(Record).ToList());
        await store.AppendAuditAsync(Enumerable.Range(count / 2 + 1, count - count / 2).Select(Record).ToList());
        return store;
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task An_intact_log_verifies_and_reads_back_newest_first(string provider)
    {
        await using var db = await TestDatabases.CreateAsync(provider);
        await using var store = await StoreWithEntriesAsync(db, 10);
        var result = await store.VerifyAuditAsync();
        result.Ok.ShouldBeTrue(result.Problem);
        result.Entries.ShouldBe(10);
        var entries = await store.ReadAuditAsync(new AuditQuery(PatientId: "patient-1", Limit: 3));
        entries.Select(e => e.N).ShouldBe([10, 9, 8]);
        entries[0].Record.ShouldBe(Record(10));
        entries[0].PrevHash.ShouldBe(entries[1].Hash);
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task An_intact_log_verifies_while_entries_are_being_appended(string provider)
    {
        // A live system appends while it is verified (the notifications' platform reads are audited in the background): the
        // head and the entries must be read as of one moment, or a head read before an append looks like a broken chain.
        await using var db = await TestDatabases.CreateAsync(provider);
        await using var store = await StoreWithEntriesAsync(db, 4);
        using var stop = new CancellationTokenSource();
        var appending = Task.Run(async () =>
        {
            for (var i = 5; !stop.IsCancellationRequested; i++) await store.AppendAuditAsync([Record(i)]);
        });
        try
        {
            for (var round = 0; round < 30; round++)
            {
                var result = await store.VerifyAuditAsync();
                result.Ok.ShouldBeTrue($"round {round}: {result.Problem}");
            }
        }
        finally
        {
            await stop.CancelAsync();
            await appending;
        }
        (await store.VerifyAuditAsync()).Ok.ShouldBeTrue();
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task The_database_refuses_updates_and_deletes_of_audit_rows(string provider)
    {
        await using var db = await TestDatabases.CreateAsync(provider);
        await using var store = await StoreWithEntriesAsync(db, 4);
        await Should.ThrowAsync<Exception>(() => db.ExecuteAsync("UPDATE audit_entry SET subject = 'x' WHERE n = 2"));
        await Should.ThrowAsync<Exception>(() => db.ExecuteAsync("DELETE FROM audit_entry WHERE n = 2"));
        (await store.VerifyAuditAsync()).Ok.ShouldBeTrue();
    }

    public static TheoryData<string, string, string> Tampering()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var provider in TestDatabases.Providers)
        {
            data.Add(provider, "UPDATE audit_entry SET subject = 'iemand-anders' WHERE n = 3", "regel 3 is gewijzigd");
            data.Add(provider, "UPDATE audit_entry SET outcome = 'denied' WHERE n = 5", "regel 5 is gewijzigd");
            data.Add(provider, "DELETE FROM audit_entry WHERE n = 4", "regel 4 ontbreekt");
            data.Add(provider, "DELETE FROM audit_entry WHERE n = 6", "kop noemt regel 6");
            data.Add(provider, "UPDATE audit_entry SET n = 7 WHERE n = 6; DELETE FROM audit_entry WHERE n = 1", "regel 1 ontbreekt");
        }
        return data;
    }

    [Theory, MemberData(nameof(Tampering))]
    public async Task Any_edit_or_removal_is_detected(string provider, string tamper, string problem)
    {
        await using var db = await TestDatabases.CreateAsync(provider);
        await using var store = await StoreWithEntriesAsync(db, 6);
        // Someone with database access first removes the append-only guard.
        await db.ExecuteAsync(provider == TestDatabases.Postgres
            ? "DROP TRIGGER audit_no_change ON audit_entry"
            : "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;");
        await db.ExecuteAsync(tamper);
        var result = await store.VerifyAuditAsync();
        result.Ok.ShouldBeFalse();
        result.Problem.ShouldNotBeNull().ShouldContain(problem);
    }
}
