using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pgo.Fhir.Audit;

namespace Pgo.Api.Tests.Hosting;

public sealed class TelemetryOnSqlite(SqliteTelemetryHost host) : TelemetryTests(host), IClassFixture<SqliteTelemetryHost>;
public sealed class TelemetryOnPostgres(PostgresTelemetryHost host) : TelemetryTests(host), IClassFixture<PostgresTelemetryHost>;

/// <summary>SQLite, and blob storage that does not answer (nothing listens on port 1): readiness must say so.</summary>
public sealed class SqliteTelemetryHost() : TelemetryHost("sqlite",
    "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + Pgo.Api.Files.DocumentBlobs.AzuriteDevelopmentKey + ";BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;",
    blobsReachable: false);

/// <summary>PostgreSQL and the Azurite that ./pgo test starts: readiness answers 200.</summary>
public sealed class PostgresTelemetryHost() : TelemetryHost("postgres", Needs.Blobs(), blobsReachable: true);

/// <summary>
/// One Api per provider for the whole class: a few FHIR interactions on a patient with a name and an e-mail address,
/// then the tests read /metrics and /health/ready (Observability/Telemetry.cs, Api/Hosting/ApiMetrics.cs).
/// </summary>
public abstract class TelemetryHost(string provider, string blobs, bool blobsReachable) : IAsyncLifetime
{
    public const string FamilyName = "Metriekvanderzanden";
    public const string Email = "metriek.ouder@voorbeeld.nl";

    public ApiFactory Api { get; } = new(provider, settings: new Dictionary<string, string?>
    {
        ["Storage:Blobs"] = blobs,
        // The hosting's own request lines, so that the test sees what a log line of a request carries.
        ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
    });

    /// <summary>Every log line written while the class runs, with the values of its scopes.</summary>
    public ScopeCapture Logs { get; } = new();
    public bool BlobsReachable { get; } = blobsReachable;
    public string PatientId { get; private set; } = "";

    /// <summary>The Prometheus text scraped (from loopback) after the interactions.</summary>
    public string Scrape { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var system = Api.CreateClient();
        Api.Services.GetRequiredService<ILoggerFactory>().AddProvider(Logs);
        var patient = new { resourceType = "Patient", name = new[] { new { family = FamilyName, given = new[] { "Mila" } } },
            telecom = new[] { new { system = "email", value = Email } } };
        var created = await system.PostAsync("/fhir/Patient", JsonContent.Create(patient, mediaType: new("application/fhir+json")));
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        PatientId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        (await system.GetAsync($"/fhir/Patient/{PatientId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await system.GetAsync($"/fhir/Patient/{PatientId}/_history/1")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await system.GetAsync($"/fhir/Patient?family={FamilyName}&telecom={Uri.EscapeDataString(Email)}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        // A person without grants: refused, and the consent compile looks their grants up.
        (await Api.ClientAs("Person/niemand-metriek").GetAsync($"/fhir/Patient/{PatientId}")).IsSuccessStatusCode.ShouldBeFalse();
        // An unknown "type" in the path must not become a label.
        await system.GetAsync($"/fhir/{Email}/{PatientId}");

        var (status, body) = await GetAsync("/metrics", IPAddress.Loopback);
        status.ShouldBe(200);
        Scrape = body;
    }

    /// <summary>A GET straight through the test server, from <paramref name="from"/> (null: no address, as HttpClient sends).</summary>
    public async Task<(int Status, string Body)> GetAsync(string path, IPAddress? from, string? forwardedFor = null)
    {
        var context = await Api.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = path;
            c.Connection.RemoteIpAddress = from;
            if (forwardedFor is not null) c.Request.Headers["X-Forwarded-For"] = forwardedFor;
        });
        return (context.Response.StatusCode, await new StreamReader(context.Response.Body).ReadToEndAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>Issue 23: /metrics serves Prometheus text to operators only, and no label carries an id, a name or an address.</summary>
public abstract partial class TelemetryTests(TelemetryHost host)
{
    [Fact]
    public void Metrics_answer_Prometheus_text_with_the_FHIR_interaction_counter_after_a_read()
    {
        var text = host.Scrape;
        text.ShouldContain("# TYPE pgo_fhir_interactions_total counter");
        Regex.IsMatch(text, @"pgo_fhir_interactions_total\{[^}]*pgo_interaction=""read"",pgo_resource_type=""Patient""[^}]*\} [1-9]").ShouldBeTrue(text);
        Regex.IsMatch(text, @"pgo_fhir_interactions_total\{[^}]*pgo_interaction=""vread"",pgo_resource_type=""Patient""").ShouldBeTrue();
        Regex.IsMatch(text, @"pgo_fhir_interactions_total\{[^}]*pgo_interaction=""create"",pgo_resource_type=""Patient""").ShouldBeTrue();
        Regex.IsMatch(text, @"pgo_fhir_interactions_total\{[^}]*pgo_interaction=""read"",pgo_resource_type=""other""").ShouldBeTrue();
        Regex.IsMatch(text, @"pgo_consent_compile_duration_seconds_count\{[^}]*pgo_lookup=""true""[^}]*\} [1-9]").ShouldBeTrue();
        text.ShouldContain("pgo_audit_queue_depth");
        text.ShouldContain("http_server_request_duration_seconds_bucket");
    }

    [Fact]
    public async Task Metrics_are_refused_to_callers_outside_the_allowed_networks_and_through_a_proxy()
    {
        (await host.GetAsync("/metrics", IPAddress.Parse("203.0.113.7"))).Status.ShouldBe(404);
        (await host.GetAsync("/metrics", null)).Status.ShouldBe(404);
        (await host.GetAsync("/metrics", IPAddress.Loopback, forwardedFor: "203.0.113.7")).Status.ShouldBe(404);
        (await host.Api.CreateClient().GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public void No_label_value_carries_a_resource_id_a_name_or_an_email_address()
    {
        var values = LabelValue().Matches(host.Scrape).Select(m => m.Groups[1].Value).Distinct().ToList();
        values.ShouldNotBeEmpty();
        values.ShouldAllBe(v => !v.Contains(host.PatientId) && !v.Contains(TelemetryHost.FamilyName) && !v.Contains(TelemetryHost.Email)
            && !v.Contains("metriek") && !v.Contains('@'));
        // Requests are labelled by their route template, never their path.
        host.Scrape.ShouldContain("http_route=\"/fhir/{type}/{id}\"");
    }

    [Fact]
    public async Task Readiness_reports_the_database_and_blob_storage_beside_liveness()
    {
        var (status, body) = await host.GetAsync("/health/ready", null);
        var checks = JsonDocument.Parse(body).RootElement.GetProperty("checks");
        checks.GetProperty("storage").GetString().ShouldBe("Healthy");
        checks.GetProperty("blobs").GetString().ShouldBe(host.BlobsReachable ? "Healthy" : "Unhealthy");
        status.ShouldBe(host.BlobsReachable ? 200 : 503, body);
        body.ShouldNotContain("127.0.0.1");
        // Liveness is the database only: blob storage away does not make the instance restart.
        (await host.GetAsync("/health", null)).Status.ShouldBe(200);
    }

    [Fact]
    public async Task A_request_log_line_carries_the_request_id_that_the_audit_records()
    {
        var audit = host.Api.Services.GetRequiredService<AuditLog>();
        var read = (await audit.ReadAsync(new AuditQuery(Limit: 10_000)))
            .Single(e => e.Record.Action == "read" && e.Record.ResourceId == host.PatientId && e.Record.Status == 200).Record;
        read.RequestId.ShouldNotBeNullOrEmpty();
        var logged = host.Logs.Lines.Where(l => l.Scopes.GetValueOrDefault("RequestPath") == $"/fhir/Patient/{host.PatientId}").ToList();
        logged.ShouldNotBeEmpty();
        logged.Select(l => l.Scopes.GetValueOrDefault("RequestId")).ShouldContain(read.RequestId);
    }

    [GeneratedRegex(@"[a-z_]+=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelValue();
}

/// <summary>A logger provider that keeps each line with the values of its scopes (as a JSON console or OTLP would write them).</summary>
public sealed class ScopeCapture : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();
    public ConcurrentQueue<(string Category, string Message, Dictionary<string, string?> Scopes)> Lines { get; } = new();

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
    public void Dispose() { }

    private sealed class Logger(ScopeCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = new Dictionary<string, string?>();
            owner._scopes.ForEachScope((scope, v) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                    foreach (var (key, value) in pairs) v[key] = value?.ToString();
            }, values);
            owner.Lines.Enqueue((category, formatter(state, exception), values));
        }
    }
}
