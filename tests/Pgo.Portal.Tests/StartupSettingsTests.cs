using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pgo.Portal.Auth;
using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>Issue 15: the Portal validates its settings at start; outside Development the development client secret
/// stops it before it serves anything (PortalSettings), with the setting named.</summary>
public class StartupSettingsTests
{
    [Fact]
    public async Task Production_refuses_to_start_with_the_development_client_secret()
    {
        var project = Path.Combine(Repository.Root, "Portal");
        var dll = Path.Combine(project, "bin", Repository.Configuration, "net10.0", "Pgo.Portal.dll");
        var info = new ProcessStartInfo("dotnet", ["exec", dll, "--urls", "http://127.0.0.1:0", "--contentRoot", project])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = project,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Pgo__ClientSecret"] = "development-only-portal-secret";
        using var portal = Process.Start(info)!;
        var output = portal.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = portal.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await portal.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            portal.Kill(entireProcessTree: true);
            Assert.Fail("The Portal started with the development secret in Production.");
        }

        portal.ExitCode.ShouldNotBe(0);
        (await output + await errors).ShouldContain("Pgo:ClientSecret is the development secret");
    }

    /// <summary>Issue 23: several Portal instances (Pgo:Cluster, the same shape as in the Api and Identity) need shared
    /// data-protection keys; without Pgo:DataProtectionBlobs the keys would be in each machine's own folder, and a
    /// cookie or circuit from one instance would be refused by the next. In process: the Portal's own registration,
    /// validated as at start.</summary>
    [Theory]
    [InlineData("Pgo:Cluster:Enabled", "true", null, "Pgo:Cluster:Enabled is set but the data-protection keys are kept in a local folder")]
    [InlineData("Pgo:Cluster", "true", null, "Pgo:Cluster:Enabled is set but the data-protection keys are kept in a local folder")]
    [InlineData("Pgo:Cluster", "ja", "UseDevelopmentStorage=true", "Pgo:Cluster='ja': Pgo:Cluster:Enabled must be true or false")]
    [InlineData("Pgo:Cluster:Enabled", "true", "UseDevelopmentStorage=true", null)]
    public async Task A_cluster_is_refused_at_start_without_shared_key_storage(string key, string value, string? blobs, string? refusal)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pgo:ClientSecret"] = "a-secret-for-this-test-only-" + Guid.NewGuid().ToString("N"),
            ["Pgo:DataProtectionBlobs"] = blobs,
            [key] = value,
        });
        builder.AddPortalAuthentication();
        await using var app = builder.Build();

        if (refusal is null)
        {
            app.Services.GetRequiredService<IOptions<PortalOptions>>().Value.Cluster.ShouldBeTrue();
            return;
        }
        Should.Throw<OptionsValidationException>(() => app.Services.GetRequiredService<IOptions<PortalOptions>>().Value)
            .Message.ShouldContain(refusal);
    }
}
