using System.Globalization;
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

/// <summary>Migration 5 gives every stored version its own section and compartments, from its own JSON.</summary>
public class VersionPlaceMigrationTests
{
    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Upgrading_a_version_4_database_places_every_version_by_its_own_json(string provider)
    {
        if (provider == TestDatabases.Postgres) Needs.Postgres();
        // A database at schema 4 with a document that moved from financien (patient p1) to plan (patient p2), then was deleted.
        string? schema = null;
        string cs;
        if (provider == TestDatabases.Sqlite)
        {
            cs = Path.Combine(Path.GetTempPath(), $"pgo-v4-{Guid.NewGuid():N}.db");
        }
        else
        {
            schema = $"t_{Guid.NewGuid():N}";
            await using var admin = new Npgsql.NpgsqlConnection(TestDatabases.PostgresConnectionString);
            await admin.OpenAsync(TestContext.Current.CancellationToken);
            await using var create = new Npgsql.NpgsqlCommand($"CREATE SCHEMA {schema}", admin);
            await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            cs = new Npgsql.NpgsqlConnectionStringBuilder(TestDatabases.PostgresConnectionString) { SearchPath = schema }.ToString();
        }
        var dialect = provider == TestDatabases.Sqlite ? SqlDialect.Sqlite : SqlDialect.Postgres;
        try
        {
            await using (System.Data.Common.DbConnection conn = provider == TestDatabases.Sqlite
                ? new SqliteConnection($"Data Source={cs};Pooling=False") : new Npgsql.NpgsqlConnection(cs))
            {
                await conn.OpenAsync(TestContext.Current.CancellationToken);
                await Exec(conn, "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_ms BIGINT NOT NULL);");
                foreach (var m in Schema.Migrations.Where(m => m.Version <= 4))
                {
                    await Exec(conn, m.Sql(dialect));
                    await Exec(conn, $"INSERT INTO schema_version VALUES ({m.Version}, 'v{m.Version}', 0);");
                }
                string Doc(string section, string patient) =>
                    $$$"""{"resourceType":"DocumentReference","id":"d1","status":"current","subject":{"reference":"Patient/{{{patient}}}"},"category":[{"coding":[{"system":"https://fhir.pgo-platform.nl/CodeSystem/dossier-section","code":"{{{section}}}"}]}],"content":[{"attachment":{"title":"x"}}]}""";
                var versions = new (int Version, bool Deleted, string Json)[] { (1, false, Doc("financien", "p1")), (2, false, Doc("plan", "p2")), (3, true, "") };
                foreach (var (version, deleted, json) in versions)
                    await Exec(conn, $"INSERT INTO resource_version (res_type, res_id, version, last_updated, deleted, method, json) VALUES ('DocumentReference', 'd1', {version}, 0, {(deleted ? 1 : 0)}, 'PUT', '{json}')");
                await Exec(conn, "INSERT INTO resource (res_type, res_id, version, last_updated, deleted, seq, json, section) VALUES ('DocumentReference', 'd1', 3, 0, 1, 3, '', 'plan')");
                await Exec(conn, "INSERT INTO resource_compartment (res_type, res_id, patient_id) VALUES ('DocumentReference', 'd1', 'p2')");
                await Exec(conn, """INSERT INTO resource_version (res_type, res_id, version, last_updated, deleted, method, json) VALUES ('Practitioner', 'pr1', 1, 0, 0, 'PUT', '{"resourceType":"Practitioner","id":"pr1"}')""");
            }

            await using (var store = SqlFhirStore.FromConnectionString(cs))
            {
                await store.MigrateAsync(TestContext.Current.CancellationToken);
                (await store.SchemaVersionAsync()).ShouldBe(Schema.Latest);
                var sections = (await store.QueryRowsAsync(new SqlQuery("SELECT res_id, version, section FROM resource_version ORDER BY res_id, version", [])))
                    .Select(r => $"{r[0]} v{Convert.ToInt32(r[1], CultureInfo.InvariantCulture)}: {r[2] ?? "-"}").ToList();
                sections.ShouldBe(["d1 v1: financien", "d1 v2: plan", "d1 v3: plan", "pr1 v1: -"]);
                var compartments = (await store.QueryRowsAsync(new SqlQuery("SELECT res_id, version, patient_id FROM resource_version_compartment ORDER BY res_id, version", [])))
                    .Select(r => $"{r[0]} v{Convert.ToInt32(r[1], CultureInfo.InvariantCulture)}: {r[2]}").ToList();
                compartments.ShouldBe(["d1 v1: p1", "d1 v2: p2", "d1 v3: p2"]);
            }
        }
        finally
        {
            if (schema is null)
            {
                SqliteConnection.ClearAllPools();
                foreach (var f in new[] { cs, cs + "-wal", cs + "-shm" }) File.Delete(f);
            }
            else
            {
                Npgsql.NpgsqlConnection.ClearAllPools();
                await using var admin = new Npgsql.NpgsqlConnection(TestDatabases.PostgresConnectionString);
                await admin.OpenAsync();
                await using var drop = new Npgsql.NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", admin);
                await drop.ExecuteNonQueryAsync();
            }
        }

        static async Task Exec(System.Data.Common.DbConnection conn, string sql)
        {
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = sql;
            await cmd.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
    }
}
