using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.SignalR;

namespace Pgo.Api.Hosting;

/// <summary>
/// The Api's own instruments (meter <c>Pgo.Api</c>, exported by Observability/Telemetry.cs at /metrics and over OTLP).
/// Tags are fixed vocabularies (interaction, FHIR resource type, hub, outcome): never an id, a name or anything a
/// person typed. One meter per process: several hosts in one process (the tests) add to the same instruments.
/// </summary>
public static class ApiMetrics
{
    public const string MeterName = "Pgo.Api";
    private static readonly Meter Meter = new(MeterName);

    /// <summary><c>pgo.fhir.interactions</c>: FHIR REST interactions at /fhir, tags <c>pgo.interaction</c> (read,
    /// vread, search-type, create, ...) and <c>pgo.resource_type</c> (a known FHIR type, else "other").</summary>
    public static readonly Counter<long> FhirInteractions = Meter.CreateCounter<long>(
        "pgo.fhir.interactions", "{interaction}", "FHIR REST interactions by interaction and resource type");

    /// <summary><c>pgo.outbox.lag</c>: seconds between a change's commit (its outbox row) and its real-time dispatch.</summary>
    public static readonly Histogram<double> OutboxLag = Meter.CreateHistogram<double>(
        "pgo.outbox.lag", "s", "Time from a committed change to its real-time dispatch",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });

    /// <summary><c>pgo.hub.connections</c>: open SignalR connections, tag <c>pgo.hub</c> (the hub's class name).</summary>
    public static readonly UpDownCounter<long> HubConnections = Meter.CreateUpDownCounter<long>(
        "pgo.hub.connections", "{connection}", "Open real-time (SignalR) connections by hub");

    /// <summary><c>pgo.mail.sends</c>: notification mail attempts, tag <c>pgo.outcome</c> (sent, refused, retry, failed, skipped).</summary>
    public static readonly Counter<long> MailSends = Meter.CreateCounter<long>(
        "pgo.mail.sends", "{mail}", "Notification mail delivery attempts by outcome");

    /// <summary>Counts one FHIR interaction; <paramref name="resourceType"/> is taken only when it is a FHIR type name.</summary>
    public static void CountFhirInteraction(string interaction, string? resourceType) =>
        FhirInteractions.Add(1, new KeyValuePair<string, object?>("pgo.interaction", interaction),
            new KeyValuePair<string, object?>("pgo.resource_type", resourceType is not null && Hl7.Fhir.Model.ModelInfo.IsKnownResource(resourceType) ? resourceType : "other"));

    /// <summary>The SignalR filter that keeps <see cref="HubConnections"/>, on every hub (registered in RealtimeHosting).</summary>
    public sealed class HubConnectionCounter : IHubFilter
    {
        public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
        {
            await next(context);
            HubConnections.Add(1, Tag(context.Hub));
        }

        public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
        {
            try { await next(context, exception); }
            finally { HubConnections.Add(-1, Tag(context.Hub)); }
        }

        private static KeyValuePair<string, object?> Tag(Hub hub) => new("pgo.hub", hub.GetType().Name);
    }
}
