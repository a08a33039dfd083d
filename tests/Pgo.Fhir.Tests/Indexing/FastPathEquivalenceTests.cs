using Hl7.Fhir.Model;
using Pgo.Fhir.Search;
using Pgo.Fhir.Search.Indexing;

namespace Pgo.Fhir.Tests.Indexing;

public class FastPathEquivalenceTests
{
    [Fact]
    public void Fast_paths_index_every_R4_example_exactly_as_the_FHIRPath_engine_does()
    {
        var folder = ExamplesPackage.Folder();
        var fast = new SearchIndexer(SearchParameterRegistry.Default.For, null, useFastPaths: true);
        var engine = new SearchIndexer(SearchParameterRegistry.Default.For, null, useFastPaths: false);

        var compared = 0;
        var differences = new List<string>();
        foreach (var resource in ExamplesIndexingTests.LoadExamples(folder).Resources)
        {
            var a = Rows(fast.Extract(resource));
            var b = Rows(engine.Extract(resource));
            compared++;
            foreach (var row in a.Except(b)) differences.Add($"{resource.TypeName}/{resource.Id} only fast: {row}");
            foreach (var row in b.Except(a)) differences.Add($"{resource.TypeName}/{resource.Id} only FHIRPath: {row}");
        }

        compared.ShouldBeGreaterThan(5000);
        differences.Take(30).ShouldBeEmpty();
        fast.ProblemCount.ShouldBe(engine.ProblemCount);
    }

    [Fact]
    public void Nearly_every_R4_search_expression_runs_on_a_fast_path()
    {
        var indexer = new SearchIndexer();
        var engineBranches = new List<string>();
        var total = 0;
        foreach (var type in SearchParameterRegistry.Default.ResourceTypes)
            foreach (var (param, branches) in indexer.Describe(type))
            {
                total += branches.Length;
                engineBranches.AddRange(branches.Where(b => b == "fhirpath").Select(_ => $"{type}.{param}"));
            }

        total.ShouldBeGreaterThan(2000);
        // Patient.deceased ("exists() and != false") and InsurancePlan.name ("name | alias", no type root) need the engine.
        engineBranches.Distinct().Order().ShouldBe(["InsurancePlan.name", "Patient.deceased"]);
    }

    internal static HashSet<string> Rows(ResourceIndex index)
    {
        var rows = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in index.Strings) rows.Add(r.ToString());
        foreach (var r in index.Tokens) rows.Add(r.ToString());
        foreach (var r in index.References) rows.Add(r.ToString());
        foreach (var r in index.Dates) rows.Add(r.ToString());
        foreach (var r in index.Numbers) rows.Add(r.ToString());
        foreach (var r in index.Quantities) rows.Add(r.ToString());
        foreach (var r in index.Uris) rows.Add(r.ToString());
        foreach (var p in index.PatientCompartment) rows.Add("compartment " + p);
        return rows;
    }
}
