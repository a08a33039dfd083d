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

    [Fact]
    public void Patient_example_yields_its_name_identifier_birthdate_and_compartment_rows()
    {
        var patient = ExamplesPackage.Read(ExamplesPackage.Folder(), "Patient-example.json");

        var index = new SearchIndexer().Extract(patient);

        index.Strings.Where(r => r.Param == "family").Select(r => r.Normalized).ShouldBe(["chalmers", "windsor"], ignoreOrder: true);
        index.Strings.Where(r => r.Param == "given").Select(r => r.Exact).ShouldBe(["Peter", "James", "Jim", "Peter", "James"], ignoreOrder: true);
        index.Tokens.Where(r => r.Param == "identifier").ShouldBe([new TokenIndex("identifier", "urn:oid:1.2.36.146.595.217.0.1", "12345", null)]);
        index.Dates.Where(r => r.Param == "birthdate").ShouldBe([new DateIndex("birthdate", IndexTestKit.Ms("1974-12-25T00:00:00Z"), IndexTestKit.Ms("1974-12-25T23:59:59.999Z"))]);
        index.Tokens.Where(r => r.Param == "gender").Single().Code.ShouldBe("male");
        index.Tokens.Where(r => r.Param == "phone").Select(r => r.Code).ShouldBe(["(03) 5555 6473", "(03) 3410 5613", "(03) 5555 8834"], ignoreOrder: true);
        index.Strings.Where(r => r.Param == "address-city").Single().Normalized.ShouldBe("pleasantville");
        index.References.Where(r => r.Param == "organization").ShouldBe([new ReferenceIndex("organization", "Organization", "1", null)]);
        index.PatientCompartment.ShouldBe(["example"]);
    }

    [Fact]
    public void Observation_example_yields_its_codes_weight_date_and_patient()
    {
        var observation = ExamplesPackage.Read(ExamplesPackage.Folder(), "Observation-example.json");

        var index = new SearchIndexer().Extract(observation);

        index.Tokens.Where(r => r.Param == "code").Select(r => $"{r.System}|{r.Code}").ShouldBe(
            ["http://loinc.org|29463-7", "http://loinc.org|3141-9", "http://snomed.info/sct|27113001", "http://acme.org/devices/clinical-codes|body-weight"], ignoreOrder: true);
        index.Quantities.Where(r => r.Param == "value-quantity").ShouldBe([new QuantityIndex("value-quantity", "http://unitsofmeasure.org", "[lb_av]", "lbs", 185m, 184.5m, 185.5m)]);
        index.Dates.Where(r => r.Param == "date").Single().Start.ShouldBe(IndexTestKit.Ms("2016-03-28T00:00:00Z"));
        index.References.Where(r => r.Param == "patient").ShouldBe([new ReferenceIndex("patient", "Patient", "example", null)]);
        index.PatientCompartment.ShouldBe(["example"]);
    }
}
