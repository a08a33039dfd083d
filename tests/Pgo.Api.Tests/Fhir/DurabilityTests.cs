using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Hl7.Fhir.Model;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;

namespace Pgo.Api.Tests.Fhir;

/// <summary>An acknowledged write survives the process being killed (SQLite, the embedded default), and so does the
/// audit record of an acknowledged read.</summary>
public class DurabilityTests
{
    [Fact]
    public async System.Threading.Tasks.Task While_the_audit_cannot_be_written_reads_answer_503_without_the_data_and_are_logged_later()
    {
        var dataDir = Directory.CreateTempSubdirectory("pgo-audit-down-").FullName;
        var ct = TestContext.Current.CancellationToken;
        try
        {
            using var server = await ApiProcess.StartAsync(dataDir, new Dictionary<string, string> { ["Pgo__Audit__WaitSeconds"] = "2" });
            var created = await server.Client.PostAsync("/fhir/Patient", Patient("Onbereikbaar"));
            var id = (await created.ReadAs<Patient>()).Id;

            // Another process holds SQLite's write lock: readers still read (WAL), but no audit batch can commit.
            var blocker = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dataDir, "fhir.db")};Pooling=false");
            await blocker.OpenAsync(ct);
            await using (var begin = blocker.CreateCommand())
            {
                begin.CommandText = "BEGIN EXCLUSIVE;";
                await begin.ExecuteNonQueryAsync(ct);
            }
            var refused = await server.Client.GetAsync($"/fhir/Patient/{id}", ct);
            var body = await refused.Content.ReadAsStringAsync(ct);
            await blocker.DisposeAsync(); // the lock goes with the connection

            refused.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            body.ShouldContain("auditlog");
            body.ShouldNotContain("Onbereikbaar");
            // Once the database takes writes again the read is served, and the refused one was not forgotten either.
            (await server.Client.GetAsync($"/fhir/Patient/{id}", ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await AuditedReadsAsync(dataDir, id, onlyPermitted: false)).ShouldBe(2);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task Every_acknowledged_read_has_its_audit_record_after_kill_9_of_the_server()
    {
        var dataDir = Directory.CreateTempSubdirectory("pgo-durable-reads-").FullName;
        const int reads = 200;
        try
        {
            string id;
            using (var server = await ApiProcess.StartAsync(dataDir))
            {
                var created = await server.Client.PostAsync("/fhir/Patient", Patient("Gelezen"));
                created.StatusCode.ShouldBe(HttpStatusCode.Created);
                id = (await created.ReadAs<Patient>()).Id;
                // Many at once, so that the last of them are still queued for the audit when the last answer arrives,
                // unless every answer waits for its audit record.
                var answers = await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, reads)
                    .Select(_ => server.Client.GetAsync($"/fhir/Patient/{id}", TestContext.Current.CancellationToken)));
                server.Kill();
                answers.ShouldAllBe(a => a.StatusCode == HttpStatusCode.OK); // SIGKILL right after the last acknowledged read: the in-process queue gets no chance to flush.
            }

            (await AuditedReadsAsync(dataDir, id, onlyPermitted: true)).ShouldBe(reads);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    /// <summary>How many read records of Patient/<paramref name="id"/> the audit table of the Api's SQLite file holds.</summary>
    private static async Task<int> AuditedReadsAsync(string dataDir, string id, bool onlyPermitted)
    {
        await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dataDir, "fhir.db")};Pooling=false");
        await db.OpenAsync(TestContext.Current.CancellationToken);
        await using var count = db.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM audit_entry WHERE action = 'read' AND res_type = 'Patient' AND res_id = $id"
                            + (onlyPermitted ? " AND status = 200" : "");
        count.Parameters.AddWithValue("$id", id);
        return Convert.ToInt32(await count.ExecuteScalarAsync(TestContext.Current.CancellationToken), CultureInfo.InvariantCulture);
    }

    [Fact]
    public async System.Threading.Tasks.Task An_acknowledged_create_survives_kill_9_of_the_server()
    {
        var dataDir = Directory.CreateTempSubdirectory("pgo-durable-").FullName;
        try
        {
            var ids = new List<string>();
            using (var server = await ApiProcess.StartAsync(dataDir))
            {
                for (var i = 0; i < 20; i++)
                {
                    var created = await server.Client.PostAsync("/fhir/Patient", Patient($"Duurzaam{i}"));
                    created.StatusCode.ShouldBe(HttpStatusCode.Created);
                    ids.Add((await created.ReadAs<Patient>()).Id);
                }
                server.Kill(); // SIGKILL right after the last acknowledgement: no shutdown, no checkpoint.
            }

            using var restarted = await ApiProcess.StartAsync(dataDir);
            foreach (var id in ids)
                (await restarted.Client.GetAsync($"/fhir/Patient/{id}", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}

/// <summary>Pgo.Api as a real child process on a free loopback port.</summary>
internal sealed class ApiProcess : IDisposable
{
    private readonly Process _process;
    public HttpClient Client { get; }

    private ApiProcess(Process process, HttpClient client)
    {
        _process = process;
        Client = client;
    }

    public Uri BaseAddress => Client.BaseAddress!;

    /// <param name="identityAuthority">A real Pgo.Identity to validate tokens with (its JWKS); without it the tests' own signing key.</param>
    public static async Task<ApiProcess> StartAsync(string dataDir, IDictionary<string, string>? environment = null, string? identityAuthority = null, int startSeconds = 60)
    {
        var port = FreePort();
        var dll = Path.Combine(AppContext.BaseDirectory, "Pgo.Api.dll");
        var psi = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        psi.Environment["Pgo__DataDirectory"] = dataDir;
        psi.Environment["Pgo__LoadDemoData"] = "false";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        psi.Environment["Pgo__Identity__Authority"] = identityAuthority ?? TestTokens.Issuer;
        if (identityAuthority is null) psi.Environment["Pgo__Identity__SigningKeys__0"] = TestTokens.PublicKeyPem;
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestTokens.System());
        var deadline = DateTime.UtcNow.AddSeconds(startSeconds);
        while (true)
        {
            try
            {
                if ((await client.GetAsync("/health")).IsSuccessStatusCode) break;
            }
            catch (HttpRequestException) { }
            if (process.HasExited) throw new InvalidOperationException($"Pgo.Api exited with code {process.ExitCode}");
            if (DateTime.UtcNow > deadline) { process.Kill(true); throw new TimeoutException($"Pgo.Api did not start within {startSeconds} s"); }
            await System.Threading.Tasks.Task.Delay(200);
        }
        return new ApiProcess(process, client);
    }

    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        Client.Dispose();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
