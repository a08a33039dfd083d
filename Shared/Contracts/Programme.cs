namespace Pgo.Shared.Contracts;

// The programme view of pseudonymised aggregates (issue 21; Api/Evidence/Programme*, docs/adr/0012-programme-aggregates.md)
// as the Portal reads it. Counts over the families with research consent in force; no identifier, no name, and no cell
// resting on fewer than MinimumFamilies families.

/// <summary>
/// One row of an aggregate table. <paramref name="Families"/>: how many families it rests on; <paramref name="Value"/>: what
/// it counts (families, hours, events, a mean change, euros a year). A suppressed row shows neither (both null): it rests on
/// fewer than the minimum, or (a total) it would let one subtract a suppressed row.
/// </summary>
public sealed record ProgrammeRow(string Code, string Label, int? Families, decimal? Value, bool Suppressed);

/// <summary>An aggregate table: its rows and, where a total means something, its total row (null otherwise).
/// <paramref name="Available"/> false: the aggregate cannot be computed yet (<paramref name="Note"/> says why).</summary>
public sealed record ProgrammeTable(string Key, string Title, string ValueLabel, bool Available, IReadOnlyList<ProgrammeRow> Rows, ProgrammeRow? Total,
    string? Note = null);

/// <summary>
/// The programme view for a period (<paramref name="From"/> to <paramref name="To"/>, yyyy-MM-dd): the families with research
/// consent (<paramref name="Families"/>, itself suppressed below the minimum), per intensity, hours per activity, events per
/// type, measurements' change per instrument and the business case per stakeholder and scenario. <paramref name="ModelVersion"/>:
/// the business-case model (e.g. seed-004-v1); <paramref name="GeneratedAt"/>: when it was computed.
/// </summary>
public sealed record ProgrammeAggregates(string From, string To, DateTimeOffset GeneratedAt, string ModelVersion, int MinimumFamilies,
    ProgrammeRow Families, IReadOnlyList<ProgrammeTable> Tables);

/// <summary>Research consent of one dossier ("Deelnemen aan onderzoek" in Toegang): whether it is given, since when, and
/// whether the caller may give or revoke it (regiehouders only).</summary>
public sealed record ResearchConsentView(bool Given, DateTimeOffset? Since, bool MayChange);
