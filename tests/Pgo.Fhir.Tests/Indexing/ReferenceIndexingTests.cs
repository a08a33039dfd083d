using Hl7.Fhir.Model;
using Pgo.Fhir.Search.Indexing;
using static Pgo.Fhir.Tests.Indexing.IndexTestKit;

namespace Pgo.Fhir.Tests.Indexing;

public class ReferenceIndexingTests
{
    [Fact]
    public void Relative_reference_fills_target_type_and_id()
    {
        var obs = new Observation { Subject = new ResourceReference("Patient/123") };

        Index(obs).References("subject").Single().ShouldBe(new ReferenceIndex("subject", "Patient", "123", null));
    }

    [Fact]
    public void Versioned_reference_ignores_the_history_part()
    {
        var obs = new Observation { Subject = new ResourceReference("Patient/123/_history/4") };

        Index(obs).References("subject").Single().ShouldBe(new ReferenceIndex("subject", "Patient", "123", null));
    }

    [Fact]
    public void Absolute_reference_fills_the_url_and_the_target_it_ends_in()
    {
        var obs = new Observation { Subject = new ResourceReference("https://fhir.example.org/r4/Patient/abc/_history/2") };

        Index(obs).References("subject").Single().ShouldBe(
            new ReferenceIndex("subject", "Patient", "abc", "https://fhir.example.org/r4/Patient/abc/_history/2"));
    }

    [Fact]
    public void Urn_reference_fills_only_the_url()
    {
        var obs = new Observation { Subject = new ResourceReference("urn:uuid:6f1c2d3e-0000-4000-8000-000000000001") };

        Index(obs).References("subject").Single().ShouldBe(new ReferenceIndex("subject", null, null, "urn:uuid:6f1c2d3e-0000-4000-8000-000000000001"));
    }

    [Fact]
    public void Contained_and_identifier_only_references_are_not_indexed()
    {
        var obs = new Observation
        {
            Contained = [new Practitioner { Id = "pr1" }],
            Performer =
            [
                new ResourceReference("#pr1"),
                new ResourceReference { Identifier = new Identifier("http://fhir.nl/fhir/NamingSystem/uzi-nr-pers", "123456789"), Display = "Dr. Visser" },
            ],
        };

        Index(obs).References("performer").ShouldBeEmpty();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Union_with_resolve_is_Patient_takes_only_the_Patient_typed_reference(bool fast)
    {
        // Observation "patient": "... | Observation.subject.where(resolve() is Patient) | ..."
        var aboutPatient = new Observation { Subject = new ResourceReference("Patient/p1") };
        var aboutGroup = new Observation { Subject = new ResourceReference("Group/g1") };
        var aboutAbsolutePatient = new Observation { Subject = new ResourceReference("http://x.org/fhir/Patient/p2") };
        var indexer = Mode(fast);

        indexer.Extract(aboutPatient).References("patient").ShouldBe([new ReferenceIndex("patient", "Patient", "p1", null)]);
        indexer.Extract(aboutGroup).References("patient").ShouldBeEmpty();
        indexer.Extract(aboutGroup).References("subject").Single().TargetType.ShouldBe("Group");
        indexer.Extract(aboutAbsolutePatient).References("patient").Single().TargetId.ShouldBe("p2");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void CarePlan_patient_ignores_a_group_subject_but_the_subject_param_keeps_it(bool fast)
    {
        var plan = new CarePlan { Subject = new ResourceReference("Group/g1") };

        var index = Mode(fast).Extract(plan);

        index.References("patient").ShouldBeEmpty();
        index.References("subject").Single().ShouldBe(new ReferenceIndex("subject", "Group", "g1", null));
    }

    [Fact]
    public void Canonical_reference_indexes_the_url_and_the_target_it_ends_in()
    {
        var response = new QuestionnaireResponse { Questionnaire = "http://example.org/fhir/Questionnaire/intake|2.0" };

        Index(response).References("questionnaire").Single().ShouldBe(
            new ReferenceIndex("questionnaire", "Questionnaire", "intake", "http://example.org/fhir/Questionnaire/intake|2.0"));
    }

    [Fact]
    public void Bundle_composition_points_at_the_first_entry_resource()
    {
        var bundle = new Bundle
        {
            Type = Bundle.BundleType.Document,
            Entry = [new Bundle.EntryComponent { FullUrl = "urn:uuid:1", Resource = new Composition { Id = "c1" } }],
        };

        Index(bundle).References("composition").Single().ShouldBe(new ReferenceIndex("composition", "Composition", "c1", null));
    }

    [Theory]
    [InlineData("Patient/1", "Patient", "1")]
    [InlineData("Patient/1/_history/3", "Patient", "1")]
    [InlineData("http://a.org/fhir/Observation/o-1", "Observation", "o-1")]
    [InlineData("http://a.org/fhir/ValueSet/vs|1.0", "ValueSet", "vs")]
    [InlineData("Unknown/1", null, null)]
    [InlineData("#contained", null, null)]
    [InlineData("urn:uuid:0d0c0b0a-0000-4000-8000-000000000000", null, null)]
    [InlineData("Patient/", null, null)]
    public void Reference_parser_splits_type_and_id_without_io(string reference, string? type, string? id)
    {
        var parsed = ReferenceParser.TryParse(reference, out var t, out var i);

        parsed.ShouldBe(type is not null);
        t.ShouldBe(type);
        i.ShouldBe(id);
    }
}
