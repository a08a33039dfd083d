using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using Npgsql;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;

namespace Pgo.Api.Tests.Fhir;

/// <summary>
/// Issue 14: PostgreSQL is stopped hard (immediate shutdown) under a mix of reads and writes, then started again.
/// Afterwards every acknowledged read has its audit record, every acknowledged create is there, and every create
/// answered with an error that says "nothing stored" is absent. Runs against a private cluster, because the shared
/// test cluster serves the other test projects at the same time.
/// </summary>
public class PostgresFaultTests
{
    private const string IdentifierSystem = "urn:test:pg-fault";

    [Fact]
    public async System.Threading.Tasks.Task After_PostgreSQL_is_killed_and_restarted_acknowledged_reads_are_audited_and_answers_were_true()
    {
        await using var pg = await PrivatePostgres.StartAsync();
        var dataDir = Directory.CreateTempSubdirectory("pgo-pg-fault-").FullName;
        try
        {
            using var api = await ApiProcess.StartAsync(dataDir, new Dictionary<string, string>
            {
                ["ConnectionStrings__Fhir"] = pg.ConnectionString,
                ["Pgo__Audit__WaitSeconds"] = "3",
            });

            // Patients to read, one read each, so that each acknowledged read names its own audit row.
            var toRead = new ConcurrentQueue<string>();
            for (var i = 0; i < 400; i++)
            {
                var created = await api.Client.PostAsync("/fhir/Patient", Patient($"Lezen{i}"));
                created.StatusCode.ShouldBe(HttpStatusCode.Created);
                toRead.Enqueue((await created.ReadAs<Patient>()).Id);
            }

            var acknowledgedReads = new ConcurrentBag<string>();
            var writes = new ConcurrentBag<(string Identifier, HttpStatusCode Status, string Body)>();
            using var stop = new CancellationTokenSource();
            var n = 0;
            async System.Threading.Tasks.Task Worker()
            {
                while (!stop.IsCancellationRequested)
                {
                    var identifier = $"w{Interlocked.Increment(ref n)}";
                    var patient = Patient("Schrijven");
                    patient.Identifier = [new Identifier(IdentifierSystem, identifier)];
                    try
                    {
                        var written = await api.Client.PostAsync("/fhir/Patient", patient);
                        writes.Add((identifier, written.StatusCode, await written.Content.ReadAsStringAsync()));
                    }
                    catch (HttpRequestException) { writes.Add((identifier, 0, "")); }
                    if (!toRead.TryDequeue(out var id)) continue;
                    try
                    {
                        if ((await api.Client.GetAsync($"/fhir/Patient/{id}")).StatusCode == HttpStatusCode.OK) acknowledgedReads.Add(id);
                    }
                    catch (HttpRequestException) { }
                }
            }

            var workers = Enumerable.Range(0, 4).Select(_ => Worker()).ToList();
            await System.Threading.Tasks.Task.Delay(1500, TestContext.Current.CancellationToken);
            await pg.KillAsync();
            await System.Threading.Tasks.Task.Delay(1000, TestContext.Current.CancellationToken);
            await pg.RestartAsync();
            await System.Threading.Tasks.Task.Delay(2500, TestContext.Current.CancellationToken);
            await stop.CancelAsync();
            await System.Threading.Tasks.Task.WhenAll(workers);

            // The run must really have crossed the fault: answers before, refusals during, answers after.
            writes.Count(w => w.Status != HttpStatusCode.Created).ShouldBeGreaterThan(0, "no write failed: the fault was not hit");
            acknowledgedReads.Count.ShouldBeGreaterThan(0);

            await using var db = new NpgsqlConnection(pg.ConnectionString);
            await db.OpenAsync(TestContext.Current.CancellationToken);
            var audited = new HashSet<string>(StringComparer.Ordinal);
            await using (var cmd = new NpgsqlCommand("SELECT DISTINCT res_id FROM audit_entry WHERE action = 'read' AND res_type = 'Patient' AND status = 200", db))
            await using (var reader = await cmd.ExecuteReaderAsync(TestContext.Current.CancellationToken))
                while (await reader.ReadAsync(TestContext.Current.CancellationToken)) audited.Add(reader.GetString(0));
            acknowledgedReads.Where(id => !audited.Contains(id)).ToList().ShouldBeEmpty("acknowledged reads without an audit record");

            var stored = new HashSet<string>(StringComparer.Ordinal);
            await using (var cmd = new NpgsqlCommand("SELECT code FROM idx_token WHERE res_type = 'Patient' AND param = 'identifier' AND system = @s", db))
            {
                cmd.Parameters.AddWithValue("s", IdentifierSystem);
                await using var reader = await cmd.ExecuteReaderAsync(TestContext.Current.CancellationToken);
                while (await reader.ReadAsync(TestContext.Current.CancellationToken)) stored.Add(reader.GetString(0));
            }
            writes.Where(w => w.Status == HttpStatusCode.Created && !stored.Contains(w.Identifier)).ShouldBeEmpty("acknowledged creates that are missing");
            writes.Where(w => w.Body.Contains("niets opgeslagen", StringComparison.Ordinal) && stored.Contains(w.Identifier))
                .ShouldBeEmpty("creates answered 'nothing stored' that were stored");
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}

/// <summary>A throw-away PostgreSQL cluster of this test's own (apt postgresql's binaries), which it may kill.</summary>
internal sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _dir;
    private readonly int _port;

    private PrivatePostgres(string bin, string dir, int port)
    {
        _bin = bin;
        _dir = dir;
        _port = port;
    }

    public string ConnectionString => $"Host=127.0.0.1;Port={_port};Username=postgres;Database=postgres;Pooling=true;Timeout=5;Command Timeout=10";

    /// <summary>Skips the test when the binaries are missing outside ./pgo test; inside it that fails.</summary>
    public static async System.Threading.Tasks.Task<PrivatePostgres> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "pg_ctl"))).OrderBy(d => d).LastOrDefault()
            : null;
        if (bin is null)
        {
            if (Needs.Required("PGO_REQUIRE_POSTGRES")) Assert.Fail("PostgreSQL binaries not found under /usr/lib/postgresql, but ./pgo test requires them.");
            Assert.Skip("PostgreSQL binaries not found under /usr/lib/postgresql (./pgo test installs them).");
        }
        var dir = Directory.CreateTempSubdirectory("pgo-private-pg-").FullName;
        var port = FreePort();
        var pg = new PrivatePostgres(bin!, dir, port);
        if (Environment.UserName == "root") await RunAsync("chown", "-R", "postgres:postgres", dir);
        await pg.AsPostgresAsync("initdb", "-D", Path.Combine(dir, "data"), "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C");
        await pg.RestartAsync();
        return pg;
    }

    public Task RestartAsync() => AsPostgresAsync("pg_ctl", "-D", Path.Combine(_dir, "data"), "-l", Path.Combine(_dir, "server.log"), "-w", "-t", "60",
        "-o", $"-p {_port} -k {_dir} -c listen_addresses=127.0.0.1", "start");

    /// <summary>Immediate shutdown: no checkpoint, connections cut, recovery from the WAL at the next start.</summary>
    public Task KillAsync() => AsPostgresAsync("pg_ctl", "-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop");

    private Task AsPostgresAsync(string tool, params string[] args) => Environment.UserName == "root"
        ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args])
        : RunAsync(Path.Combine(_bin, tool), args);

    private static async Task RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {await stdout} {await stderr}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try { await KillAsync(); } catch (InvalidOperationException) { }
        NpgsqlConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
