using System.Globalization;
using Npgsql;
using Pgo.Fhir.Storage;

namespace Pgo.Fhir.Tests;

public class TestDatabasesTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task A_test_database_is_empty_migrated_and_removed_afterwards(string provider)
    {
        var db = await TestDatabases.CreateAsync(provider);

        string location;
        await using (db)
        {
            (await db.ScalarAsync(new SqlQuery("SELECT COUNT(*) FROM resource", []))).ShouldBe(0);
            (await db.ScalarAsync(new SqlQuery("SELECT COUNT(*) FROM idx_string", []))).ShouldBe(0);
            await using var second = db.OpenConnection(); // same database through the connection string
            await using var cmd = second.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM idx_reference";
            Convert.ToInt64(await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken), CultureInfo.InvariantCulture).ShouldBe(0);
            location = db.Dialect.IsPostgres
                ? new NpgsqlConnectionStringBuilder(db.ConnectionString).SearchPath!
                : new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.ConnectionString).DataSource;
        }

        if (provider == TestDatabases.Postgres)
        {
            await using var admin = new NpgsqlConnection(TestDatabases.PostgresConnectionString);
            await admin.OpenAsync(TestContext.Current.CancellationToken);
            await using var cmd = new NpgsqlCommand("SELECT COUNT(*) FROM pg_namespace WHERE nspname = @n", admin);
            cmd.Parameters.AddWithValue("n", location);
            ((long)(await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken))!).ShouldBe(0);
        }
        else
        {
            File.Exists(location).ShouldBeFalse();
        }
    }

    [Fact]
    public async Task ForEachAsync_visits_sqlite_and_postgres_when_configured()
    {
        var seen = new List<string>();
        await TestDatabases.ForEachAsync(db => { seen.Add(db.Provider); return Task.CompletedTask; });
        seen.ShouldContain(TestDatabases.Sqlite);
        if (TestDatabases.PostgresConnectionString is not null) seen.ShouldContain(TestDatabases.Postgres);
    }
}
