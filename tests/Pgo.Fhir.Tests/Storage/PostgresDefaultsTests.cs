using Npgsql;
using Pgo.Fhir.Storage;

namespace Pgo.Fhir.Tests.Storage;

/// <summary>Issue 22: the FHIR store asks Npgsql to prepare its repeated statements unless the connection string says otherwise.</summary>
public class PostgresDefaultsTests
{
    [Fact]
    public void A_connection_string_without_Max_Auto_Prepare_gets_the_store_default()
    {
        var cs = SqlFhirStore.WithPostgresDefaults("Host=db.example;Database=pgo;Username=pgo;Password=geheim");
        var parsed = new NpgsqlConnectionStringBuilder(cs);
        parsed.MaxAutoPrepare.ShouldBe(SqlFhirStore.DefaultMaxAutoPrepare);
        parsed.NoResetOnClose.ShouldBeTrue();
        parsed.Host.ShouldBe("db.example");
        parsed.Database.ShouldBe("pgo");
        parsed.Password.ShouldBe("geheim");
    }

    [Theory]
    [InlineData("Host=db.example;Max Auto Prepare=0;No Reset On Close=false", 0)]
    [InlineData("Host=db.example;max auto prepare=20;no reset on close=false", 20)]
    [InlineData("Host=db.example;MaxAutoPrepare=7;NoResetOnClose=false", 7)]
    public void What_the_connection_string_sets_wins(string connectionString, int expected)
    {
        var cs = SqlFhirStore.WithPostgresDefaults(connectionString);
        cs.ShouldBe(connectionString);
        var parsed = new NpgsqlConnectionStringBuilder(cs);
        parsed.MaxAutoPrepare.ShouldBe(expected);
        parsed.NoResetOnClose.ShouldBeFalse();
    }
}
