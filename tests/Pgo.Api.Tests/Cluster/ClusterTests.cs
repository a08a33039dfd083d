using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using OtpNet;
using Pgo.Api.Realtime;

namespace Pgo.Api.Tests.Cluster;

/// <summary>
/// The cluster exactly as <c>./pgo cluster</c> starts it (infra/cluster.sh, on free ports): nginx in front of two Api, two
/// Identity and two Portal processes on one PostgreSQL, Redis and Azurite, demo data loaded once. Started once for the
/// class; the fact that kills Api instance 1 is the only one that uses it.
/// </summary>
public sealed class RunningCluster : IAsyncDisposable
{
    private readonly Lazy<Task> _started;
    private Process? _script;
    private readonly StringBuilder _output = new();

    public RunningCluster() => _started = new Lazy<Task>(StartAsync);

    public string Work { get; } = Directory.CreateTempSubdirectory("pgo-cluster-test-").FullName;
    public string PortalUrl { get; } = $"http://127.0.0.1:{FreePort()}";
    public string ApiUrl { get; } = $"http://127.0.0.1:{FreePort()}";
    public string IdentityUrl { get; } = $"http://127.0.0.1:{FreePort()}";

    /// <summary>Starts the cluster at the first fact that needs it (after <see cref="Needs.Nginx"/> said it may run).</summary>
    public Task EnsureStartedAsync() => _started.Value;

    /// <summary>The direct address of one instance (api1, api2, identity1, ...), past nginx.</summary>
    public string Instance(string name) => $"http://127.0.0.1:{File.ReadAllText(Path.Combine(Work, "pids", name + ".port")).Trim()}";

    public int Pid(string name) => int.Parse(File.ReadAllText(Path.Combine(Work, "pids", name + ".pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    private async Task StartAsync()
    {
        var root = RepositoryRoot();
        var psi = new ProcessStartInfo("bash", [Path.Combine(root, "infra", "cluster.sh"), "--no-build"])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["PGO_CLUSTER_WORK"] = Work;
        psi.Environment["PGO_CLUSTER_PORTAL_PORT"] = new Uri(PortalUrl).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["PGO_CLUSTER_API_PORT"] = new Uri(ApiUrl).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["PGO_CLUSTER_IDENTITY_PORT"] = new Uri(IdentityUrl).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _script = Process.Start(psi)!;
        _script.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_output) _output.AppendLine(e.Data);
            if (e.Data.StartsWith("PGO_CLUSTER_READY", StringComparison.Ordinal)) ready.TrySetResult();
        };
        _script.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        _script.EnableRaisingEvents = true;
        _script.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"infra/cluster.sh stopped:\n{Output()}"));
        _script.BeginOutputReadLine();
        _script.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(420));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the cluster was not ready within 420 s:\n{Output()}\n{LogTails()}");
        }
    }

    private string Output() { lock (_output) return _output.ToString(); }

    private string LogTails() => string.Join("\n", Directory.EnumerateFiles(Path.Combine(Work, "logs"), "*.log").Order(StringComparer.Ordinal)
        .Select(log => $"--- {Path.GetFileName(log)}\n{string.Join("\n", File.ReadLines(log).TakeLast(10))}"));

    public async ValueTask DisposeAsync()
    {
        if (_script is { HasExited: false })
        {
            // SIGTERM: the script's trap stops the instances, nginx, PostgreSQL, Redis and Azurite.
            using (var term = Process.Start("kill", ["-TERM", _script.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await term.WaitForExitAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try { await _script.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { _script.Kill(entireProcessTree: true); }
        }
        _script?.Dispose();
        try { Directory.Delete(Work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Pgo.sln")) && File.Exists(Path.Combine(dir.FullName, "infra", "cluster.sh"))) return dir.FullName;
        throw new InvalidOperationException("the repository root (Pgo.sln, infra/cluster.sh) was not found above the test binaries");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed class ClusterTests(RunningCluster cluster) : IClassFixture<RunningCluster>
{
    private const string Jesse = "strikwerda-jesse";
    private const string Tessa = "tessa@strikwerda.example"; // regiehouder
    private const string Ricardo = "ricardo@bondgenoten.example"; // bondgenoot, signs in with two factors
    private const string Scope = "openid fhirUser offline_access user/*.cruds";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_token_issued_by_identity_instance_1_is_accepted_by_api_instance_2_and_refreshed_at_identity_instance_2()
    {
        Needs.Nginx();
        await cluster.EnsureStartedAsync();
        var issued = await TokenAsync(cluster.Instance("identity1"), Tessa);

        using var api2 = Bearer(cluster.Instance("api2"), issued.Access);
        (await api2.GetAsync($"/fhir/Patient/{Jesse}", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var identity2 = new HttpClient { BaseAddress = new Uri(cluster.Instance("identity2")) };
        using var refresh = await identity2.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["client_id"] = "pgo-dev", ["refresh_token"] = issued.Refresh,
        }), Cancel);
        var body = await refresh.Content.ReadAsStringAsync(Cancel);
        refresh.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        var refreshed = JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
        // Through nginx, whichever instance answers (Api instance 1 may have been killed by the other fact): the same.
        using var balanced = Bearer(cluster.ApiUrl, refreshed);
        (await balanced.GetAsync($"/fhir/Patient/{Jesse}", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    /// <summary>Live across instances first, then the kill: one fact, because after it the cluster has one Api left.</summary>
    [Fact]
    public async Task Parent_and_bondgenoot_on_different_api_instances_see_each_others_changes_live_and_killing_one_under_write_load_loses_no_acknowledged_write()
    {
        Needs.Nginx();
        await cluster.EnsureStartedAsync();
        var tessaOnIdentity1 = await TokenAsync(cluster.Instance("identity1"), Tessa);
        var ricardo = await TokenAsync(cluster.Instance("identity2"), Ricardo, otp: true);

        await using var tessaOnApi1 = new HubClient(cluster.Instance("api1"), tessaOnIdentity1.Access);
        await using var ricardoOnApi2 = new HubClient(cluster.Instance("api2"), ricardo.Access);
        await tessaOnApi1.StartAndJoinAsync(Jesse);
        await ricardoOnApi2.StartAndJoinAsync(Jesse);

        var byTessa = await CreateGoalAsync(cluster.Instance("api1"), tessaOnIdentity1.Access, "Doel van Tessa, via Api 1");
        var seenByRicardo = await ricardoOnApi2.WaitForAsync(byTessa);
        (seenByRicardo.ResourceType, seenByRicardo.Version).ShouldBe(("Goal", 1));
        var byRicardo = await CreateGoalAsync(cluster.Instance("api2"), ricardo.Access, "Doel van Ricardo, via Api 2");
        var seenByTessa = await tessaOnApi1.WaitForAsync(byRicardo);
        (seenByTessa.ResourceType, seenByTessa.Version).ShouldBe(("Goal", 1));

        // kill -9 of Api instance 1 under write load through nginx; hub clients through nginx reconnect and replay.
        var tessa = await TokenAsync(cluster.IdentityUrl, Tessa);
        // Two hub clients through nginx: round robin puts them on different instances, so one is on the killed one.
        await using var first = new HubClient(cluster.ApiUrl, tessa.Access);
        await using var second = new HubClient(cluster.ApiUrl, tessa.Access);
        await first.StartAndJoinAsync(Jesse);
        await second.StartAndJoinAsync(Jesse);

        using var api = Bearer(cluster.ApiUrl, tessa.Access);
        var acknowledged = new ConcurrentBag<string>();
        using var acks = new SemaphoreSlim(0); // released once per acknowledged write: the test waits on it, not on a clock
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    using var response = await api.PostAsync("/fhir/Goal", GoalBody($"Schrijver {w}, doel {i}"), CancellationToken.None);
                    if (response.IsSuccessStatusCode)
                    {
                        acknowledged.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync(CancellationToken.None)).RootElement.GetProperty("id").GetString()!);
                        acks.Release();
                    }
                }
                catch (HttpRequestException) { } // not acknowledged: the client may not count on it
            }
        })).ToList();

        for (var i = 0; i < 20; i++) await acks.WaitAsync(Cancel);
        Process.GetProcessById(cluster.Pid("api1")).Kill(); // SIGKILL: no shutdown, no flushing
        for (var i = 0; i < 20; i++) await acks.WaitAsync(Cancel); // and the survivor keeps acknowledging
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        var ids = acknowledged.ToHashSet();
        using var reader = Bearer(cluster.ApiUrl, tessa.Access);
        foreach (var id in ids)
            (await reader.GetAsync($"/fhir/Goal/{id}", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK, $"acknowledged Goal/{id} is gone");

        // One of the two was on the killed instance: it reconnected (through nginx, to the other) and replayed from its cursor.
        (first.Reconnects + second.Reconnects).ShouldBeGreaterThan(0, "neither hub client was on the killed instance");
        await first.WaitForAllAsync(ids);
        await second.WaitForAllAsync(ids);
    }

    private static StringContent GoalBody(string text) => new(JsonSerializer.Serialize(new
    {
        resourceType = "Goal",
        lifecycleStatus = "active",
        description = new { text },
        category = new[] { new { coding = new[] { new { system = Pgo.Shared.Codes.LifeDomains.System, code = "wonen" } } } }, // a goal names its leefgebied
        subject = new { reference = $"Patient/{Jesse}" },
    }), Encoding.UTF8, "application/fhir+json");

    private static async Task<string> CreateGoalAsync(string api, string token, string text)
    {
        using var client = Bearer(api, token);
        using var response = await client.PostAsync("/fhir/Goal", GoalBody(text), Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    private static HttpClient Bearer(string baseUrl, string token)
    {
        var client = new HttpClient { BaseAddress = new Uri(baseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>The Development password grant (client pgo-dev) at one Identity instance; with the authenticator code for
    /// a person who signs in with two factors.</summary>
    private static async Task<(string Access, string Refresh)> TokenAsync(string identity, string email, bool otp = false)
    {
        using var client = new HttpClient { BaseAddress = new Uri(identity) };
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = "pgo-dev", ["username"] = email, ["password"] = "demo-wachtwoord-pgo", ["scope"] = Scope,
        };
        if (otp) form["otp"] = new Totp(Base32Encoding.ToBytes("PGODEMOAUTHENTICATORKEYFORDEVXYZ")).ComputeTotp(DateTime.UtcNow);
        using var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(form), Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        var json = JsonDocument.Parse(body).RootElement;
        return (json.GetProperty("access_token").GetString()!, json.GetProperty("refresh_token").GetString()!);
    }

    /// <summary>
    /// A dossier-hub client as the Portal's is (WebSocket, no negotiate, reconnecting): after a reconnect it joins again
    /// with the last cursor it saw, and the hub replays what it missed (DossierHub.JoinDossier's <c>after</c>).
    /// </summary>
    private sealed class HubClient : IAsyncDisposable
    {
        private readonly HubConnection _connection;
        private readonly ConcurrentDictionary<string, ChangeMessage> _seen = new();
        private readonly Channel<ChangeMessage> _changes = Channel.CreateUnbounded<ChangeMessage>();
        private string? _patient;
        private long _cursor;
        private int _reconnects;

        public HubClient(string api, string token)
        {
            _connection = new HubConnectionBuilder()
                .WithUrl(new Uri(new Uri(api), "/hubs/dossier"), o =>
                {
                    o.Transports = HttpTransportType.WebSockets;
                    o.SkipNegotiation = true;
                    o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                })
                .WithAutomaticReconnect([TimeSpan.Zero, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)])
                .Build();
            _connection.On<JsonElement>(LiveEvents.Change, body =>
            {
                var change = body.Deserialize<ChangeMessage>(JsonSerializerOptions.Web)!;
                Interlocked.Exchange(ref _cursor, Math.Max(Interlocked.Read(ref _cursor), change.Cursor));
                _seen[change.Id] = change;
                _changes.Writer.TryWrite(change);
            });
            _connection.Reconnected += async _ =>
            {
                Interlocked.Increment(ref _reconnects);
                await _connection.InvokeAsync<JoinResult>("JoinDossier", _patient, Interlocked.Read(ref _cursor));
            };
        }

        public int Reconnects => Volatile.Read(ref _reconnects);

        public async Task StartAndJoinAsync(string patient)
        {
            _patient = patient;
            await _connection.StartAsync(Cancel);
            var joined = await _connection.InvokeAsync<JoinResult>("JoinDossier", patient, null, Cancel);
            Interlocked.Exchange(ref _cursor, joined.Cursor);
        }

        public async Task<ChangeMessage> WaitForAsync(string id)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            while (!_seen.ContainsKey(id)) await _changes.Reader.ReadAsync(timeout.Token);
            return _seen[id];
        }

        public async Task WaitForAllAsync(IReadOnlySet<string> ids)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            try
            {
                while (!ids.All(_seen.ContainsKey)) await _changes.Reader.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"{ids.Count(id => !_seen.ContainsKey(id))} of {ids.Count} acknowledged writes never reached this hub client (reconnects: {Reconnects})");
            }
        }

        public ValueTask DisposeAsync() => _connection.DisposeAsync();
    }
}
