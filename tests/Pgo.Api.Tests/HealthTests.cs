using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Pgo.Api.Tests;

public class HealthTests
{
    [Fact]
    public async Task Health_endpoint_answers_ok()
    {
        // ApiFactory, not a bare WebApplicationFactory: that would put its database in data/ of the checkout.
        await using var api = new ApiFactory();
        var response = await api.CreateClient().GetAsync("/health", TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
    }

    /// <summary>Issue 23: a balancer takes an instance out while its database is away: /health/ready answers 503 (not a
    /// 500, not a 200) without the database's error text, and 200 again once the database takes connections again;
    /// /health/live (the liveness probe) stays 200 throughout, and a FHIR request meanwhile gets 503 with Retry-After
    /// (Api/Errors/StoreUnavailable.cs), never a 500. The
    /// database "goes away" for this Api only: its PostgreSQL database stops accepting connections and its sessions are
    /// ended (blob storage away is TelemetryTests' SQLite row).</summary>
    [Fact]
    public async Task Readiness_answers_503_while_the_database_refuses_connections_and_200_when_it_is_back_while_liveness_stays_up_and_requests_are_told_to_retry()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var api = new ApiFactory("postgres");
        var client = api.CreateClient();
        (await client.GetAsync("/health/ready", ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var database = new NpgsqlConnectionStringBuilder(api.Services.GetRequiredService<IConfiguration>().GetConnectionString("Fhir")).Database!;

        await AdminAsync($"ALTER DATABASE {database} ALLOW_CONNECTIONS false", ct);
        try
        {
            await AdminAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'", ct);
            var ready = await client.GetAsync("/health/ready", ct);
            var body = await ready.Content.ReadAsStringAsync(ct);
            ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, body);
            JsonDocument.Parse(body).RootElement.GetProperty("checks").GetProperty("storage").GetString().ShouldBe("Unhealthy");
            body.ShouldNotContain(database);
            body.ShouldNotContain("connections", Case.Insensitive);
            // Liveness stays 200: an orchestrator must not restart every replica because the database is away.
            (await client.GetAsync("/health/live", ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
            // A FHIR request meanwhile is told to come back (503, Retry-After, a transient OperationOutcome), not a 500.
            var read = await api.ClientFor(TestTokens.System()).GetAsync("/fhir/Patient?_count=1", ct);
            var outcome = await read.Content.ReadAsStringAsync(ct);
            read.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, outcome);
            read.Headers.RetryAfter.ShouldNotBeNull();
            JsonDocument.Parse(outcome).RootElement.GetProperty("issue")[0].GetProperty("code").GetString().ShouldBe("transient");
        }
        finally
        {
            await AdminAsync($"ALTER DATABASE {database} ALLOW_CONNECTIONS true", ct);
        }

        // Back: each failed attempt drops a broken pooled connection; a bounded number of requests, no waiting.
        var status = HttpStatusCode.ServiceUnavailable;
        for (var attempt = 0; attempt < 30 && status != HttpStatusCode.OK; attempt++)
            status = (await client.GetAsync("/health/ready", ct)).StatusCode;
        status.ShouldBe(HttpStatusCode.OK);
    }

    private static async Task AdminAsync(string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(Needs.Postgres());
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
