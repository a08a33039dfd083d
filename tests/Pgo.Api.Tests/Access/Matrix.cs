using System.Text.RegularExpressions;
using Pgo.Api.Tests.Fhir;

namespace Pgo.Api.Tests.Access;

/// <summary>docs/authorization-matrix.md, read: role × section → r / rw / -.</summary>
public static partial class Matrix
{
    public static readonly string[] Interactions = ["read", "search", "include", "revinclude", "history", "everything", "create", "update", "delete"];

    private static readonly Lazy<(string[] Sections, Dictionary<string, Dictionary<string, string>> Cells)> Table = new(Load);

    public static IReadOnlyList<string> Sections => Table.Value.Sections;
    public static IEnumerable<string> Roles => Table.Value.Cells.Keys;

    public static (bool Read, bool Write) Cell(string role, string section) => Table.Value.Cells[role][section] switch
    {
        "rw" => (true, true),
        "r" => (true, false),
        "-" => (false, false),
        var other => throw new InvalidOperationException($"Unknown cell '{other}' for {role} × {section}."),
    };

    public static bool AnyRead(string role) => Sections.Any(s => Cell(role, s).Read);

    /// <summary>Every (role, section, interaction) cell, for a theory.</summary>
    public static TheoryData<string, string, string> Cells()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var role in Roles)
            foreach (var section in Sections)
                foreach (var interaction in Interactions)
                    if (!(section == "verborgen" && interaction == "create")) data.Add(role, section, interaction);
        return data;
    }

    private static (string[], Dictionary<string, Dictionary<string, string>>) Load()
    {
        var text = File.ReadAllText(Path.Combine(OfficialExamples.RepositoryRoot, "docs", "authorization-matrix.md"));
        var block = MatrixBlock().Match(text).Groups[1].Value;
        var lines = block.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith('|') && !l.StartsWith("|---", StringComparison.Ordinal)).ToList();
        static string[] Split(string line) => line.Trim('|').Split('|', StringSplitOptions.TrimEntries);
        var header = Split(lines[0]);
        var sections = header[1..];
        var cells = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
        {
            var parts = Split(line);
            cells[parts[0]] = sections.Select((s, i) => (s, parts[i + 1])).ToDictionary(x => x.s, x => x.Item2, StringComparer.Ordinal);
        }
        return (sections, cells);
    }

    [GeneratedRegex("<!-- matrix:start -->(.*?)<!-- matrix:end -->", RegexOptions.Singleline)]
    private static partial Regex MatrixBlock();
}
