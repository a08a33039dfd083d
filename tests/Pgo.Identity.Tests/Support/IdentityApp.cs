using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Pgo.Identity.Tests.Support;

/// <summary>
/// Pgo.Identity in memory on SQLite in its own temporary data directory (unless one is given, to restart
/// on the same data). Development by default, like <c>./pgo up</c>; rate limits high unless a test sets them.
/// </summary>
public class IdentityApp : WebApplicationFactory<Program>
{
    private readonly string environment;
    private readonly Dictionary<string, string?> settings;
    private readonly Action<IServiceCollection>? services;
    private readonly bool ownsDataDirectory;

    public IdentityApp(string environment, string? dataDirectory = null,
        IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        this.environment = environment;
        this.services = services;
        ownsDataDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? NewDataDirectory();
        this.settings = new Dictionary<string, string?>
        {
            ["Pgo:DataDirectory"] = DataDirectory,
            ["Pgo:Mail:Host"] = "127.0.0.1",
            ["Pgo:Mail:Port"] = Mail.Port.ToString(CultureInfo.InvariantCulture),
            ["Pgo:Mail:Security"] = "None",
            ["Pgo:RateLimits:SignInPerMinute"] = "1000",
            ["Pgo:RateLimits:TokenPerMinute"] = "1000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) this.settings[key] = value;
    }

    public string DataDirectory { get; }

    /// <summary>The app's mail goes here, over real SMTP.</summary>
    public SmtpSink Mail { get; } = new();

    public bool IsDevelopment => environment == "Development";

    /// <summary>Secrets good enough for a non-Development environment.</summary>
    public static Dictionary<string, string?> ProductionSecrets() => new()
    {
        ["Pgo:Clients:Portal:Secret"] = "portal-" + Guid.NewGuid().ToString("N"),
        ["Pgo:Clients:System:Secret"] = "system-" + Guid.NewGuid().ToString("N"),
    };

    public static string NewDataDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "pgo-identity-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A browser: keeps cookies, does not follow redirects (tests look at each one).</summary>
    public Browser Browser(bool https = false) => new(CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        HandleCookies = true,
        // Outside Development OpenIddict insists on HTTPS, as it will in production.
        BaseAddress = new Uri(IsDevelopment && !https ? "http://localhost" : "https://localhost"),
    }));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(settings));
        builder.ConfigureTestServices(test =>
        {
            // Password hashing is deliberately slow (PBKDF2, 100,000 rounds); tests seed many accounts.
            test.Configure<PasswordHasherOptions>(hasher => hasher.IterationCount = 1_000);
            services?.Invoke(test);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        await base.DisposeAsync();
        await Mail.DisposeAsync();
        if (!ownsDataDirectory) return;
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDirectory, recursive: true); }
        catch (IOException) { } // a temp folder left behind is harmless
    }
}

/// <summary>The shared app of a test class: Development, like <c>./pgo up</c>, with the demo accounts.</summary>
public sealed class DevelopmentApp() : IdentityApp("Development");
