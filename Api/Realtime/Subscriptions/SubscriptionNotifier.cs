using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Hl7.Fhir.Model;
using Pgo.Fhir;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using Pgo.Fhir.Storage;
using Pgo.Api.Hosting;

namespace Pgo.Api.Realtime.Subscriptions;

/// <summary>
/// FHIR R4 Subscriptions: follows the change outbox and, for every active Subscription whose criteria type matches a
/// change, runs the criteria AS THE OWNER with <c>_id</c> of the changed resource through the repository (so the
/// owner's access is applied inside the query and audited): a change the owner may not see never notifies.
/// rest-hook: POST to the endpoint (empty body, or the resource for payload application/fhir+json), with retries;
/// after the last failure the Subscription gets status <c>error</c> and the reason in <c>error</c>. websocket: a
/// <c>ping &lt;id&gt;</c> to every socket bound to it (<see cref="SubscriptionSockets"/>). When the owner's access is
/// gone, the status becomes <c>off</c>.
/// </summary>
/// <remarks>
/// Once per cluster (issue 23): every instance follows the outbox and pings the websockets connected to it, but only the
/// <see cref="ClusterLease"/>'s leader POSTs rest-hooks and records a status. The leader keeps its cursor in
/// <c>notification_cursor</c> (consumer <see cref="Consumer"/>) after each batch; an instance that becomes leader goes
/// back to that cursor, so a change committed while the lease moved is delivered by the new leader. A leader that
/// crashed mid-batch leaves the cursor before that batch: the new leader sends its hooks again (at least once across a
/// failover, exactly once otherwise).
/// </remarks>
public sealed class SubscriptionNotifier(
    IOutboxStore store,
    FhirRepository repository,
    SubscriptionSockets sockets,
    RealtimeOptions options,
    ClusterLease lease,
    INotificationStore cursors,
    ILogger<SubscriptionNotifier> logger) : Pgo.Api.Hosting.HostedLoop
{
    /// <summary>The consumer name of the leader's persisted cursor.</summary>
    public const string Consumer = "subscriptions";

    private static readonly CallerContext Platform = CallerContext.System("subscriptions");
    private const string BaseUrl = "urn:pgo:fhir";
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly HttpClient _http = RestHookClient(() => repository.Options.RestHooks());
    private long _cursor;
    private bool _leading;

    /// <summary>The last outbox position this instance handled (for tests: a change before it has been acted on).</summary>
    internal long Cursor => Interlocked.Read(ref _cursor);

    private void Wake()
    {
        try { _wake.Release(); }
        catch (SemaphoreFullException) { /* already woken */ }
        catch (ObjectDisposedException) { /* stopped */ }
    }

    protected override async System.Threading.Tasks.Task RunAsync(CancellationToken stopping)
    {
        store.ChangesCommitted += Wake;
        try
        {
            _cursor = await Pgo.Api.Hosting.BackgroundRounds.UntilDoneAsync(async ct =>
            {
                var latest = (await store.ChangeBoundsAsync(ct)).Latest;
                // The very first start persists where the cluster begins, so a leader that takes over later starts there.
                if (lease.IsLeader && await cursors.NotificationCursorAsync(Consumer, ct) is null)
                    await cursors.AdvanceNotificationCursorAsync(Consumer, latest, ct);
                return latest;
            }, options.PollInterval, logger, "Subscriptions: reading where the outbox stands", stopping);
            while (!stopping.IsCancellationRequested)
            {
                await _wake.WaitAsync(options.PollInterval, stopping);
                try { await DrainAsync(stopping); }
                catch (Exception e) when (!stopping.IsCancellationRequested)
                {
                    logger.LogError(e, "Subscription notification failed; retrying from cursor {Cursor}", _cursor);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested) { }
        finally { store.ChangesCommitted -= Wake; }
    }

    private async System.Threading.Tasks.Task DrainAsync(CancellationToken ct)
    {
        var leading = lease.IsLeader;
        if (leading && !_leading && await cursors.NotificationCursorAsync(Consumer, ct) is { } persisted)
            Interlocked.Exchange(ref _cursor, persisted); // taken over: from where the last leader finished
        _leading = leading;
        while (true)
        {
            var changes = await store.ReadChangesAsync(_cursor, 200, null, ct);
            if (changes.Count == 0) return;
            // One row per patient compartment: notify once per version.
            var relevant = changes.Where(c => c.Change != "delete" && c.Type is not ("Subscription" or "AuditEvent"))
                .DistinctBy(c => (c.Type, c.Id, c.Version)).ToList();
            if (relevant.Count > 0)
            {
                var subscriptions = await ActiveSubscriptionsAsync(ct);
                foreach (var change in relevant)
                    foreach (var subscription in subscriptions)
                        await NotifyIfMatchingAsync(subscription, change, leading, ct);
            }
            if (leading) await cursors.AdvanceNotificationCursorAsync(Consumer, changes[^1].Cursor, ct);
            Interlocked.Exchange(ref _cursor, changes[^1].Cursor);
        }
    }

    private async Task<List<Subscription>> ActiveSubscriptionsAsync(CancellationToken ct)
    {
        var response = await repository.SearchAsync(new FhirContext(Platform, BaseUrl), "Subscription",
            [new("status", "active"), new("_count", "1000")], ct);
        var bundle = (Bundle)FhirJson.Parse(response.Json!);
        return bundle.Entry.Select(e => e.Resource).OfType<Subscription>().ToList();
    }

    /// <param name="leading">this instance holds the cluster lease: it POSTs rest-hooks and records statuses</param>
    private async System.Threading.Tasks.Task NotifyIfMatchingAsync(Subscription subscription, ChangeEvent change, bool leading, CancellationToken ct)
    {
        var criteria = subscription.Criteria ?? "";
        var q = criteria.IndexOf('?', StringComparison.Ordinal);
        if ((q < 0 ? criteria : criteria[..q]) != change.Type) return;
        if (!leading && subscription.Channel?.Type != Subscription.SubscriptionChannelType.Websocket) return;
        // Only changes after the subscription's current version (its activation) notify.
        if (subscription.Meta?.LastUpdated is { } since && change.Recorded < since) return;
        if (SubscriptionOwner.CallerOf(subscription) is not { } owner)
        {
            await SetStatusAsync(subscription, Subscription.SubscriptionStatus.Off, "De eigenaar van dit abonnement is onbekend.", leading, ct);
            return;
        }
        var scope = await repository.Access.CompileAsync(owner, ct);
        if (!scope.IsUnrestricted && !scope.AllPatients && scope.Owner is null)
        {
            await SetStatusAsync(subscription, Subscription.SubscriptionStatus.Off, "De eigenaar van dit abonnement heeft geen toegang meer.", leading, ct);
            return;
        }

        Resource? match;
        try
        {
            var query = Pgo.Fhir.Search.Query.QueryString.Parse(q < 0 ? "" : criteria[(q + 1)..]).ToList();
            query.Add(new("_id", change.Id));
            var response = await repository.SearchAsync(new FhirContext(owner, BaseUrl), change.Type, query, ct);
            match = ((Bundle)FhirJson.Parse(response.Json!)).Entry
                .FirstOrDefault(e => e.Search?.Mode == Bundle.SearchEntryMode.Match)?.Resource;
        }
        catch (FhirException e)
        {
            await SetStatusAsync(subscription, Subscription.SubscriptionStatus.Error, $"De criteria konden niet worden uitgevoerd: {e.Message}", leading, ct);
            return;
        }
        if (match is null) return;

        switch (subscription.Channel?.Type)
        {
            case Subscription.SubscriptionChannelType.RestHook:
                if (await PostAsync(subscription, match, ct) is { } failure)
                    await SetStatusAsync(subscription, Subscription.SubscriptionStatus.Error, failure, leading, ct);
                break;
            case Subscription.SubscriptionChannelType.Websocket:
                await sockets.PingAsync(subscription.Id!, ct);
                break;
        }
    }

    /// <summary>
    /// POSTs the notification with retries and back-off; returns the reason of the last failure, or null. The endpoint is
    /// judged again by the current <see cref="RestHookOptions"/> (a Subscription written under an earlier configuration
    /// gets status error instead of a delivery), and only the allowed headers are sent.
    /// </summary>
    private async Task<string?> PostAsync(Subscription subscription, Resource resource, CancellationToken ct)
    {
        var channel = subscription.Channel!;
        var hooks = repository.Options.RestHooks();
        if (RestHookRules.CheckEndpoint(channel.Endpoint, hooks) is { } refused) return refused;
        string? failure = null;
        for (var attempt = 0; attempt < options.SubscriptionAttempts; attempt++)
        {
            if (attempt > 0) await System.Threading.Tasks.Task.Delay(options.SubscriptionRetryDelay * (1 << (attempt - 1)), ct);
            using var request = new HttpRequestMessage(HttpMethod.Post, channel.Endpoint);
            request.Content = channel.Payload is { Length: > 0 }
                ? new StringContent(FhirJson.Serialize(resource), System.Text.Encoding.UTF8, "application/fhir+json")
                : new ByteArrayContent([]);
            foreach (var (name, value) in RestHookRules.HeadersToSend(channel.Header, hooks))
                request.Headers.TryAddWithoutValidation(name, value);
            try
            {
                using var response = await _http.SendAsync(request, ct);
                if (response.IsSuccessStatusCode) return null;
                failure = $"Het eindpunt antwoordde met HTTP {(int)response.StatusCode}.";
            }
            catch (HttpRequestException e) when (e.InnerException is RefusedAddressException refusedAddress)
            {
                return refusedAddress.Message; // no retry: the address will not become allowed by waiting
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                failure = $"Het eindpunt was niet bereikbaar ({e.GetType().Name}).";
            }
        }
        logger.LogWarning("Subscription {Id}: delivery failed after {Attempts} attempts: {Failure}", subscription.Id, options.SubscriptionAttempts, failure);
        return failure;
    }

    /// <summary>
    /// The client for rest-hooks: no redirects, and when restricted a connection only to public addresses, judged on the
    /// addresses the name resolves to at the moment of connecting (so a DNS answer that changes after the Subscription
    /// was written cannot point a notification at the loopback, the private network or the cloud metadata service).
    /// </summary>
    [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope",
        Justification = "The HttpClient owns its handler (new HttpClient(handler) disposes it with itself); Dispose disposes the client.")]
    private static HttpClient RestHookClient(Func<RestHookOptions> hooks) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        ConnectCallback = async (context, ct) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
            if (hooks().Restricted && (addresses.Length == 0 || !addresses.All(RestHookRules.IsPublic)))
                throw new RefusedAddressException();
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    }) { Timeout = TimeSpan.FromSeconds(10) };

    private sealed class RefusedAddressException() : Exception("Het eindpunt wijst naar een intern of lokaal adres; daar stuurt deze server geen meldingen heen.");

    /// <summary>Records the status (the leader only: once per cluster) and closes this instance's sockets of it.</summary>
    private async System.Threading.Tasks.Task SetStatusAsync(Subscription subscription, Subscription.SubscriptionStatus status, string reason, bool leading,
        CancellationToken ct)
    {
        subscription.Status = status;
        subscription.Error = reason;
        if (leading)
        {
            try
            {
                await repository.UpdateAsync(new FhirContext(Platform, BaseUrl), "Subscription", subscription.Id!, subscription, null, ct);
            }
            catch (FhirException e)
            {
                logger.LogWarning("Subscription {Id}: could not record status {Status}: {Message}", subscription.Id, status, e.Message);
            }
        }
        await sockets.CloseAsync(subscription.Id!, ct);
    }

    public override void Dispose()
    {
        _http.Dispose();
        _wake.Dispose();
        base.Dispose();
    }
}
