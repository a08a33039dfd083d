using Pgo.Shared.Contracts;

namespace Pgo.Portal.Api;

/// <summary>
/// The programme view of pseudonymised aggregates (issue 21, <c>GET /api/programme/aggregates?from=&amp;to=</c>): counts over
/// the families with research consent, suppressed below 10 families. The Api decides (roles coordinator, funder, researcher);
/// the CSV is streamed by the Portal's <c>/programma/csv</c> (<c>Files/ProgrammeFiles.cs</c>) so the token stays on the server.
/// </summary>
public sealed class ProgrammeClient(PgoApi api)
{
    public Task<ProgrammeAggregates> AggregatesAsync(string? from, string? to, CancellationToken cancel = default) =>
        api.GetJsonAsync<ProgrammeAggregates>("api/programme/aggregates" + Query(from, to), cancel);

    /// <summary>"?from=..&amp;to=.." for the dates given (yyyy-MM-dd), escaped; empty when none.</summary>
    public static string Query(string? from, string? to)
    {
        var parts = new[] { ("from", from), ("to", to) }.Where(p => !string.IsNullOrWhiteSpace(p.Item2))
            .Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!)}").ToList();
        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }
}
