using System.Net;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Pgo.Api.Hosting;
using Pgo.Api.Realtime.Subscriptions;
using Pgo.Fhir.Storage;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;
using static Pgo.Api.Tests.Realtime.LiveFamily;
using HookListener = Pgo.Api.Tests.Realtime.SubscriptionTests.HookListener;
using Task = System.Threading.Tasks.Task;

namespace Pgo.Api.Tests.Hosting;

/// <summary>
/// Issue 23: work that must happen once per cluster happens once. Two Api instances on one PostgreSQL database: one holds
/// the <see cref="ClusterLease"/> (a session advisory lock); a rest-hook is POSTed by that one only, and when it stops, or
/// its session dies without letting go (a crash), another instance takes the lease over.
/// </summary>
public class ClusterLeaseTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Two_instances_on_one_database_post_a_rest_hook_once_and_the_lease_moves_when_the_leader_stops()
    {
        await using var database = await SharedDatabase.CreateAsync();
        await using var hook = new HookListener(HttpStatusCode.OK);
        var first = new ApiFactory(settings: database.Settings());
        try
        {
            var firstClient = first.CreateClient();
            await Lease(first).WaitForLeadershipAsync(TestContext.Current.CancellationToken).WaitAsync(Wait, TestContext.Current.CancellationToken);
            await using var second = new ApiFactory(settings: database.Settings());
            var secondClient = second.CreateClient();
            Lease(second).IsLeader.ShouldBeFalse("two instances lead at once");

            await SeedAsync(firstClient);
            var subscription = new Subscription
            {
                Status = Subscription.SubscriptionStatus.Requested,
                Reason = "test",
                Criteria = $"Goal?patient={Child}",
                Channel = new Subscription.ChannelComponent { Type = Subscription.SubscriptionChannelType.RestHook, Endpoint = hook.Url + "goals", Payload = "application/fhir+json" },
            };
            (await second.ClientAs(Parent).PostAsync("/fhir/Subscription", subscription)).StatusCode.ShouldBe(HttpStatusCode.Created);

            // Written through the follower; both instances follow the outbox, only the leader POSTs.
            await PutAsync(secondClient, Goal("lease-goal-1", "Zwemmen"));
            (await hook.NextAsync()).Body.ShouldContain("Zwemmen");
            await BothPassedAsync(first, second);
            hook.Drain().ShouldBeEmpty("the rest-hook was POSTed more than once");

            // The leader stops: the other instance takes the lease and delivers from where the leader finished.
            await first.DisposeAsync();
            await Lease(second).WaitForLeadershipAsync(TestContext.Current.CancellationToken).WaitAsync(Wait, TestContext.Current.CancellationToken);
            await PutAsync(secondClient, Goal("lease-goal-2", "Fietsen"));
            (await hook.NextAsync()).Body.ShouldContain("Fietsen");
            await BothPassedAsync(second);
            hook.Drain().ShouldBeEmpty("the rest-hook was POSTed more than once");
        }
        finally
        {
            await first.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_leader_whose_session_dies_without_letting_go_loses_the_lease_to_a_waiting_instance()
    {
        await using var database = await SharedDatabase.CreateAsync();
        // A "crashed" leader: another session holds the lease; it is then ended by the server, never unlocked.
        await using var crashed = new NpgsqlConnection(database.ConnectionString);
        await crashed.OpenAsync(TestContext.Current.CancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_try_advisory_lock({ClusterLease.LockKey})", crashed))
            (await take.ExecuteScalarAsync(TestContext.Current.CancellationToken)).ShouldBe(true);

        await using var api = new ApiFactory(settings: database.Settings());
        api.CreateClient();
        Lease(api).IsLeader.ShouldBeFalse();
        Lease(api).Describe().ShouldBe("postgresql, follower");

        await using (var admin = new NpgsqlConnection(database.ConnectionString))
        {
            await admin.OpenAsync(TestContext.Current.CancellationToken);
            await using var kill = new NpgsqlCommand($"SELECT pg_terminate_backend({crashed.ProcessID})", admin);
            await kill.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        }
        await Lease(api).WaitForLeadershipAsync(TestContext.Current.CancellationToken).WaitAsync(Wait, TestContext.Current.CancellationToken);
        Lease(api).Describe().ShouldBe("postgresql, leader");
    }

    [Fact]
    public async Task On_SQLite_the_one_instance_always_leads()
    {
        await using var api = new ApiFactory();
        api.CreateClient();
        Lease(api).IsLeader.ShouldBeTrue();
        Lease(api).Describe().ShouldBe("sqlite");
    }

    private static ClusterLease Lease(ApiFactory api) => api.Services.GetRequiredService<ClusterLease>();

    /// <summary>Waits until every instance's subscription notifier has handled the outbox up to its latest row.</summary>
    private static async Task BothPassedAsync(params ApiFactory[] apis)
    {
        var latest = (await apis[0].Services.GetRequiredService<IOutboxStore>().ChangeBoundsAsync(TestContext.Current.CancellationToken)).Latest;
        using var timeout = new CancellationTokenSource(Wait);
        foreach (var api in apis)
        {
            var notifier = api.Services.GetServices<IHostedService>().OfType<SubscriptionNotifier>().Single();
            while (notifier.Cursor < latest) await Task.Delay(50, timeout.Token);
        }
    }

    /// <summary>A fresh PostgreSQL database that several Api hosts share (each ApiFactory would make its own).</summary>
    private sealed class SharedDatabase : IAsyncDisposable
    {
        private readonly string _admin;
        private readonly string _name;

        private SharedDatabase(string admin, string name)
        {
            _admin = admin;
            _name = name;
            ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ToString();
        }

        public string ConnectionString { get; }

        public static async Task<SharedDatabase> CreateAsync()
        {
            var admin = Needs.Postgres();
            var name = "pgo_lease_" + Guid.NewGuid().ToString("N")[..12];
            await using var conn = new NpgsqlConnection(admin);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", conn);
            await cmd.ExecuteNonQueryAsync();
            return new SharedDatabase(admin, name);
        }

        public Dictionary<string, string?> Settings() => new()
        {
            ["ConnectionStrings:Fhir"] = ConnectionString,
            ["Pgo:Cluster:LeaseCheckSeconds"] = "0.2",
            ["Realtime:PollInterval"] = "00:00:00.200",
        };

        public async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            await using var conn = new NpgsqlConnection(_admin);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", conn);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
