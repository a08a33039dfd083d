namespace Pgo.Api.Evidence;

/// <summary>One family's business case for the programme view: per stakeholder and per scenario the benefit in euros a year
/// (seed 004's computation on the family's own recorded hours and events). The family is named only inside the Api.</summary>
public sealed record FamilyBusinessCaseYear(string PatientId, string Stakeholder, string Scenario, decimal EurosPerYear);

/// <summary>
/// THE SEAM for the business-case aggregate (issue 21): the family business case (Api/Evidence/Family*, built in parallel)
/// answers, for the families with research consent, their yearly totals per stakeholder per scenario. The programme view
/// sums them and suppresses like every other table. Until the lead wires the family service in
/// (<c>services.AddSingleton&lt;IProgrammeBusinessCaseSource, ...&gt;()</c>), <see cref="NotWiredBusinessCaseSource"/> answers
/// null and the table shows "nog niet beschikbaar".
/// </summary>
public interface IProgrammeBusinessCaseSource
{
    /// <summary>The yearly totals per stakeholder per scenario of each of <paramref name="patientIds"/> for the period; null when
    /// the business case cannot be computed here (not wired).</summary>
    Task<IReadOnlyList<FamilyBusinessCaseYear>?> YearlyTotalsAsync(IReadOnlyCollection<string> patientIds, DateOnly from, DateOnly to, CancellationToken ct);
}

/// <summary>The placeholder until the family business case is wired in: no figures (the table says why).</summary>
public sealed class NotWiredBusinessCaseSource : IProgrammeBusinessCaseSource
{
    public Task<IReadOnlyList<FamilyBusinessCaseYear>?> YearlyTotalsAsync(IReadOnlyCollection<string> patientIds, DateOnly from, DateOnly to, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<FamilyBusinessCaseYear>?>(null);
}
