using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Pgo.Api.Tests.TeamSpace;

namespace Pgo.Api.Tests.EndToEnd;

/// <summary>
/// Pgo.Identity as a real child process on a free loopback port, from its own build output (the test project
/// builds it without referencing it), in Development with the demo accounts and its own temporary data folder.
/// Mail goes to the pickup folder <c>&lt;data&gt;/mail</c>, as under <c>./pgo up</c>.
/// </summary>
internal sealed class IdentityProcess : IDisposable
{
    private readonly Process process;

    public string BaseUrl { get; }
    public string DataDirectory { get; }
    public string MailDirectory => Path.Combine(DataDirectory, "mail");

    private IdentityProcess(Process process, string baseUrl, string dataDirectory)
    {
        this.process = process;
        BaseUrl = baseUrl;
        DataDirectory = dataDirectory;
    }

    public static async Task<IdentityProcess> StartAsync(string dataDirectory)
    {
        var port = FreePort();
        var configuration = Path.GetFileName(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)))!; // bin/<Configuration>/net10.0
        var project = RepoFiles.Path("Identity");
        var dll = Path.Combine(project, "bin", configuration, "net10.0", "Pgo.Identity.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("Pgo.Identity is not built", dll);
        var baseUrl = $"http://127.0.0.1:{port}";
        var psi = new ProcessStartInfo("dotnet", [dll, "--urls", baseUrl, "--contentRoot", project])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = project,
        };
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        psi.Environment["Pgo__DataDirectory"] = dataDirectory;
        psi.Environment["Pgo__RateLimits__SignInPerMinute"] = "1000";
        psi.Environment["Pgo__RateLimits__TokenPerMinute"] = "1000";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        var started = Process.Start(psi)!;
        started.OutputDataReceived += (_, _) => { };
        started.ErrorDataReceived += (_, _) => { };
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        using var probe = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            try
            {
                if ((await probe.GetAsync(baseUrl + "/health")).IsSuccessStatusCode) break;
            }
            catch (HttpRequestException) { }
            if (started.HasExited) throw new InvalidOperationException($"Pgo.Identity exited with code {started.ExitCode}");
            if (DateTime.UtcNow > deadline) { started.Kill(true); throw new TimeoutException("Pgo.Identity did not start within 90 s"); }
            await Task.Delay(200);
        }
        return new IdentityProcess(started, baseUrl, dataDirectory);
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
