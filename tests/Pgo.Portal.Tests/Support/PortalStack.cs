using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(Pgo.Portal.Tests.Support.PortalStack))]

namespace Pgo.Portal.Tests.Support;

/// <summary>
/// Identity, Api and Portal as real processes on free loopback ports (Development, demo data, SQLite in a temporary
/// folder), and one headless Chromium from apt. Started once for the whole test project; stopped at the end.
/// </summary>
public sealed class PortalStack : IAsyncLifetime
{
    private readonly List<Process> _processes = [];
    private readonly string _data = Directory.CreateTempSubdirectory("pgo-portal-tests-").FullName;
    private readonly StringBuilder _log = new();
    private IPlaywright? _playwright;

    public string IdentityUrl { get; private set; } = "";
    public string ApiUrl { get; private set; } = "";
    public string PortalUrl { get; private set; } = "";
    public IBrowser Browser { get; private set; } = default!;

    /// <summary>The Azurite connection string of infra/test.sh (PGO_TEST_BLOBS), or null: without it the Api has no documents' files.</summary>
    public static string? Blobs => Environment.GetEnvironmentVariable("PGO_TEST_BLOBS") is { Length: > 0 } b ? b : null;

    /// <summary>The Maildir of the local SMTP listener that receives Identity's and the Api's mails (new mails in <c>new/</c>).</summary>
    public string MailDirectory => Path.Combine(_data, "maildir");

    /// <summary>
    /// Where the screen tests put their screenshots. A test run never writes into the checkout: by default they go to
    /// TestResults/screenshots beside this test assembly (bin/, ignored by git). Only <c>./pgo screenshots</c> sets
    /// PGO_SCREENSHOTS=docs and so refreshes the README's pictures in docs/screenshots; any other value is a folder.
    /// </summary>
    public static string ScreenshotFolder { get; } = Environment.GetEnvironmentVariable("PGO_SCREENSHOTS") switch
    {
        null or "" => Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots"),
        "docs" => Path.Combine(Repository.Root, "docs", "screenshots"),
        var folder => Path.GetFullPath(folder),
    };

    public async ValueTask InitializeAsync()
    {
        // "localhost" everywhere: Identity registers the Portal's redirect URI with this host, and cookies follow it.
        File.WriteAllText(LogFile, "");
        if (Environment.GetEnvironmentVariable("PGO_PORTAL_TESTS_AGAINST_UP") == "1")
        {
            // Against a running ./pgo up (its fixed ports) instead of fresh processes: checks the demo world people get.
            (IdentityUrl, ApiUrl, PortalUrl) = ("http://localhost:5300", "http://localhost:5200", "http://localhost:5100");
            await LaunchBrowserAsync();
            return;
        }
        IdentityUrl = $"http://localhost:{FreePort()}";
        ApiUrl = $"http://localhost:{FreePort()}";
        PortalUrl = $"http://localhost:{FreePort()}";
        var smtpPort = await StartMailListenerAsync();
        Start("Identity", IdentityUrl, new()
        {
            // Every mail (invitations, confirmations) to the local SMTP listener; the tests read it from its Maildir.
            ["Pgo__Mail__Host"] = "127.0.0.1",
            ["Pgo__Mail__Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Pgo__Mail__Security"] = "None",
            ["Pgo__DataDirectory"] = Path.Combine(_data, "identity"),
            ["Pgo__Clients__Portal__BaseUrl"] = PortalUrl,
            // Every test signs in from 127.0.0.1: lift the per-address limits that guard against guessing.
            ["Pgo__RateLimits__SignInPerMinute"] = "10000",
            ["Pgo__RateLimits__TokenPerMinute"] = "10000",
        });
        var api = new Dictionary<string, string>
        {
            ["Pgo__DataDirectory"] = Path.Combine(_data, "api"),
            ["Pgo__Identity__Authority"] = IdentityUrl,
            // The Api turns accepted invitations into Consents by reading Identity's feed (as infra/up.sh sets it); poll often.
            ["Pgo__Invitations__ClientSecret"] = "development-only-system-secret",
            ["Pgo__Invitations__PollSeconds"] = "1",
            // Notification mail (Api/Notifications/Mail) to the same listener, as infra/up.sh sets it; planned and sent often.
            ["Notifications__Mail__Host"] = "127.0.0.1",
            ["Notifications__Mail__Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Notifications__Mail__Security"] = "None",
            ["Notifications__Mail__PollInterval"] = "00:00:01",
            // A test's mail must not wait for the morning, nor go to the digest after other tests' mails to the same person.
            ["Notifications__Mail__DefaultQuietFrom"] = "00:00",
            ["Notifications__Mail__DefaultQuietUntil"] = "00:00",
            ["Notifications__Mail__DefaultMaxPerDay"] = "50",
            ["Notifications__PortalUrl"] = PortalUrl,
        };
        // Documents (Api/Files) need blob storage: infra/test.sh starts Azurite and sets PGO_TEST_BLOBS (the demo documents load then).
        if (Blobs is { } blobs) api["Storage__Blobs"] = blobs;
        Start("Api", ApiUrl, api);
        Start("Portal", PortalUrl, new()
        {
            ["Pgo__Authority"] = IdentityUrl,
            ["Pgo__ApiUrl"] = ApiUrl,
        });
        await Task.WhenAll(WaitForAsync(IdentityUrl + "/health"), WaitForAsync(ApiUrl + "/health"), WaitForAsync(PortalUrl + "/health"));
        await LaunchBrowserAsync();
    }

    private async Task LaunchBrowserAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("PGO_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A fresh browser context (its own cookies) at a phone's or a desktop's width.</summary>
    public async Task<IBrowserContext> NewContextAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "nl-NL",
            BaseURL = PortalUrl,
        });
        // Twice Playwright's 30 s: on a loaded CI machine (two cores, all test projects at once) a click can wait long.
        context.SetDefaultTimeout(60_000);
        return context;
    }

    public string Log { get { lock (_log) return _log.ToString(); } }

    private void Start(string name, string url, Dictionary<string, string> environment)
    {
        var project = Path.Combine(Repository.Root, name);
        var dll = Path.Combine(project, "bin", Repository.Configuration, "net10.0", $"Pgo.{name}.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} is missing; build the solution first.");
        var info = new ProcessStartInfo("dotnet", ["exec", dll, "--urls", url, "--contentRoot", project])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = project,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (k, v) in environment) info.Environment[k] = v;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{name} did not start");
        process.OutputDataReceived += (_, e) => Record(name, e.Data);
        process.ErrorDataReceived += (_, e) => Record(name, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
    }

    /// <summary>
    /// A real SMTP listener (apt python3-aiosmtpd, as infra/lib.sh's smtp_start) on a free port, keeping each mail in
    /// <see cref="MailDirectory"/>. Debian's python3 on purpose: the apt module is installed for it.
    /// </summary>
    private async Task<int> StartMailListenerAsync()
    {
        foreach (var sub in new[] { "new", "cur", "tmp" }) Directory.CreateDirectory(Path.Combine(MailDirectory, sub));
        var port = FreePort();
        var info = new ProcessStartInfo("/usr/bin/python3", ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", MailDirectory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try { process = Process.Start(info) ?? throw new InvalidOperationException("the SMTP listener did not start"); }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("/usr/bin/python3 is missing; install python3-aiosmtpd (infra/test.sh does)", e);
        }
        process.OutputDataReceived += (_, e) => Record("SMTP", e.Data);
        process.ErrorDataReceived += (_, e) => Record("SMTP", e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        for (var i = 0; i < 200; i++)
        {
            if (process.HasExited) throw new InvalidOperationException("The SMTP listener stopped; is python3-aiosmtpd installed (apt, infra/test.sh does)?\n" + Log);
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return port;
            }
            catch (SocketException) { await Task.Delay(100); }
        }
        throw new TimeoutException("The SMTP listener did not answer within 20 seconds:\n" + Log);
    }

    /// <summary>The apps' warnings and errors, kept in memory and in <c>$TMPDIR/pgo-portal-tests.log</c> (overwritten per run) for diagnosis.</summary>
    private void Record(string name, string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            _log.AppendLine(CultureInfo.InvariantCulture, $"[{name}] {line}");
            File.AppendAllText(LogFile, $"[{name}] {line}\n");
        }
    }

    private static readonly string LogFile = Path.Combine(Path.GetTempPath(), "pgo-portal-tests.log");

    private async Task WaitForAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 720; i++)
        {
            if (_processes.Any(p => p.HasExited)) throw new InvalidOperationException("A process stopped while starting:\n" + Log);
            try
            {
                if ((await http.GetAsync(url)).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException($"{url} did not answer within three minutes:\n" + Log);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        foreach (var p in _processes)
        {
            try { if (!p.HasExited) { p.Kill(entireProcessTree: true); await p.WaitForExitAsync(); } }
            catch (InvalidOperationException) { }
            p.Dispose();
        }
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>The repository the tests run in, and the build configuration of this test assembly.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Configuration { get; } = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Pgo.sln"))) return folder.FullName;
        throw new InvalidOperationException("Pgo.sln not found above " + AppContext.BaseDirectory);
    }
}
