using Microsoft.Extensions.Options;
using Npgsql;
using Pgo.Shared.Data;

namespace Pgo.Api.Hosting;

/// <summary>Settings of <see cref="ClusterLease"/> (<c>Pgo:Cluster</c>, docs/settings.md): the same section as in Identity
/// and the Portal (<see cref="Pgo.Observability.ClusterSetting"/>).</summary>
public sealed class ClusterOptions
{
    public const string Section = Pgo.Observability.ClusterSetting.Section;

    /// <summary><c>Pgo:Cluster:Enabled</c> (or the older <c>Pgo:Cluster=true</c>): several Api instances serve behind one
    /// balancer. Then nothing may live on this machine alone: the FHIR store and the team space on PostgreSQL, files in
    /// blob storage; anything else is refused at start (<see cref="ClusterSettings"/>). The lease works either way.</summary>
    public bool Enabled { get; set; }

    /// <summary>How often a follower tries to take the lease and the leader checks that it still holds it, in seconds.</summary>
    public double LeaseCheckSeconds { get; set; } = 5;
}

/// <summary>
/// THE one answer to "is this instance the one that does the work of the whole cluster?" (issue 23, ADR 13). Jobs that
/// must happen once per cluster (rest-hook deliveries, the invitation feed, the notification schedule, deletions and the
/// orphan-blob cleanup) ask <see cref="IsLeader"/> before each round and skip it when another instance leads.
/// </summary>
/// <remarks>
/// SQLite is one machine, one process: always the leader. On PostgreSQL the lease is a session advisory lock
/// (<c>pg_try_advisory_lock</c>) on a dedicated, unpooled connection held while leading: when the leader stops, crashes
/// or loses the database, its session ends and PostgreSQL releases the lock; a follower tries every
/// <see cref="ClusterOptions.LeaseCheckSeconds"/> and takes over. The leader checks its connection as often: a leader cut
/// off from the database stops leading at its next check. The lease connection asks the server for TCP keep-alives, so a
/// leader whose machine vanished without closing its socket is dropped within about half a minute. For that short
/// overlap (and a crash mid-round) every leased job is also safe to run twice: each says in its own remarks why.
/// </remarks>
public sealed class ClusterLease : HostedLoop
{
    /// <summary>The advisory lock key of the lease (one per database; the store's locks are 727001 and 727002).</summary>
    public const long LockKey = 727023;

    private readonly string? _connectionString;
    private readonly ClusterOptions _options;
    private readonly ILogger<ClusterLease> _log;
    private NpgsqlConnection? _connection;
    private volatile bool _leader;
    private TaskCompletionSource _leading = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ClusterLease(IConfiguration configuration, IOptions<ClusterOptions> options, ILogger<ClusterLease> log)
    {
        _options = options.Value;
        _log = log;
        var cs = configuration.GetConnectionString("Fhir");
        if (!string.IsNullOrWhiteSpace(cs) && DatabaseConnection.Parse(cs, "ConnectionStrings:Fhir") is { IsPostgreSql: true } pg)
        {
            _connectionString = new NpgsqlConnectionStringBuilder(pg.ConnectionString)
            {
                // Its own session, closed for real when the lease ends (a pooled connection would keep the lock).
                Pooling = false,
                Timeout = 5,
                CommandTimeout = 5,
                ApplicationName = "pgo-api-lease",
                // The server drops the session of a leader whose machine vanished (no FIN, no RST) within about 25 s.
                Options = "-c tcp_keepalives_idle=10 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3",
            }.ToString();
        }
        else
        {
            _leader = true;
            _leading.TrySetResult();
        }
    }

    /// <summary>Whether this instance leads now (SQLite: always).</summary>
    public bool IsLeader => _leader;

    /// <summary>"sqlite" (always leading), "postgresql, leader" or "postgresql, follower": for /health and logs.</summary>
    public string Describe() => _connectionString is null ? "sqlite" : _leader ? "postgresql, leader" : "postgresql, follower";

    /// <summary>Completes when this instance leads (at once when it does now).</summary>
    public Task WaitForLeadershipAsync(CancellationToken ct) => _leading.Task.WaitAsync(ct);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // One try before the other services start, so that a single instance leads from its first round.
        if (_connectionString is not null)
        {
            try { await CheckAsync(cancellationToken); }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
            {
                _log.LogWarning(e, "Cluster lease: the database is not reachable at start; trying again in the background");
            }
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        if (_connectionString is null) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.LeaseCheckSeconds));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try { await CheckAsync(stoppingToken); }
                catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException or InvalidOperationException && !stoppingToken.IsCancellationRequested)
                {
                    _log.LogWarning(e, "Cluster lease: check failed");
                    await LoseAsync();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    /// <summary>Leader: is the session still there? Follower: try to take the lock.</summary>
    private async Task CheckAsync(CancellationToken ct)
    {
        if (_connection is null)
        {
            var connection = new NpgsqlConnection(_connectionString);
            try { await connection.OpenAsync(ct); }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
            _connection = connection;
        }
        if (_leader)
        {
            await using var ping = new NpgsqlCommand("SELECT 1", _connection);
            await ping.ExecuteScalarAsync(ct);
            return;
        }
        await using var take = new NpgsqlCommand($"SELECT pg_try_advisory_lock({LockKey})", _connection);
        if (await take.ExecuteScalarAsync(ct) is true)
        {
            _leader = true;
            _leading.TrySetResult();
            _log.LogInformation("Cluster lease: this instance now leads the once-per-cluster jobs");
        }
    }

    private async Task LoseAsync()
    {
        if (_leader)
        {
            _log.LogWarning("Cluster lease: this instance no longer leads");
            _leading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        _leader = false;
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Closing the session releases the lock at once: a follower takes over at its next check.
        if (_connectionString is not null) await LoseAsync();
    }

    public override void Dispose()
    {
        _connection?.Dispose();
        base.Dispose();
    }
}

public static class ClusterLeaseHosting
{
    /// <summary>Registers the lease first among the hosted services, so it has tried once before any job's first round.</summary>
    public static WebApplicationBuilder AddClusterLease(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.Section)
            .PostConfigure<IConfiguration>((o, config) => o.Enabled = Pgo.Observability.ClusterSetting.Read(config).Enabled)
            .Validate(o => o.LeaseCheckSeconds is >= 0.05 and <= 60, "Pgo:Cluster:LeaseCheckSeconds moet tussen 0,05 en 60 liggen.").ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ClusterOptions>, ClusterSettings>();
        builder.Services.AddSingleton<ClusterLease>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ClusterLease>());
        return builder;
    }
}

/// <summary>The Api's refusals for <c>Pgo:Cluster</c>, in every environment: a value that is not true or false, and
/// several instances with state that only this machine has (a SQLite file, files in the data folder).</summary>
public sealed class ClusterSettings(IConfiguration configuration) : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        var problems = new List<string>();
        if (Pgo.Observability.ClusterSetting.Read(configuration).Invalid is { } invalid)
            problems.Add($"{invalid}: {Pgo.Observability.ClusterSetting.EnabledKey} moet true of false zijn (de oudere vorm {ClusterOptions.Section}=true/false telt nog, maar niet naast een andere {Pgo.Observability.ClusterSetting.EnabledKey}).");
        if (options.Enabled)
        {
            foreach (var database in new[] { "Fhir", "TeamSpace" })
                if (!IsPostgreSql(configuration.GetConnectionString(database), database))
                    problems.Add($"{Pgo.Observability.ClusterSetting.EnabledKey} staat aan maar ConnectionStrings:{database} is een SQLite-bestand op deze machine; meerdere instanties hebben één PostgreSQL-database nodig.");
            if (string.IsNullOrWhiteSpace(configuration["Storage:Blobs"]))
                problems.Add($"{Pgo.Observability.ClusterSetting.EnabledKey} staat aan maar Storage:Blobs ontbreekt: bijlagen in de datamap van één machine ziet een andere instantie niet.");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems.Select(p => $"Pgo.Api weigert te starten: {p}"));
    }

    private static bool IsPostgreSql(string? connection, string name)
    {
        if (string.IsNullOrWhiteSpace(connection)) return false;
        try
        {
            return DatabaseConnection.Parse(connection, $"ConnectionStrings:{name}").IsPostgreSql;
        }
        catch (ArgumentException)
        {
            return true; // the store refuses an invalid connection string with its own message
        }
    }
}
