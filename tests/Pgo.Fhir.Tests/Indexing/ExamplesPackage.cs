using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Pgo.Fhir.Tests.Indexing;

/// <summary>
/// The official R4 examples (npm hl7.fhir.r4.examples@4.0.1), fetched by infra/examples.sh into
/// .pgo/examples/package, or wherever PGO_FHIR_EXAMPLES points.
/// </summary>
internal static class ExamplesPackage
{
    public static string Folder()
    {
        var fromEnv = Environment.GetEnvironmentVariable("PGO_FHIR_EXAMPLES");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            Directory.Exists(fromEnv).ShouldBeTrue($"PGO_FHIR_EXAMPLES points at {fromEnv}, which does not exist. Run infra/examples.sh.");
            return fromEnv;
        }
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Pgo.sln"))) dir = dir.Parent;
        dir.ShouldNotBeNull("Cannot find the repository root (Pgo.sln) above the test binaries; set PGO_FHIR_EXAMPLES.");
        var folder = Path.Combine(dir.FullName, ".pgo", "examples", "package");
        Directory.Exists(folder).ShouldBeTrue(
            $"The FHIR R4 examples package is missing at {folder}. Run infra/examples.sh (or set PGO_FHIR_EXAMPLES to the extracted package folder).");
        return folder;
    }

    public static JsonSerializerOptions StrictOptions { get; } = new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector);

    /// <summary>The example resource files, without package metadata (package.json, .index.json).</summary>
    public static IEnumerable<string> ResourceFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*.json")
            .Where(f => !Path.GetFileName(f).StartsWith('.') && Path.GetFileName(f) != "package.json")
            .Order(StringComparer.Ordinal);

    public static Resource Read(string folder, string fileName) =>
        JsonSerializer.Deserialize<Resource>(File.ReadAllText(Path.Combine(folder, fileName)), StrictOptions)!;
}
