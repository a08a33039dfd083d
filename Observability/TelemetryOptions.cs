using System.Net;

namespace Pgo.Observability;

/// <summary>
/// <c>Pgo:Telemetry</c> (docs/settings.md), the same keys in Api, Identity and Portal: where traces, metrics and logs
/// go over OTLP, and who may read <c>/metrics</c>.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Pgo:Telemetry";

    /// <summary>OTLP collector (e.g. <c>http://otel-collector:4317</c>). Unset: the standard
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>; neither set: nothing is exported over OTLP.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>The OTLP protocol with <see cref="OtlpEndpoint"/>: <c>grpc</c> (default) or <c>http/protobuf</c>.</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>Serves Prometheus text at <c>/metrics</c> (to <see cref="MetricsNetworks"/> only).</summary>
    public bool Metrics { get; set; } = true;

    /// <summary>The networks (CIDR) whose direct callers may read <c>/metrics</c>; default loopback only. A request that
    /// came through a proxy (X-Forwarded-For or Forwarded) is refused whatever its address. A network of prefix 0
    /// (<c>0.0.0.0/0</c>, <c>::/0</c>: everyone) is refused at start outside Development.</summary>
    public List<string> MetricsNetworks { get; set; } = [];

    /// <summary>When set, <c>/metrics</c> answers only on this local port (a management port the ingress does not
    /// route to; the app must listen on it too, e.g. <c>ASPNETCORE_URLS=http://+:8080;http://+:9464</c>).</summary>
    public int? MetricsPort { get; set; }

    /// <summary>The allowed networks: <see cref="MetricsNetworks"/>, else loopback (127.0.0.0/8 and ::1).</summary>
    public IReadOnlyList<IPNetwork> AllowedNetworks() =>
        (MetricsNetworks.Count == 0 ? ["127.0.0.0/8", "::1/128"] : MetricsNetworks).Select(n => IPNetwork.Parse(n.Trim())).ToList();
}
