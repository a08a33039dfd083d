using System.Diagnostics;
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
}
