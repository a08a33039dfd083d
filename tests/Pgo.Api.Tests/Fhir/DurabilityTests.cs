using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Hl7.Fhir.Model;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;

namespace Pgo.Api.Tests.Fhir;

/// <summary>An acknowledged write survives the process being killed (SQLite, the embedded default).</summary>
public class DurabilityTests
{
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
