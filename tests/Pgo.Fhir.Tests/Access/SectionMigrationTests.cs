using Microsoft.Data.Sqlite;
using Pgo.Fhir.Storage;

namespace Pgo.Fhir.Tests.Access;

/// <summary>Migration 2 recomputes the section of resources written before sections existed, and Task's new compartment.</summary>
public class SectionMigrationTests
{
    [Fact]
    public async Task Upgrading_a_version_1_database_fills_section_and_the_task_compartment()
    {
        var file = Path.Combine(Path.GetTempPath(), $"pgo-v1-{Guid.NewGuid():N}.db");
        try
        {
            await using (var conn = new SqliteConnection($"Data Source={file};Pooling=False"))
            {
                await conn.OpenAsync(TestContext.Current.CancellationToken);
                await Exec(conn, Schema.Migrations[0].Sql(SqlDialect.Sqlite));
                await Exec(conn, "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_ms BIGINT NOT NULL); INSERT INTO schema_version VALUES (1, 'v1', 0);");
                var rows = new (string Type, string Id, string Json)[]
                {
                    ("DocumentReference", "d1", """{"resourceType":"DocumentReference","id":"d1","status":"current","subject":{"reference":"Patient/p1"},"category":[{"coding":[{"system":"https://fhir.pgo-platform.nl/CodeSystem/dossier-section","code":"financien"}]}],"content":[{"attachment":{"title":"x"}}]}"""),
                    ("Task", "t1", """{"resourceType":"Task","id":"t1","status":"requested","intent":"order","for":{"reference":"Patient/p1"}}"""),
                    ("Practitioner", "pr1", """{"resourceType":"Practitioner","id":"pr1"}"""),
                    ("Goal", "g1", ""),
                };
                foreach (var (type, id, json) in rows)
                    await Exec(conn, $"INSERT INTO resource (res_type, res_id, version, last_updated, deleted, seq, json) VALUES ('{type}', '{id}', 1, 0, {(json.Length == 0 ? 1 : 0)}, 1, '{json}')");
            }

            await using (var store = SqlFhirStore.Sqlite(file))
            {
                await store.MigrateAsync(TestContext.Current.CancellationToken);
                (await store.SchemaVersionAsync()).ShouldBe(Schema.Latest);
                var sections = (await store.QueryRowsAsync(new SqlQuery("SELECT res_id, section FROM resource ORDER BY res_id", [])))
                    .ToDictionary(r => (string)r[0]!, r => r[1] as string);
                sections["d1"].ShouldBe("financien");
                sections["t1"].ShouldBe("afspraken");
                sections["pr1"].ShouldBeNull();
                sections["g1"].ShouldBe("doelen"); // a deletion: by its type
                var compartment = await store.QueryRowsAsync(new SqlQuery("SELECT patient_id FROM resource_compartment WHERE res_type = 'Task' AND res_id = 't1'", []));
                compartment.Select(r => (string)r[0]!).ShouldBe(["p1"]);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var f in new[] { file, file + "-wal", file + "-shm" }) File.Delete(f);
        }

        static async Task Exec(SqliteConnection conn, string sql)
        {
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = sql;
            await cmd.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
    }
}
