using Hl7.Fhir.Model;
using Pgo.Fhir.Search;
using Pgo.Fhir.Search.Indexing;

namespace Pgo.Fhir.Tests.Indexing;

public class IndexingResilienceTests
{
    [Fact]
    public void A_parameter_whose_expression_throws_is_skipped_and_reported_while_the_others_are_indexed()
    {
        var problems = new List<IndexingProblem>();
        SearchParam[] parameters =
        [
            new("Patient", "broken", SearchParamType.String, "Patient.name.single()", [], null),
            new("Patient", "family", SearchParamType.String, "Patient.name.family", [], null),
        ];
        var indexer = new SearchIndexer(_ => parameters, problems.Add, useFastPaths: true);
        var patient = new Patient { Id = "p1", Name = [new HumanName { Family = "Een" }, new HumanName { Family = "Twee" }] };

        var index = indexer.Extract(patient);

        index.Strings.Select(s => s.Exact).ShouldBe(["Een", "Twee"]);
        problems.ShouldHaveSingleItem().Param.ShouldBe("broken");
        problems[0].Error.ShouldNotBeNull();
        indexer.ProblemCount.ShouldBe(1);
    }

    [Fact]
    public void Indexing_is_safe_from_many_threads_at_once()
    {
        var indexer = new SearchIndexer();
        var resources = Enumerable.Range(0, 400).Select(i => (Resource)(i % 2 == 0
            ? new Observation { Id = $"o{i}", Subject = new ResourceReference($"Patient/p{i}"), Status = ObservationStatus.Final }
            : new Patient { Id = $"p{i}", Name = [new HumanName { Family = $"Naam{i}" }] })).ToArray();

        var results = new ResourceIndex[resources.Length];
        Parallel.For(0, resources.Length, i => results[i] = indexer.Extract(resources[i]));

        for (var i = 0; i < resources.Length; i++)
            results[i].PatientCompartment.ShouldBe([$"p{i}"]);
        indexer.ProblemCount.ShouldBe(0);
    }

    [Fact]
    public void Union_branches_rooted_at_other_types_are_pruned_before_compiling()
    {
        var branches = IndexExpression.BranchesFor(
            "AllergyIntolerance.patient | CarePlan.subject.where(resolve() is Patient) | Observation.subject.where(resolve() is Patient)", "Observation");

        branches.ShouldBe(["Observation.subject.where(resolve() is Patient)"]);
        IndexExpression.BranchesFor("(Observation.value as Quantity) | Observation.value as SampledData", "Observation")
            .ShouldBe(["(Observation.value as Quantity)", "Observation.value as SampledData"]);
        IndexExpression.BranchesFor("Patient.deceased.exists() and Patient.deceased != false", "Patient").Count.ShouldBe(1);
        IndexExpression.BranchesFor("Patient.name", "Observation").ShouldBeEmpty();
    }
}
