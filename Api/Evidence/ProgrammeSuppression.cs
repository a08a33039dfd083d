using Pgo.Shared.Contracts;

namespace Pgo.Api.Evidence;

/// <summary>
/// The suppression rule of the programme view (issue 21, docs/adr/0012-programme-aggregates.md), a pure function:
/// <list type="number">
/// <item>a row resting on fewer than <see cref="MinimumFamilies"/> families shows neither its families nor its value
///   ("&lt; 10 gezinnen");</item>
/// <item>a total is shown only when it rests on at least that many families and no row of its table is suppressed (else
///   total minus the visible rows would give a suppressed row back, or the sum of several).</item>
/// </list>
/// </summary>
public static class ProgrammeSuppression
{
    /// <summary>No cell rests on fewer families than this (issue 21).</summary>
    public const int MinimumFamilies = 10;

    /// <summary>One cell before suppression: the families it rests on (distinct) and the value it shows.</summary>
    public sealed record Cell(string Code, string Label, int Families, decimal Value);

    public static ProgrammeRow Row(Cell cell) => cell.Families < MinimumFamilies
        ? new ProgrammeRow(cell.Code, cell.Label, null, null, Suppressed: true)
        : new ProgrammeRow(cell.Code, cell.Label, cell.Families, cell.Value, Suppressed: false);

    /// <summary>The table's rows, suppressed by rule 1, and its total (when <paramref name="total"/> is given) by rule 2.</summary>
    public static (IReadOnlyList<ProgrammeRow> Rows, ProgrammeRow? Total) Table(IEnumerable<Cell> cells, Cell? total)
    {
        var rows = cells.Select(Row).ToList();
        if (total is null) return (rows, null);
        var shown = Row(total);
        if (rows.Any(r => r.Suppressed)) shown = new ProgrammeRow(total.Code, total.Label, null, null, Suppressed: true);
        return (rows, shown);
    }
}
