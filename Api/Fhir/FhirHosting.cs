using Pgo.Fhir.Access;
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
        builder.Services.AddSingleton(sp =>
        {
            var options = new FhirRepositoryOptions();
            config.GetSection("Fhir").Bind(options);
            return options;
        });
        builder.Services.AddSingleton<IFhirStore>(_ =>
        {
            var cs = config.GetConnectionString("Fhir");
            if (string.IsNullOrWhiteSpace(cs))
                cs = Path.Combine(DataDirectory(builder), "fhir.db");
            return SqlFhirStore.FromConnectionString(cs);
        });
        builder.Services.AddSingleton<ISearchIndexer>(sp =>
        {
            // A search expression that fails on a resource does not stop the write; it is logged.
            var logger = sp.GetRequiredService<ILogger<SearchIndexer>>();
            return new SearchIndexer(onProblem: p => logger.LogWarning("Search indexing problem: {Problem}", p));
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IAccessPolicy, UnrestrictedAccessPolicy>();
        builder.Services.AddSingleton<FhirRepository>();
        return builder;
    }

    public static string DataDirectory(WebApplicationBuilder builder) =>
        builder.Configuration["Pgo:DataDirectory"] is { Length: > 0 } dir
            ? dir
            : Path.GetFullPath(Path.Combine(builder.Environment.ContentRootPath, "..", "data"));

    /// <summary>Brings the schema up to date before the first request, and refuses unsafe set-ups outside development.</summary>
    public static async Task InitializeFhirAsync(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment() && app.Services.GetRequiredService<IAccessPolicy>() is UnrestrictedAccessPolicy)
        {
            // Until the consent model decides access, the repository is open: never in production.
            throw new InvalidOperationException(
                "Pgo.Api weigert te starten: zonder toestemmingsmodel is de FHIR-repository onbeveiligd. Alleen in Development toegestaan.");
        }
        await app.Services.GetRequiredService<IFhirStore>().MigrateAsync();
    }
}
