using System.Text.Json;

namespace Pgo.Api.Tests.Fhir;

/// <summary>
/// The official FHIR R4 examples (npm hl7.fhir.r4.examples@4.0.1), fetched by infra/examples.sh.
/// PGO_FHIR_EXAMPLES points at the extracted package folder; the default is .pgo/examples/package.
/// </summary>
internal static class OfficialExamples
{
    public static string Folder
    {
        get
        {
            var dir = Environment.GetEnvironmentVariable("PGO_FHIR_EXAMPLES");
            if (string.IsNullOrEmpty(dir)) dir = Path.Combine(RepositoryRoot, ".pgo", "examples", "package");
            if (!Directory.Exists(dir))
                throw new InvalidOperationException($"FHIR R4 examples not found in {dir}: run infra/examples.sh (./pgo test does).");
            return dir;
        }
    }

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Pgo.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Pgo.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Every example resource file (not the package's own metadata), in a stable order.</summary>
    public static IEnumerable<(string File, string Json)> All()
    {
        foreach (var file in Directory.EnumerateFiles(Folder, "*.json").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            if (name is "package.json" || name.StartsWith('.')) continue;
            yield return (name, File.ReadAllText(file));
        }
    }

    public static (string? Type, string? Id) TypeAndId(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            return (root.TryGetProperty("resourceType", out var t) ? t.GetString() : null,
                    root.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
