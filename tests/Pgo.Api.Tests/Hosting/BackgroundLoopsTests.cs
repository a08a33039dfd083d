using Microsoft.Extensions.Hosting;
using Pgo.Api.Hosting;
using Pgo.Api.Tests.TeamSpace;
using Shouldly;

namespace Pgo.Api.Tests.Hosting;

/// <summary>
/// A background loop tells a failed round from the host's own stop by the stopping token, never by the exception's type:
/// HttpClient, the Azure SDK and others report their timeouts as TaskCanceledException, and one that escaped a
/// <c>when (e is not OperationCanceledException)</c> filter stopped the whole host (HostOptions: StopHost). The behaviour is
/// proved for the notification dispatcher in RulesTests.A_timeout_inside_a_round_is_a_failed_round_and_the_host_keeps_serving;
/// this keeps the filter out of every hosted service and health check of the three apps.
/// </summary>
public sealed class BackgroundLoopsTests
{
    [Fact]
    public void No_hosted_service_or_health_check_lets_a_library_timeout_through_as_a_stop()
    {
        var offenders = new List<string>();
        foreach (var app in new[] { "Api", "Identity", "Portal", "Fhir" })
        foreach (var file in Directory.EnumerateFiles(RepoFiles.Path(app), "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(RepoFiles.Root, file);
            if (relative.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") || relative.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")) continue;
            var text = File.ReadAllText(file);
            if (!text.Contains("BackgroundService", StringComparison.Ordinal) && !text.Contains("IHostedService", StringComparison.Ordinal)
                && !text.Contains("IHealthCheck", StringComparison.Ordinal)) continue;
            var lines = text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
                if (lines[i].Contains("is not OperationCanceledException)", StringComparison.Ordinal))
                    offenders.Add($"{relative}:{i + 1}");
        }
        offenders.ShouldBeEmpty("Filter on the stopping token instead (when (!stoppingToken.IsCancellationRequested)):\n" + string.Join("\n", offenders));
    }

    [Fact]
    public async Task A_loop_stopped_the_moment_it_started_ends_normally_not_canceled()
    {
        // .NET 10 runs ExecuteAsync through Task.Run with the stopping token: a plain BackgroundService stopped before the
        // thread pool ran it ends canceled without running, and its host (not stopping itself) then stops as for a crash.
        for (var i = 0; i < 500; i++)
        {
            var loop = new CountingLoop();
            await loop.StartAsync(CancellationToken.None);
            await loop.StopAsync(CancellationToken.None);
            loop.ExecuteTask!.Status.ShouldBe(TaskStatus.RanToCompletion, $"round {i}");
            loop.Ran.ShouldBeTrue($"round {i}");
        }
    }

    [Fact]
    public void Every_background_loop_of_the_Api_is_a_HostedLoop()
    {
        var loops = typeof(HostedLoop).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(BackgroundService).IsAssignableFrom(t)).ToList();
        loops.ShouldNotBeEmpty();
        loops.Where(t => !typeof(HostedLoop).IsAssignableFrom(t)).Select(t => t.FullName).ShouldBeEmpty();
    }

    private sealed class CountingLoop : HostedLoop
    {
        public bool Ran { get; private set; }

        protected override async Task RunAsync(CancellationToken stoppingToken)
        {
            Ran = true;
            try { await Task.Delay(Timeout.Infinite, stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        }
    }
}
