using Pgo.Fhir.Storage;
using Pgo.Shared.Data;

namespace Pgo.Fhir.Tests.Storage;

/// <summary>Issue 15: one rule decides SQLite or PostgreSQL from a connection string (Shared/Data), for every database.</summary>
public class DatabaseConnectionTests
{
    [Theory]
    [InlineData("Host=db.example;Database=pgo;Username=pgo")]
    [InlineData("host=db.example;database=pgo")]
    [InlineData("Server=db.example;Port=5432;Database=pgo")]
    [InlineData("Database=pgo; SERVER = db.example")]
    public void Host_or_Server_is_PostgreSQL(string connectionString)
    {
        var connection = DatabaseConnection.Parse(connectionString, "ConnectionStrings:Test");
        connection.Provider.ShouldBe(DatabaseProvider.PostgreSql);
        connection.ConnectionString.ShouldBe(connectionString.Trim());
        connection.SqlitePath.ShouldBeNull();
    }

    [Theory]
    [InlineData("Data Source=/var/pgo/fhir.db", "/var/pgo/fhir.db")]
    [InlineData("data source=relative/fhir.db;Cache=Shared", "relative/fhir.db")]
    [InlineData("DataSource=fhir.db", "fhir.db")]
    [InlineData("Filename=fhir.db", "fhir.db")]
    public void Data_Source_is_SQLite(string connectionString, string path)
    {
        var connection = DatabaseConnection.Parse(connectionString, "ConnectionStrings:Test");
        connection.Provider.ShouldBe(DatabaseProvider.Sqlite);
        connection.SqlitePath.ShouldBe(path);
    }

    [Theory]
    [InlineData("/var/pgo/fhir.db")]
    [InlineData("data/teamspace.db")]
    [InlineData(@"C:\pgo\data\identity.db")]
    [InlineData("  fhir.db  ")]
    public void A_bare_path_is_a_SQLite_file(string path)
    {
        var connection = DatabaseConnection.Parse(path, "ConnectionStrings:Test");
        connection.Provider.ShouldBe(DatabaseProvider.Sqlite);
        connection.SqlitePath.ShouldBe(path.Trim());
        connection.ConnectionString.ShouldBe($"Data Source={path.Trim()}");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Empty_is_refused_with_the_setting_named(string? connectionString)
    {
        var e = Should.Throw<ArgumentException>(() => DatabaseConnection.Parse(connectionString, "ConnectionStrings:Fhir"));
        e.Message.ShouldContain("ConnectionStrings:Fhir is empty");
    }

    [Theory]
    [InlineData("Database=pgo;Username=pgo")]
    [InlineData("Data Source=")]
    [InlineData("Mode=Memory")]
    public void Pairs_that_name_no_database_are_refused(string connectionString)
    {
        var e = Should.Throw<ArgumentException>(() => DatabaseConnection.Parse(connectionString, "ConnectionStrings:TeamSpace"));
        e.Message.ShouldContain("ConnectionStrings:TeamSpace names neither PostgreSQL");
    }

    [Fact]
    public async Task The_FHIR_store_reads_Server_as_PostgreSQL_not_as_a_file_name()
    {
        // No connection is opened: the data source connects on first use.
        await using var store = SqlFhirStore.FromConnectionString("Server=127.0.0.1;Port=1;Database=nowhere");
        store.Dialect.IsPostgres.ShouldBeTrue();
    }
}
