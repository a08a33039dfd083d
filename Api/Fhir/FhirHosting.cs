using Microsoft.Extensions.Options;
using Pgo.Api.Audit;
using Pgo.Fhir.Access;
using Pgo.Fhir.Audit;
using Pgo.Fhir.Profiles;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Search.Indexing;
using Pgo.Fhir.Storage;

namespace Pgo.Api.Fhir;

/// <summary>Registers the FHIR repository and chooses its store from configuration.</summary>
public static class FhirHosting
{
    /// <summary>
    /// ConnectionStrings:Fhir selects the store: "Host=..." is PostgreSQL; a file path or "Data Source=..." is SQLite.
    /// Without it, SQLite in {Pgo:DataDirectory}/fhir.db (the embedded default).
    /// </summary>
    public static WebApplicationBuilder AddFhirRepository(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        builder.Services.Configure<FhirHttpOptions>(config.GetSection("Fhir"));
        builder.Services.Configure<RestHookOptions>(config.GetSection(RestHookOptions.Section));
        builder.Services.PostConfigure<RestHookOptions>(hooks =>
        {
            if (builder.Environment.IsProduction()) hooks.Restricted = true; // configuration can tighten, never loosen
        });
        builder.Services.AddSingleton(sp =>
        {
            var options = new FhirRepositoryOptions();
            config.GetSection("Fhir").Bind(options);
            // rest-hook Subscriptions carry family data to their endpoint: in production only over https to the
            // operator's allow-list (Subscriptions:RestHook, ADR 7), read anew at every write and delivery.
            var hooks = sp.GetRequiredService<IOptionsMonitor<RestHookOptions>>();
            options.RestHooks = () => hooks.CurrentValue;
            return options;
        });
        builder.Services.AddSingleton<IFhirStore>(_ =>
        {
            var cs = config.GetConnectionString("Fhir");
            if (string.IsNullOrWhiteSpace(cs))
                cs = Path.Combine(DataDirectory(builder), "fhir.db");
            return FhirStore.Open(cs, Durability(config));
        });
        // The audit log and the change outbox of the same store; its resources are reached through FhirRepository only.
        builder.Services.AddSingleton<IAuditStore>(sp => sp.GetRequiredService<IFhirStore>());
        builder.Services.AddSingleton<IOutboxStore>(sp => sp.GetRequiredService<IFhirStore>());
        builder.Services.AddSingleton<ISearchIndexer>(sp =>
        {
            // A search expression that fails on a resource does not stop the write; it is logged.
            var logger = sp.GetRequiredService<ILogger<SearchIndexer>>();
            return new SearchIndexer(onProblem: p => logger.LogWarning("Search indexing problem: {Problem}", p));
        });
        // Consent decides access in every environment. Pgo:Benchmark:AccessOff switches enforcement off for the
        // benchmark's comparison run only; InitializeFhirAsync refuses it outside Development.
        builder.Services.AddSingleton<IAccessPolicy>(sp => config.GetValue("Pgo:Benchmark:AccessOff", false)
            ? new UnrestrictedAccessPolicy()
            : ActivatorUtilities.CreateInstance<ConsentAccessPolicy>(sp));
        builder.Services.AddSingleton(sp =>
        {
            var options = new AuditOptions();
            config.GetSection("Pgo:Audit").Bind(options);
            return options;
        });
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddHostedService<AuditWriterService>();
        // The project's profiles (Fhir/Profiles), checked before every write.
        builder.Services.AddSingleton<IResourceRule, ProjectProfiles>();
        // The name of who wrote a logbook note version (decision W6), stored with that version.
        builder.Services.AddSingleton<IResourceRule, Pgo.Api.Realtime.CoWriting.NoteWriterName>();
        builder.Services.AddSingleton<FhirRepository>();
        return builder;
    }

    /// <summary>Storage:Durability: "full" (the default: every acknowledged commit fsync'd) or "normal" (SQLite's
    /// faster mode that an OS crash can undo; production refuses it unless Storage:AllowNonDurable is true).</summary>
    public static StoreDurability Durability(IConfiguration config) => config["Storage:Durability"] switch
    {
        null or "" => StoreDurability.Full,
        var v when v.Equals("full", StringComparison.OrdinalIgnoreCase) => StoreDurability.Full,
        var v when v.Equals("normal", StringComparison.OrdinalIgnoreCase) => StoreDurability.Normal,
        var v => throw new InvalidOperationException($"Storage:Durability '{v}' is onbekend; kies 'full' of 'normal'."),
    };

    public static string DataDirectory(WebApplicationBuilder builder) =>
        builder.Configuration["Pgo:DataDirectory"] is { Length: > 0 } dir
            ? dir
            : Path.GetFullPath(Path.Combine(builder.Environment.ContentRootPath, "..", "data"));

    /// <summary>Brings the schema up to date before the first request, and refuses unsafe set-ups outside development.</summary>
    public static async Task InitializeFhirAsync(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment() && UnsafeConfiguration(app) is { } problem)
            throw new InvalidOperationException($"Pgo.Api weigert te starten: {problem}");
        await app.Services.GetRequiredService<IFhirStore>().MigrateAsync();
    }

    /// <summary>What makes a configuration unsafe outside Development, or null when it is safe.</summary>
    public static string? UnsafeConfiguration(WebApplication app)
    {
        var config = app.Configuration;
        if (app.Services.GetRequiredService<IAccessPolicy>() is UnrestrictedAccessPolicy)
            return "de toegangscontrole staat uit (Pgo:Benchmark:AccessOff); dat mag alleen in Development, voor de benchmark.";
        if (!app.Services.GetRequiredService<AuditOptions>().Enabled)
            return "het auditlog staat uit (Pgo:Audit:Enabled=false); dat mag alleen in Development, voor de benchmark.";
        if (Durability(config) != StoreDurability.Full && !config.GetValue("Storage:AllowNonDurable", false))
            return "Storage:Durability=normal kan bevestigde wijzigingen verliezen bij een stroomstoring; zet Storage:AllowNonDurable=true als dat bewust is.";
        var authority = config["Pgo:Identity:Authority"];
        var keys = config.GetSection("Pgo:Identity:SigningKeys").Get<string[]>() ?? [];
        if (string.IsNullOrWhiteSpace(authority))
            return "Pgo:Identity:Authority ontbreekt: zonder uitgever kan geen toegangstoken worden gecontroleerd.";
        if (keys.Length == 0 && !authority.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            return $"Pgo:Identity:Authority ({authority}) moet https zijn buiten Development.";
        return null;
    }
}
