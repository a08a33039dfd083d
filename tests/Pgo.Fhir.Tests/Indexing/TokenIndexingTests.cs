using Hl7.Fhir.Model;
using Pgo.Fhir.Search.Indexing;
using static Pgo.Fhir.Tests.Indexing.IndexTestKit;

namespace Pgo.Fhir.Tests.Indexing;

public class TokenIndexingTests
{
    [Fact]
    public void CodeableConcept_codings_become_system_and_code_rows_with_the_normalized_display_as_text()
    {
        var obs = new Observation
        {
            Code = new CodeableConcept
            {
                Coding =
                [
                    new Coding("http://loinc.org", "29463-7", "Body Weight"),
                    new Coding { Code = "gewicht" },
                ],
                Text = "Body weight",
            },
        };

        var rows = Index(obs).Tokens("code").ToList();

        rows.ShouldContain(new TokenIndex("code", "http://loinc.org", "29463-7", "body weight"));
        rows.ShouldContain(new TokenIndex("code", "", "gewicht", null));
        rows.Count.ShouldBe(2); // the concept's text equals the first display: no extra row
    }

    [Fact]
    public void CodeableConcept_text_that_no_display_carries_gets_a_text_only_row()
    {
        var condition = new Condition
        {
            Code = new CodeableConcept { Coding = [new Coding("http://snomed.info/sct", "38341003")], Text = "Hoge bloeddruk" },
        };

        var rows = Index(condition).Tokens("code").ToList();

        rows.ShouldBe([new TokenIndex("code", "http://snomed.info/sct", "38341003", null), new TokenIndex("code", "", "", "hoge bloeddruk")], ignoreOrder: true);
    }

    [Fact]
    public void Identifier_indexes_system_and_value_with_the_type_text()
    {
        var patient = new Patient
        {
            Identifier = [new Identifier("http://fhir.nl/fhir/NamingSystem/bsn", "999911120") { Type = new CodeableConcept { Text = "BSN" } }],
        };

        Index(patient).Tokens("identifier").ShouldBe([new TokenIndex("identifier", "http://fhir.nl/fhir/NamingSystem/bsn", "999911120", "bsn")]);
    }

    [Fact]
    public void Identifier_without_a_system_indexes_an_empty_system()
    {
        var patient = new Patient { Identifier = [new Identifier { Value = "12345" }] };

        Index(patient).Tokens("identifier").Single().ShouldBe(new TokenIndex("identifier", "", "12345", null));
    }

    [Fact]
    public void Code_primitives_index_their_literal_without_a_system()
    {
        var patient = new Patient { Gender = AdministrativeGender.Female };
        var obs = new Observation { Status = ObservationStatus.Final };

        Index(patient).Tokens("gender").Single().ShouldBe(new TokenIndex("gender", "", "female", null));
        Index(obs).Tokens("status").Single().ShouldBe(new TokenIndex("status", "", "final", null));
    }

    [Fact]
    public void Boolean_values_index_as_true_or_false()
    {
        Index(new Patient { Active = true }).Tokens("active").Single().Code.ShouldBe("true");
        Index(new Patient { Active = false }).Tokens("active").Single().Code.ShouldBe("false");
        Index(new Patient()).Tokens("active").ShouldBeEmpty();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Patient_deceased_is_false_unless_a_deceased_value_says_otherwise(bool fast)
    {
        var indexer = Mode(fast);

        indexer.Extract(new Patient()).Tokens("deceased").Single().Code.ShouldBe("false");
        indexer.Extract(new Patient { Deceased = new FhirBoolean(true) }).Tokens("deceased").Single().Code.ShouldBe("true");
        indexer.Extract(new Patient { Deceased = new FhirDateTime("2020-01-01") }).Tokens("deceased").Single().Code.ShouldBe("true");
    }

    [Fact]
    public void ContactPoint_token_indexes_the_value_without_a_system()
    {
        var patient = new Patient
        {
            Telecom =
            [
                new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Mobile, "+31612345678"),
                new ContactPoint(ContactPoint.ContactPointSystem.Email, null, "jan@example.nl"),
            ],
        };

        var index = Index(patient);

        index.Tokens("telecom").ShouldBe([new TokenIndex("telecom", "", "+31612345678", null), new TokenIndex("telecom", "", "jan@example.nl", null)], ignoreOrder: true);
        index.Tokens("phone").Select(r => r.Code).ShouldBe(["+31612345678"]);
        index.Tokens("email").Select(r => r.Code).ShouldBe(["jan@example.nl"]);
    }

    [Fact]
    public void Resource_tag_and_security_are_tokens_of_every_type_and_id_is_not_indexed()
    {
        var goal = new Goal
        {
            Id = "g1",
            Meta = new Meta { Tag = [new Coding("http://example.org/tags", "pgo")], Security = [new Coding("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "R")] },
        };

        var index = Index(goal);

        index.Tokens("_id").ShouldBeEmpty(); // search reads res_id from the resource row
        index.Tokens("_tag").Single().ShouldBe(new TokenIndex("_tag", "http://example.org/tags", "pgo", null));
        index.Tokens("_security").Single().Code.ShouldBe("R");
    }

    [Fact]
    public void Coding_display_is_normalized_for_the_text_modifier()
    {
        var obs = new Observation
        {
            Category = [new CodeableConcept { Coding = [new Coding("http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", "Vitale Functies")] }],
        };

        Index(obs).Tokens("category").Single().Text.ShouldBe("vitale functies");
    }
}
