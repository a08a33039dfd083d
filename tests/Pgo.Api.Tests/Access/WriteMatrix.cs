using System.Text.RegularExpressions;
using Pgo.Api.Tests.Fhir;

namespace Pgo.Api.Tests.Access;

/// <summary>docs/authorization-matrix.md, write side: the per-section table (write-sections) and the table of
/// grants, identity, several dossiers and ids (write).</summary>
public static class WriteMatrix
{
    /// <summary>The kinds of write every (role, section) cell is tried with.</summary>
    public static readonly string[] SectionKinds =
        ["create", "conditional-create", "update", "conditional-update", "delete", "bundle", "label-create", "label-change", "import"];

    private static readonly string[] CreateKinds = ["create", "conditional-create", "label-create", "import"];

    private static readonly Lazy<string> Text = new(() => File.ReadAllText(Path.Combine(OfficialExamples.RepositoryRoot, "docs", "authorization-matrix.md")));
    private static readonly Lazy<(string[] Columns, Dictionary<string, Dictionary<string, string>> Cells)> SectionTable = new(() => Table("write-sections"));
    private static readonly Lazy<(string[] Columns, Dictionary<string, Dictionary<string, string>> Cells)> OtherTable = new(() => Table("write"));

    public static IReadOnlyList<string> Sections => SectionTable.Value.Columns;
    public static IEnumerable<string> Roles => SectionTable.Value.Cells.Keys;
    public static IReadOnlyList<string> OtherKinds => OtherTable.Value.Columns;

    public static IReadOnlyDictionary<string, Dictionary<string, string>> SectionCells => SectionTable.Value.Cells;

    public static (bool Read, bool Write) Cell(string role, string section) => SectionTable.Value.Cells[role][section] switch
    {
        "rw" => (true, true),
        "r" => (true, false),
        "-" => (false, false),
        var other => throw new InvalidOperationException($"Unknown cell '{other}' for {role} × {section}."),
    };

    public static bool AnyRead(string role) => Sections.Any(s => Cell(role, s).Read);

    /// <summary>ok, no, or a status code.</summary>
    public static string Expected(string role, string kind) => OtherTable.Value.Cells[role][kind];

    public static TheoryData<string, string, string> SectionCellsData()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var role in Roles)
            foreach (var section in Sections)
                foreach (var kind in SectionKinds)
                    if (!(section == "verborgen" && (CreateKinds.Contains(kind) || kind == "bundle"))) data.Add(role, section, kind);
        return data;
    }

    public static TheoryData<string, string> OtherCellsData()
    {
        var data = new TheoryData<string, string>();
        foreach (var role in OtherTable.Value.Cells.Keys)
            foreach (var kind in OtherKinds)
                data.Add(role, kind);
        return data;
    }

    private static (string[], Dictionary<string, Dictionary<string, string>>) Table(string marker)
    {
        var match = Regex.Match(Text.Value, $"<!-- {marker}:start -->(.*?)<!-- {marker}:end -->", RegexOptions.Singleline);
        if (!match.Success) throw new InvalidOperationException($"No {marker} table in docs/authorization-matrix.md");
        var lines = match.Groups[1].Value.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith('|') && !l.StartsWith("|---", StringComparison.Ordinal)).ToList();
        static string[] Split(string line) => line.Trim('|').Split('|', StringSplitOptions.TrimEntries);
        var columns = Split(lines[0])[1..];
        var cells = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
        {
            var parts = Split(line);
            cells[parts[0]] = columns.Select((c, i) => (c, parts[i + 1])).ToDictionary(x => x.c, x => x.Item2, StringComparer.Ordinal);
        }
        return (columns, cells);
    }
}
