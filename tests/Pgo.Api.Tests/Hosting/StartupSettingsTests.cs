using Shouldly;

namespace Pgo.Api.Tests.Hosting;

/// <summary>
/// Issue 15: every setting is bound and validated at start (AddOptions().BindConfiguration().ValidateOnStart()); a
/// development shortcut outside Development stops the host before it touches a database, with the setting named.
/// </summary>
public sealed class StartupSettingsTests
{
    [Theory]
    [InlineData("Pgo:Benchmark:AccessOff", "true", "Pgo:Benchmark:AccessOff")]
    [InlineData("Pgo:Audit:Enabled", "false", "Pgo:Audit:Enabled")]
    [InlineData("Pgo:Identity:Authority", "", "Pgo:Identity:Authority ontbreekt")]
    [InlineData("Storage:Durability", "normal", "Storage:AllowNonDurable")]
    [InlineData("Pgo:Telemetry:MetricsNetworks:0", "0.0.0.0/0", "Pgo:Telemetry:MetricsNetworks '0.0.0.0/0' opent /metrics voor iedereen")]
    [InlineData("Pgo:Invitations:ClientSecret", "development-only-system-secret", "Pgo:Invitations:ClientSecret is het ontwikkelgeheim")]
    [InlineData("Storage:Blobs", "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;", "ontwikkelsleutel van Azurite")]
    [InlineData("Pgo:BrowserApps:Origins:0", "*", "Pgo:BrowserApps:Origins")]
    [InlineData("Pgo:BrowserApps:Origins:0", "http://app.example", "moet https zijn")]
    [InlineData("Pgo:BrowserApps:Origins:0", "https://app.example/pad", "geen herkomst")]
    public async Task Production_refuses_a_development_shortcut_before_touching_the_database(string key, string value, string named)
    {
        var data = Directory.CreateTempSubdirectory("pgo-api-settings-").FullName;
        try
        {
            await using var api = new ApiFactory(environment: "Production", dataDir: data, settings: new Dictionary<string, string?> { [key] = value });
            var e = Should.Throw<InvalidOperationException>(() => api.CreateClient());
            e.Message.ShouldStartWith("Pgo.Api weigert te starten: ");
            e.Message.ShouldContain(named);
            File.Exists(Path.Combine(data, "fhir.db")).ShouldBeFalse();
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Production_refuses_an_issuer_over_plain_http_without_signing_keys()
    {
        await using var api = new ApiFactory(environment: "Production", settings: new Dictionary<string, string?>
        {
            ["Pgo:Identity:Authority"] = "http://identity.example",
            ["Pgo:Identity:SigningKeys:0"] = null,
        });
        Should.Throw<InvalidOperationException>(() => api.CreateClient()).Message.ShouldContain("moet https zijn buiten Development");
    }

    [Fact]
    public async Task An_unknown_durability_is_refused_in_every_environment()
    {
        await using var api = new ApiFactory(settings: new Dictionary<string, string?> { ["Storage:Durability"] = "snel" });
        Should.Throw<InvalidOperationException>(() => api.CreateClient()).Message.ShouldContain("Storage:Durability 'snel' is onbekend");
    }

    /// <summary>Pgo:Cluster has one shape in all three apps (Observability/ClusterSetting.cs): several Api instances
    /// with a SQLite file or files in the data folder are refused, in the new shape and the older one alike.</summary>
    [Theory]
    [InlineData("Pgo:Cluster:Enabled", "true", "ConnectionStrings:Fhir is een SQLite-bestand")]
    [InlineData("Pgo:Cluster", "true", "Storage:Blobs ontbreekt")]
    [InlineData("Pgo:Cluster", "ja", "Pgo:Cluster='ja': Pgo:Cluster:Enabled moet true of false zijn")]
    public async Task A_cluster_of_Api_instances_with_state_on_this_machine_alone_is_refused_in_every_environment(string key, string value, string named)
    {
        var data = Directory.CreateTempSubdirectory("pgo-api-settings-").FullName;
        try
        {
            await using var api = new ApiFactory(dataDir: data, settings: new Dictionary<string, string?> { [key] = value });
            var e = Should.Throw<InvalidOperationException>(() => api.CreateClient());
            e.Message.ShouldContain("Pgo.Api weigert te starten: ");
            e.Message.ShouldContain(named);
            File.Exists(Path.Combine(data, "fhir.db")).ShouldBeFalse();
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
