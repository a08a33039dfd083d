using Hl7.Fhir.Model;
using Pgo.Fhir.Search.Indexing;
using static Pgo.Fhir.Tests.Indexing.IndexTestKit;

namespace Pgo.Fhir.Tests.Indexing;

public class UriIndexingTests
{
    [Fact]
    public void Canonical_url_of_a_definition_is_a_uri()
    {
        var valueSet = new ValueSet { Url = "http://example.org/fhir/ValueSet/doelen" };

        Index(valueSet).Uris("url").ShouldBe([new UriIndex("url", "http://example.org/fhir/ValueSet/doelen")]);
    }

    [Fact]
    public void Meta_profile_and_source_are_uris_of_every_type()
    {
        var goal = new Goal { Meta = new Meta { Profile = ["http://example.org/fhir/StructureDefinition/pgo-goal"], Source = "urn:uuid:5e2f0f4c-0000-4000-8000-000000000000" } };

        var index = Index(goal);

        index.Uris("_profile").Single().Uri.ShouldBe("http://example.org/fhir/StructureDefinition/pgo-goal");
        index.Uris("_source").Single().Uri.ShouldBe("urn:uuid:5e2f0f4c-0000-4000-8000-000000000000");
    }
}
