using System.Net;
using Npgsql;
using Pgo.Identity.Tests.Support;

namespace Pgo.Identity.Tests;

/// <summary>
/// The same server on PostgreSQL. Runs when PGO_TEST_POSTGRES names a server (./pgo test starts one);
/// each run gets a database of its own, dropped afterwards.
/// </summary>
public class PostgreSqlTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Accounts_clients_and_tokens_live_in_PostgreSQL_when_the_connection_string_says_so()
    {
        var server = Needs.Postgres();

        var database = $"pgo_identity_{Guid.NewGuid():N}";
        await ExecuteAsync(server, $"CREATE DATABASE {database}");
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = database, Pooling = false }.ConnectionString;
        try
        {
            await using (var app = new IdentityApp("Development", settings: new Dictionary<string, string?>
            {
                ["ConnectionStrings:Identity"] = connectionString,
            }))
            {
                using var browser = app.Browser();
                var tokens = await Oidc.PortalTokensAsync(browser, "tessa@strikwerda.example");
                var refreshed = await Oidc.RefreshAsync(browser, tokens.RefreshToken);
                refreshed.Status.ShouldBe(HttpStatusCode.OK);
                (await Oidc.RefreshAsync(browser, tokens.RefreshToken)).Error.ShouldBe("invalid_grant");
                (await browser.GetStringAsync("/account")).ShouldContain("Aangemeld (wachtwoord)"); // the sign-in log
                var system = await Oidc.TokenAsync(browser, new()
                {
                    ["grant_type"] = "client_credentials", ["client_id"] = "pgo-system",
                    ["client_secret"] = "development-only-system-secret", ["scope"] = "invitations",
                });
                using var feed = new HttpRequestMessage(HttpMethod.Get, "/api/invitations/accepted");
                feed.Headers.Authorization = new("Bearer", system.AccessToken);
                (await browser.Http.SendAsync(feed, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
                File.Exists(Path.Combine(app.DataDirectory, "identity.db")).ShouldBeFalse();
            }

            (await CountAsync(connectionString, "\"AspNetUsers\"")).ShouldBeGreaterThan(0);
            (await CountAsync(connectionString, "\"OpenIddictApplications\" WHERE \"ClientId\" = 'pgo-portal'")).ShouldBe(1);
            (await CountAsync(connectionString, "\"OpenIddictTokens\"")).ShouldBeGreaterThan(0);
        }
        finally
        {
            await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Cancel);
    }

    private static async Task<long> CountAsync(string connectionString, string from)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {from}", connection);
        return (long)(await command.ExecuteScalarAsync(Cancel))!;
    }
}
