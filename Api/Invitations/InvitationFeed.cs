using Microsoft.Extensions.Options;
using Pgo.Api.Fhir;

namespace Pgo.Api.Invitations;

/// <summary>
/// Reads Identity's accepted-invitations feed and applies each item (<see cref="InvitationGrants"/>). The cursor
/// moves only after an item is applied or refused for good, so a crash or an unreachable Identity means the item is
/// tried again later, never skipped. Nothing is shared before acceptance: the feed holds accepted invitations only.
/// Once per cluster: only the <see cref="Pgo.Api.Hosting.ClusterLease"/>'s leader polls. Its cursor is a file of this
/// instance, so a new leader may read items again: applying one is idempotent (the grant is a conditional create by
/// the invitation's identifier, the inviter's notice keyed by the invitation).
/// </summary>
public sealed class InvitationFeed(IdentityFeedClient identity, InvitationGrants grants, FeedCursor cursor,
    IOptions<InvitationFeedOptions> options, Pgo.Api.Hosting.ClusterLease lease, ILogger<InvitationFeed> log) : Pgo.Api.Hosting.HostedLoop
{
    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var more = false;
            try
            {
                if (lease.IsLeader) more = await PollOnceAsync(stoppingToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException or Pgo.Fhir.FhirException or IOException or TaskCanceledException or System.Data.Common.DbException)
            {
                // Identity down or the store busy: try again later, backing off to at most ten intervals.
                failures++;
                log.LogWarning(e, "Invitation feed: poll failed ({Failures} in a row)", failures);
            }
            if (more) continue;
            var wait = TimeSpan.FromSeconds(options.Value.PollSeconds * Math.Min(10, 1 + failures));
            try { await Task.Delay(wait, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>One page: returns true when the page was full (there may be more at once).</summary>
    public async Task<bool> PollOnceAsync(CancellationToken ct)
    {
        var state = cursor.Load();
        var page = await identity.AcceptedAsync(state.Since, ct);
        var done = new HashSet<string>(state.DoneAtSince, StringComparer.Ordinal);
        foreach (var item in page.Items)
        {
            if (state.Since is { } since && item.AcceptedAt == since && done.Contains(item.Id)) continue;
            await grants.ApplyAsync(item, ct);
            // Remember per item: since is inclusive, so keep the ids handled at the newest instant.
            if (item.AcceptedAt != state.Since) done.Clear();
            done.Add(item.Id);
            state = new FeedCursor.State(item.AcceptedAt, done.ToArray());
            cursor.Save(state);
        }
        return page.Items.Length >= options.Value.PageSize;
    }
}

public static class InvitationFeedHosting
{
    /// <summary>Runs the feed when <c>Pgo:Invitations:ClientSecret</c> is set; outside Development a development secret is refused.</summary>
    public static WebApplicationBuilder AddInvitationFeed(this WebApplicationBuilder builder)
    {
        // A development secret outside Development is refused at start (Api/Hosting/UnsafeSettings).
        builder.Services.AddOptions<InvitationFeedOptions>().BindConfiguration(InvitationFeedOptions.Section).ValidateOnStart();
        // Whether the feed runs at all is decided here, at registration, from the configuration known now.
        if (string.IsNullOrEmpty(builder.Configuration[$"{InvitationFeedOptions.Section}:{nameof(InvitationFeedOptions.ClientSecret)}"])) return builder;
        builder.Services.AddHttpClient<IdentityFeedClient>(http => http.Timeout = TimeSpan.FromSeconds(30));
        builder.Services.AddSingleton(sp => new FeedCursor(Path.Combine(FhirHosting.DataDirectory(sp), "invitations-feed.json")));
        builder.Services.AddSingleton<InvitationGrants>();
        builder.Services.AddHostedService<InvitationFeed>();
        return builder;
    }
}
