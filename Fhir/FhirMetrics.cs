using System.Diagnostics.Metrics;

namespace Pgo.Fhir;

/// <summary>
/// The FHIR engine's instruments (meter <c>Pgo.Fhir</c>, exported by Observability/Telemetry.cs): how long compiling a
/// caller's consents takes, and how many audit entries wait to be written. Tags never carry ids, names or personal data.
/// One meter per process: several hosts in one process (the tests) add to the same instruments.
/// </summary>
public static class FhirMetrics
{
    public const string MeterName = "Pgo.Fhir";
    private static readonly Meter Meter = new(MeterName);

    /// <summary><c>pgo.consent.compile.duration</c>: seconds per <c>ConsentAccessPolicy.CompileAsync</c>, tag
    /// <c>pgo.lookup</c> (true: a person's grants were read from the database; false: decided without facts).</summary>
    public static readonly Histogram<double> ConsentCompileDuration = Meter.CreateHistogram<double>(
        "pgo.consent.compile.duration", "s", "Time to compile a caller's consents into an access scope",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] });

    /// <summary><c>pgo.audit.queue.depth</c>: audit entries of reads and refusals queued and not yet written.</summary>
    public static readonly UpDownCounter<long> AuditQueueDepth = Meter.CreateUpDownCounter<long>(
        "pgo.audit.queue.depth", "{entry}", "Audit entries queued and not yet written");
}
