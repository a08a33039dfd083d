using Microsoft.Extensions.Options;
using Pgo.Api.Audit;
using Pgo.Api.Auth;
using Pgo.Api.Hosting;
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
        // Every setting of the feature binds one way, validated at start (docs/settings.md); the refusals of
        // development shortcuts outside Development are validators (Api/Hosting/UnsafeSettings.cs).
        UnsafeSettings.Register(builder.Services);
        builder.Services.AddOptions<FhirHttpOptions>().BindConfiguration(FhirHttpOptions.Section).ValidateOnStart();
        builder.Services.AddOptions<RestHookOptions>().BindConfiguration(RestHookOptions.Section).ValidateOnStart()
            .PostConfigure(hooks =>
            {
                if (builder.Environment.IsProduction()) hooks.Restricted = true; // configuration can tighten, never loosen
            });
        builder.Services.AddOptions<PgoOptions>().BindConfiguration(PgoOptions.Section).ValidateOnStart();
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateOnStart();
        builder.Services.AddOptions<BenchmarkOptions>().BindConfiguration(BenchmarkOptions.Section).ValidateOnStart();
        builder.Services.AddOptions<ApiIdentityOptions>().BindConfiguration(ApiIdentityOptions.Section).ValidateOnStart();
        builder.Services.AddOptions<AuditOptions>().BindConfiguration(AuditSection).ValidateOnStart();
        builder.Services.AddOptions<FhirRepositoryOptions>().BindConfiguration(FhirHttpOptions.Section).ValidateOnStart()
            // rest-hook Subscriptions carry family data to their endpoint: in production only over https to the
            // operator's allow-list (Subscriptions:RestHook, ADR 7), read anew at every write and delivery.
            .Configure<IOptionsMonitor<RestHookOptions>>((options, hooks) => options.RestHooks = () => hooks.CurrentValue);
        // The repository and the audit log take their options as plain objects.
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<FhirRepositoryOptions>>().Value);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<AuditOptions>>().Value);
        builder.Services.AddSingleton<IFhirStore>(sp =>
        {
            var cs = config.GetConnectionString("Fhir");
            if (string.IsNullOrWhiteSpace(cs))
                cs = Path.Combine(DataDirectory(sp), "fhir.db");
            return FhirStore.Open(cs, sp.GetRequiredService<IOptions<StorageOptions>>().Value.DurabilityMode ?? StoreDurability.Full);
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
        // benchmark's comparison run only; UnsafeSettings refuses it outside Development.
        builder.Services.AddSingleton<IAccessPolicy>(sp => sp.GetRequiredService<IOptions<BenchmarkOptions>>().Value.AccessOff
            ? new UnrestrictedAccessPolicy()
            : new ConsentAccessPolicy(sp.GetRequiredService<IFhirStore>(), sp.GetRequiredService<ISearchIndexer>(), sp.GetRequiredService<TimeProvider>())
            {
                CacheFacts = !sp.GetRequiredService<IOptions<BenchmarkOptions>>().Value.ScopeCacheOff,
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

    /// <summary>Configuration section of <see cref="AuditOptions"/> (a Fhir class, without a section of its own).</summary>
    public const string AuditSection = "Pgo:Audit";

    /// <summary>The data folder (<see cref="PgoOptions.DataDirectory"/>, else <c>&lt;contentRoot&gt;/../data</c>).</summary>
    public static string DataDirectory(IServiceProvider services) =>
        services.GetRequiredService<IOptions<PgoOptions>>().Value.DataFolder(services.GetRequiredService<IHostEnvironment>());

    /// <summary>Refuses unsafe set-ups (every options validator, before any database is touched), then brings the
    /// schema up to date before the first request.</summary>
    public static async Task InitializeFhirAsync(this WebApplication app)
    {
        app.Services.RefuseInvalidSettings();
        await app.Services.GetRequiredService<IFhirStore>().MigrateAsync();
    }
}
