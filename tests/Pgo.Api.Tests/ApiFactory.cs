using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

namespace Pgo.Api.Tests;

/// <summary>
/// The Api in-process on a fresh database: SQLite in a temp folder, or a fresh PostgreSQL database
/// when <paramref name="provider"/> is "postgres" (the cluster that ./pgo test starts; PGO_TEST_POSTGRES).
/// Access tokens: the Api validates against <see cref="TestTokens"/>' key (Pgo:Identity:SigningKeys), no Identity
/// needed. <see cref="WebApplicationFactory{T}.CreateClient()"/> sends a system client's token (system/*.cruds);
/// <see cref="ClientFor"/> sends any other.
/// </summary>
public sealed class ApiFactory(string provider = "sqlite", bool demoData = false, string environment = "Development", string? dataDir = null,
    long maxBodyBytes = 1024 * 1024, TimeProvider? clock = null, IDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    private readonly string _dataDir = dataDir ?? Directory.CreateTempSubdirectory("pgo-api-test-").FullName;
    private readonly bool _ownsDataDir = dataDir is null;
    // Checked here, in the test's own call, so that a missing server skips (outside ./pgo test) or fails (inside it).
    private readonly string? _pgAdmin = provider == "postgres" ? Needs.Postgres() : null;
    private string? _pgDatabase;
    private string? _pgTeamSpaceDatabase;

    public static IEnumerable<TheoryDataRow<string>> Providers() => [new("sqlite"), new("postgres")];

    /// <summary>On "postgres", put the team space's database (and the practice's time, Api/Practice) in the same fresh
    /// PostgreSQL database instead of the default SQLite file in the data folder.</summary>
    public bool TeamSpaceOnPostgres { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        var all = new Dictionary<string, string?>
        {
            ["Pgo:DataDirectory"] = _dataDir,
            ["Pgo:LoadDemoData"] = demoData ? "true" : "false",
            // The project terminology comes with the demo data here, so that tests of an empty store start empty.
            ["Pgo:LoadTerminology"] = demoData ? "true" : "false",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Fhir:MaxBodyBytes"] = maxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Pgo:Identity:Authority"] = TestTokens.Issuer,
            ["Pgo:Identity:SigningKeys:0"] = TestTokens.PublicKeyPem,
        };
        if (provider == "postgres")
        {
            all["ConnectionStrings:Fhir"] = CreatePostgresDatabase();
            // A database of its own: the team space's index names are not unique beside the FHIR store's.
            if (TeamSpaceOnPostgres) all["ConnectionStrings:TeamSpace"] = CreatePostgresDatabase(teamSpace: true);
        }
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) all[k] = v;
        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(all));
        if (clock is not null) builder.ConfigureServices(s => s.Replace(ServiceDescriptor.Singleton(clock)));
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.System());
    }

    /// <summary>
    /// Stops the notification producers (the outbox rules, the schedule, the team-space forwarder) other than
    /// <paramref name="keep"/>, so that a test of one producer, or of the mail, counts only the notifications it made.
    /// Call it before the test writes anything: each producer starts at the newest row of its source.
    /// </summary>
    public async Task KeepOnlyNotificationProducersAsync(params Type[] keep)
    {
        Type[] producers = [typeof(Pgo.Api.Notifications.Rules.NotificationDispatcher), typeof(Pgo.Api.Notifications.Schedule.ScheduleService),
            typeof(Pgo.Api.Notifications.TeamNotificationForwarder)];
        foreach (var service in Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>()
                     .Where(s => producers.Contains(s.GetType()) && !keep.Contains(s.GetType())))
            await service.StopAsync(CancellationToken.None);
    }

    /// <summary>A client that sends <paramref name="token"/> (null: no Authorization header).</summary>
    public HttpClient ClientFor(string? token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A person's client: <c>user/*.cruds</c> unless other scopes are given.</summary>
    public HttpClient ClientAs(string fhirUser, string scopes = "openid fhirUser user/*.cruds") => ClientFor(TestTokens.Person(fhirUser, scopes));

    private string CreatePostgresDatabase(bool teamSpace = false)
    {
        var admin = _pgAdmin!;
        var name = "pgo_api_" + Guid.NewGuid().ToString("N")[..12];
        if (teamSpace) _pgTeamSpaceDatabase = name;
        else _pgDatabase = name;
        using (var conn = new NpgsqlConnection(admin))
        {
            conn.Open();
            using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", conn);
            cmd.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ToString();
    }

    public static string? PostgresConnectionString => Environment.GetEnvironmentVariable("PGO_TEST_POSTGRES");

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_pgDatabase is not null && PostgresConnectionString is { } admin)
        {
            NpgsqlConnection.ClearAllPools();
            await using var conn = new NpgsqlConnection(admin);
            await conn.OpenAsync();
            foreach (var database in new[] { _pgDatabase, _pgTeamSpaceDatabase }.OfType<string>())
            {
                await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", conn);
                await cmd.ExecuteNonQueryAsync();
            }
        }
        if (_ownsDataDir)
        {
            try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
        }
    }
}

/// <summary>Access tokens shaped like Pgo.Identity's (RS256, typ at+jwt, aud pgo-api), signed with a key made for the test run.</summary>
public static class TestTokens
{
    public const string Issuer = "http://localhost:5300";
    private static readonly RSA Key = RSA.Create(2048);
    public static readonly string PublicKeyPem = Key.ExportSubjectPublicKeyInfoPem();
    private static readonly SigningCredentials Credentials = new(new RsaSecurityKey(Key) { KeyId = "test-key" }, SecurityAlgorithms.RsaSha256);

    /// <summary>A system client (client credentials): no fhirUser, system/ scopes.</summary>
    public static string System(string scopes = "system/*.cruds", string clientId = "pgo-test-system") =>
        Create(clientId, null, scopes, clientId);

    /// <summary>A person acting as <paramref name="fhirUser"/> (Person/...).</summary>
    public static string Person(string fhirUser, string scopes = "openid fhirUser user/*.cruds", string clientId = "pgo-portal", params string[] roles) =>
        Create("account-" + fhirUser.Replace('/', '-'), fhirUser, scopes, clientId, roles);

    public static string Create(string sub, string? fhirUser, string scopes, string clientId, string[]? roles = null,
        DateTime? expires = null, string audience = "pgo-api", string issuer = Issuer, SigningCredentials? credentials = null, string type = "at+jwt",
        IReadOnlyList<Claim>? extraClaims = null)
    {
        var claims = new List<Claim> { new("sub", sub), new("client_id", clientId), new("scope", scopes) };
        claims.AddRange(extraClaims ?? []);
        if (fhirUser is not null) claims.Add(new Claim("fhirUser", fhirUser));
        foreach (var role in roles ?? []) claims.Add(new Claim("role", role));
        var now = DateTime.UtcNow;
        var exp = expires ?? now.AddMinutes(10);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = exp < now ? exp.AddMinutes(-10) : now,
            NotBefore = exp < now ? exp.AddMinutes(-10) : now,
            Expires = exp,
            SigningCredentials = credentials ?? Credentials,
            TokenType = type,
        });
    }
}
