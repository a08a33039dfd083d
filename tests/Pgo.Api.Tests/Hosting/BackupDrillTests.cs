using System.Diagnostics;

namespace Pgo.Api.Tests.Hosting;

/// <summary>
/// Issue 23: the restore drill (infra/backup-drill.sh, ./pgo backup-drill) on the demo families: PostgreSQL backed up
/// with pg_dump and the document blobs copied with their hashes, both restored into a fresh PostgreSQL and a fresh
/// Azurite, and the restore proven whole (verify-audit, resources per type, versions, audit entries, blob hashes).
/// </summary>
public class BackupDrillTests
{
    [Fact]
    public async Task The_restore_drill_brings_back_the_demo_families_their_audit_chain_and_their_documents()
    {
        // The drill starts PostgreSQL (apt) and Azurite (npm) of its own; the variables say ./pgo test installed both.
        Needs.Postgres();
        Needs.Blobs();
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "infra", "backup-drill.sh"))) root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("infra/backup-drill.sh not found above the test's folder");

        var psi = new ProcessStartInfo("bash", [Path.Combine(root, "infra", "backup-drill.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
        };
        psi.Environment["PGO_API_DLL"] = Path.Combine(AppContext.BaseDirectory, "Pgo.Api.dll");
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        var said = await output + await error;
        process.ExitCode.ShouldBe(0, said);
        said.ShouldContain("restore drill: passed");
        said.ShouldContain("audit intact");
        said.ShouldMatch(@"resources Patient [1-9]");
    }
}
