using System.Diagnostics;
using System.Text.Json;
using Hl7.Fhir.Model;
using Pgo.Fhir.Search.Indexing;

namespace Pgo.Fhir.Tests.Indexing;

public class ExamplesIndexingTests
{
    /// <summary>Files this big (only the 35 MB Bundle-resources) are left out to keep the suite quick.</summary>
    private const long LargeFileBytes = 30_000_000;

    internal sealed record Examples(List<Resource> Resources, List<string> Rejected, List<string> SkippedLarge);

    private static readonly Lazy<Examples> Cache = new(() => Load(ExamplesPackage.Folder()));

    internal static Examples LoadExamples(string folder) =>
        folder == ExamplesPackage.Folder() ? Cache.Value : Load(folder);

    private static Examples Load(string folder)
    {
        var result = new Examples([], [], []);
        foreach (var file in ExamplesPackage.ResourceFiles(folder))
        {
            if (new FileInfo(file).Length > LargeFileBytes) { result.SkippedLarge.Add(Path.GetFileName(file)); continue; }
            try
            {
                result.Resources.Add(JsonSerializer.Deserialize<Resource>(File.ReadAllText(file), ExamplesPackage.StrictOptions)!);
            }
            catch (Exception ex) when (ex is JsonException or Hl7.Fhir.Serialization.DeserializationFailedException)
            {
                result.Rejected.Add(Path.GetFileName(file));
            }
        }
        return result;
    }

    [Fact]
    public void Every_R4_example_indexes_without_a_throwing_expression()
    {
        var examples = LoadExamples(ExamplesPackage.Folder());
        var problems = new List<IndexingProblem>();
        var indexer = new SearchIndexer(onProblem: p => { lock (problems) problems.Add(p); });

        // First pass compiles every type's expressions; the second pass is the steady-state cost.
        foreach (var r in examples.Resources) indexer.Extract(r);
        var rows = 0L;
        var sw = Stopwatch.StartNew();
        foreach (var r in examples.Resources)
        {
            var index = indexer.Extract(r);
            rows += index.Strings.Count + index.Tokens.Count + index.References.Count + index.Dates.Count
                + index.Numbers.Count + index.Quantities.Count + index.Uris.Count;
        }
        sw.Stop();

        var output = TestContext.Current.TestOutputHelper!;
        output.WriteLine($"indexed {examples.Resources.Count} examples; {examples.Rejected.Count} rejected by the strict parser ({string.Join(", ", examples.Rejected)}); "
            + $"{examples.SkippedLarge.Count} skipped as larger than {LargeFileBytes / 1_000_000} MB ({string.Join(", ", examples.SkippedLarge)})");
        output.WriteLine($"{rows} index rows; second pass {sw.Elapsed.TotalMilliseconds:F0} ms, {sw.Elapsed.TotalMicroseconds / examples.Resources.Count:F1} µs per resource");
        foreach (var g in problems.GroupBy(p => $"{p.ResourceType}.{p.Param}: {p.Error?.Message ?? "no rule for " + p.ValueType}").OrderBy(g => g.Key))
            output.WriteLine($"problem x{g.Count()}: {g.Key}");

        examples.Resources.Count.ShouldBeGreaterThan(5000);
        problems.Where(p => p.Error is not null).Select(p => $"{p.ResourceType}.{p.Param}: {p.Error!.Message}").Distinct().ShouldBeEmpty();
        problems.Select(p => $"{p.ResourceType}.{p.Param}: {p.ValueType}").Distinct().ShouldBeEmpty();
    }
}
