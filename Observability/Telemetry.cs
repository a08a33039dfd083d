using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Pgo.Observability;

/// <summary>
/// OpenTelemetry for Api, Identity and Portal, registered the same way in each (README "Observability",
/// docs/settings.md <c>Pgo:Telemetry</c>):
/// <list type="bullet">
/// <item>metrics: ASP.NET Core and Kestrel (requests by route template), HttpClient, the .NET runtime, and the
/// project's meters <c>Pgo.*</c> (FHIR interactions, consent compile time, audit queue, outbox lag, hub connections,
/// mail); read as Prometheus text at <c>/metrics</c> by the allowed networks only, and exported over OTLP when configured;</item>
/// <item>traces: ASP.NET Core, HttpClient, Npgsql; exported over OTLP only when configured. Paths are cut to the
/// route template and outgoing URLs to their host, so no id or name leaves in a span;</item>
/// <item>logs: the request's scope (RequestId = HttpContext.TraceIdentifier, the request id the audit log records,
/// plus TraceId/SpanId) on every line: JSON on the console outside Development, and over OTLP when configured.</item>
/// </list>
/// </summary>
public static class Telemetry
{
    /// <summary>The tag of the health checks that <c>/health/ready</c> runs (database, blob storage).</summary>
    public const string Ready = "ready";

    public static WebApplicationBuilder AddPgoTelemetry(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetrySettings>();
        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlp = options.OtlpEndpoint is { Length: > 0 } || builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 };

        // Structured logs: the hosting scope carries RequestId (the audit's request id) and the trace ids.
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        if (!builder.Environment.IsDevelopment() && builder.Configuration["Logging:Console:FormatterName"] is null)
            builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Environment.ApplicationName))
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation().AddMeter("Pgo.*");
                if (options.Metrics) metrics.AddPrometheusExporter();
            });
        if (!otlp) return builder;

        telemetry.WithTracing(tracing => tracing
            .AddAspNetCoreInstrumentation(o =>
            {
                o.Filter = http => !IsOperatorPath(http.Request.Path);
                o.EnrichWithHttpResponse = (activity, response) => activity.SetTag("url.path", RouteOf(response.HttpContext));
            })
            .AddHttpClientInstrumentation(o => o.EnrichWithHttpRequestMessage = (activity, request) =>
                activity.SetTag("url.full", request.RequestUri is { } uri ? uri.GetLeftPart(UriPartial.Authority) : null))
            .AddNpgsql());
        telemetry.WithLogging(logging => { }, o =>
        {
            o.IncludeScopes = true;
            o.IncludeFormattedMessage = true;
        });
        if (options.OtlpEndpoint is { Length: > 0 } endpoint)
            telemetry.UseOtlpExporter(options.OtlpProtocol == "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc, new Uri(endpoint));
        else
            telemetry.UseOtlpExporter(); // the standard OTEL_EXPORTER_OTLP_* variables
        return builder;
    }

    /// <summary>
    /// <c>/metrics</c> (Prometheus text, to the allowed networks only; anyone else gets 404) and <c>/health/ready</c>
    /// (every health check tagged <see cref="Ready"/>: 200 when all answer, else 503). Call early in the pipeline.
    /// </summary>
    public static WebApplication UsePgoTelemetry(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        if (options.Metrics)
        {
            var allowed = options.AllowedNetworks();
            app.UseOpenTelemetryPrometheusScrapingEndpoint(meterProvider: null, predicate: null, path: "/metrics",
                configureBranchedPipeline: branch => branch.Use(async (http, next) =>
                {
                    if (MayReadMetrics(http, allowed, options.MetricsPort)) await next(http);
                    else http.Response.StatusCode = StatusCodes.Status404NotFound;
                }), optionsName: null);
        }
        // Liveness: the process answers. No dependency checks, so that a database outage makes replicas unready
        // (no traffic) instead of having the orchestrator restart every one of them.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(Ready),
            ResponseWriter = (http, report) =>
            {
                http.Response.ContentType = "application/json";
                // Names and statuses only: no exception texts, no connection strings.
                return http.Response.WriteAsJsonAsync(new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()),
                });
            },
        }).AllowAnonymous(); // the Portal requires a signed-in user everywhere else
        return app;
    }

    /// <summary>Whether this request may read /metrics: a direct caller (no proxy header) from an allowed network, on
    /// the management port when one is set.</summary>
    public static bool MayReadMetrics(HttpContext http, IReadOnlyList<IPNetwork> allowed, int? port)
    {
        if (port is { } p && http.Connection.LocalPort != p) return false;
        // Came through a proxy (also when UseForwardedHeaders already consumed the header: it leaves X-Original-For).
        if (http.Request.Headers.ContainsKey("X-Forwarded-For") || http.Request.Headers.ContainsKey("Forwarded")
            || http.Request.Headers.ContainsKey("X-Original-For")) return false;
        if (http.Connection.RemoteIpAddress is not { } address) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return allowed.Any(n => n.Contains(address));
    }

    private static bool IsOperatorPath(PathString path) => path.StartsWithSegments("/metrics") || path.StartsWithSegments("/health");

    /// <summary>The route template of the request (<c>/fhir/{type}/{id}</c>), never its path with ids.</summary>
    private static string RouteOf(HttpContext http) =>
        http.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } template } ? template : "(unrouted)";
}

/// <summary>Refuses settings that would open /metrics to everyone outside Development, and malformed networks anywhere.</summary>
internal sealed class TelemetrySettings(IHostEnvironment environment) : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        var failures = new List<string>();
        foreach (var network in options.MetricsNetworks)
        {
            if (!IPNetwork.TryParse(network.Trim(), out var parsed))
                failures.Add($"Pgo:Telemetry:MetricsNetworks '{network}' is geen netwerk; schrijf het als CIDR, bijvoorbeeld 10.0.0.0/8.");
            else if (parsed.PrefixLength == 0 && !environment.IsDevelopment())
                failures.Add($"Pgo:Telemetry:MetricsNetworks '{network}' opent /metrics voor iedereen; noem alleen het netwerk van de monitoring.");
        }
        if (options.OtlpProtocol is not ("grpc" or "http/protobuf"))
            failures.Add($"Pgo:Telemetry:OtlpProtocol '{options.OtlpProtocol}' is onbekend; kies 'grpc' of 'http/protobuf'.");
        if (options.OtlpEndpoint is { Length: > 0 } endpoint && !Uri.TryCreate(endpoint, UriKind.Absolute, out _))
            failures.Add($"Pgo:Telemetry:OtlpEndpoint '{endpoint}' is geen adres.");
        return failures.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(failures.Select(f => $"{environment.ApplicationName} weigert te starten: {f}"));
    }
}
