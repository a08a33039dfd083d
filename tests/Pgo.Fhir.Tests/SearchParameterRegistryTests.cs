using Pgo.Fhir.Search;
using Shouldly;
using Hl7.Fhir.Model;

namespace Pgo.Fhir.Tests;

public class SearchParameterRegistryTests
{
    [Fact]
    public void Every_resource_type_has_the_common_parameters()
    {
        var registry = SearchParameterRegistry.Default;
        registry.Find("Goal", "_id")!.Type.ShouldBe(SearchParamType.Token);
        registry.Find("Goal", "_lastUpdated")!.Type.ShouldBe(SearchParamType.Date);
    }

    [Fact]
    public void Patient_name_comes_from_the_sdk_definitions()
    {
        var name = SearchParameterRegistry.Default.Find("Patient", "name")!;
        name.Type.ShouldBe(SearchParamType.String);
        name.Expression.ShouldBe("Patient.name");
        SearchParameterRegistry.Default.Find("Observation", "subject")!.Targets.ShouldContain("Patient");
    }
}
