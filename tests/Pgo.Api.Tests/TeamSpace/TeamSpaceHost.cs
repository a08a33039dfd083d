using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Pgo.Api.Tests.TeamSpace;

/// <summary>A person as the Api sees them after sign-in: the claims Identity puts in the access token.</summary>
public sealed record TestUser(string FhirUser, string Name, string Role = "supporter")
{
    public string Sub { get; } = "acc-" + FhirUser.Replace('/', '-');

    public static readonly TestUser Coach = new("Person/coach-smit", "Marieke Smit (coach)");
    public static readonly TestUser Ricardo = new("Person/bondgenoot-ricardo", "Ricardo (bondgenoot)");
    public static readonly TestUser Khadija = new("Person/bondgenoot-khadija", "Khadija (bondgenoot)");
    public static readonly TestUser Sven = new("Person/bondgenoot-sven", "Sven (bondgenoot)");
    public static readonly TestUser Ilse = new("Person/bondgenoot-ilse", "Ilse (bondgenoot)");
    public static readonly TestUser Expert = new("Person/expert-jurist", "Joyce (jurist)");
    public static readonly TestUser Guest = new("Person/gast-orthopedagoog", "Gast (orthopedagoog)", "professional");
    public static readonly TestUser Outsider = new("Person/bondgenoot-elders", "Iemand van een ander team");
}

/// <summary>
/// The Api in-process with the team space on its own database: SQLite (teamspace.db in the temp data folder)
/// or a fresh PostgreSQL database (PGO_TEST_POSTGRES). Requests are signed in by the test-only scheme below.
/// </summary>
public sealed class TeamSpaceHost : IAsyncDisposable
{
    private readonly ApiFactory _api;
    private readonly WebApplicationFactory<Program> _factory;
    private readonly string? _pgDatabase;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private TeamSpaceHost(string provider, bool demoData, IDictionary<string, string?>? settings, string? dataDir, string? pgDatabase, TimeProvider? clock)
    {
        Provider = provider;
        _api = new ApiFactory(provider, demoData, dataDir: dataDir, clock: clock);
        var config = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        if (provider == "postgres")
        {
            _pgDatabase = pgDatabase ?? CreatePostgresDatabase();
            config["ConnectionStrings:TeamSpace"] = new NpgsqlConnectionStringBuilder(ApiFactory.PostgresConnectionString) { Database = _pgDatabase }.ToString();
        }
        _factory = _api.WithWebHostBuilder(b =>
        {
            b.ConfigureAppConfiguration(c => c.AddInMemoryCollection(config));
            b.ConfigureTestServices(s => s.AddAuthentication(TestAuthHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, TestAuthHandler>(TestAuthHandler.SchemeName, null));
        });
    }

    public string Provider { get; }

    public string? PostgresDatabase => _pgDatabase;

    /// <param name="dataDir">Reuse a data folder (SQLite) to restart on the same database; <paramref name="pgDatabase"/> likewise for PostgreSQL.</param>
    /// <param name="clock">The Api's clock (e.g. <see cref="MutableClock"/>), when the test moves time.</param>
    public static TeamSpaceHost Start(string provider, bool demoData = false, IDictionary<string, string?>? settings = null, string? dataDir = null, string? pgDatabase = null,
        TimeProvider? clock = null)
    {
        var host = new TeamSpaceHost(provider, demoData, settings, dataDir, pgDatabase, clock);
        _ = host._factory.Server; // start now: migrations and demo data run here
        return host;
    }

    public TestServer Server => _factory.Server;

    public T Service<T>() where T : notnull => _factory.Services.GetRequiredService<T>();

    public HttpClient As(TestUser user)
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Add(TestAuthHandler.Header, TestAuthHandler.HeaderValue(user));
        return client;
    }

    public HttpClient Anonymous() => _factory.CreateClient();

    private static string CreatePostgresDatabase()
    {
        var admin = Needs.Postgres();
        var name = "pgo_team_" + Guid.NewGuid().ToString("N")[..12];
        using var conn = new NpgsqlConnection(admin);
        conn.Open();
        using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", conn);
        cmd.ExecuteNonQuery();
        return name;
    }

    /// <summary>Stops the host; the database is kept when <paramref name="keepDatabase"/> (for restart tests).</summary>
    public async ValueTask DisposeAsync() => await StopAsync(keepDatabase: false);

    public async ValueTask StopAsync(bool keepDatabase)
    {
        await _factory.DisposeAsync();
        await _api.DisposeAsync();
        if (_pgDatabase is not null && !keepDatabase && ApiFactory.PostgresConnectionString is { } admin)
        {
            NpgsqlConnection.ClearAllPools();
            await using var conn = new NpgsqlConnection(admin);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_pgDatabase} WITH (FORCE)", conn);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}

/// <summary>
/// Test-only sign-in: the X-Test-User header carries the claims Identity's access token would carry
/// (sub, name, role, fhirUser). Registered only in this test host; production code trusts no header.
/// </summary>
public sealed class TestAuthHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "TeamSpaceTest";
    public const string Header = "X-Test-User";

    public static string HeaderValue(TestUser user) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new[] { user.Sub, user.Name, user.Role, user.FhirUser }));

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var raw = Request.Headers[Header].FirstOrDefault() ?? Request.Query["test_user"].FirstOrDefault();
        if (string.IsNullOrEmpty(raw)) return Task.FromResult(AuthenticateResult.NoResult());
        var parts = JsonSerializer.Deserialize<string[]>(Convert.FromBase64String(raw))!;
        var identity = new ClaimsIdentity([
            new Claim("sub", parts[0]), new Claim("name", parts[1]), new Claim("role", parts[2]), new Claim("fhirUser", parts[3]),
        ], SchemeName, "name", "role");
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}

/// <summary>Small helpers so tests read as requests and expectations.</summary>
public static class TeamHttp
{
    public static Task<HttpResponseMessage> Post(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, TeamSpaceHost.Json);

    public static Task<HttpResponseMessage> Put(this HttpClient client, string url, object? body = null) =>
        client.PutAsJsonAsync(url, body ?? new { }, TeamSpaceHost.Json);

    public static async Task<T> Read<T>(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new ShouldAssertException($"Expected success, got {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<T>(text, TeamSpaceHost.Json)!;
    }

    public static async Task<T> GetJson<T>(this HttpClient client, string url) => await (await client.GetAsync(url)).Read<T>();

    /// <summary>The ProblemDetails of a refusal, after checking its status and content type.</summary>
    public static async Task<JsonElement> Problem(this HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(status, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", text);
        var json = JsonDocument.Parse(text).RootElement;
        json.GetProperty("title").GetString().ShouldNotBeNullOrWhiteSpace();
        return json;
    }
}
