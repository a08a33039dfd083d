using Pgo.Fhir.Search;
using Hl7.Fhir.Model;
using Pgo.Fhir.Search.Indexing;
using static Pgo.Fhir.Tests.Indexing.IndexTestKit;

namespace Pgo.Fhir.Tests.Indexing;

public class StringIndexingTests
{
    [Fact]
    public void Patient_name_indexes_family_each_given_prefix_suffix_and_text_as_separate_rows()
    {
        var patient = new Patient
        {
            Id = "p1",
            Name = [new HumanName { Family = "Jansen", Given = ["Pieter", "Jan"], Prefix = ["Dr."], Suffix = ["Jr."], Text = "Dr. Pieter Jan Jansen Jr." }],
        };

        var rows = Index(patient).Strings("name").ToList();

        rows.Select(r => r.Exact).ShouldBe(["Jansen", "Pieter", "Jan", "Dr.", "Jr.", "Dr. Pieter Jan Jansen Jr."], ignoreOrder: true);
        rows.Single(r => r.Exact == "Jansen").Normalized.ShouldBe("jansen");
        Index(patient).Strings("family").Select(r => r.Exact).ShouldBe(["Jansen"]);
        Index(patient).Strings("given").Select(r => r.Exact).ShouldBe(["Pieter", "Jan"]);
    }

    [Fact]
    public void Diacritics_are_removed_and_case_folded_in_the_normalized_value_but_kept_in_the_exact_value()
    {
        var patient = new Patient { Name = [new HumanName { Family = "Çelik-Özdemir", Given = ["Zoë", "ANDRÉ"] }] };

        var rows = Index(patient).Strings("name").ToDictionary(r => r.Exact, r => r.Normalized);

        rows["Çelik-Özdemir"].ShouldBe("celik-ozdemir");
        rows["Zoë"].ShouldBe("zoe");
        rows["ANDRÉ"].ShouldBe("andre");
    }

    [Fact]
    public void Address_indexes_every_line_city_district_state_postal_code_country_and_text()
    {
        var patient = new Patient
        {
            Address =
            [
                new Address
                {
                    Line = ["Keizersgracht 1", "3e verdieping"], City = "Amsterdam", District = "Centrum", State = "NH",
                    PostalCode = "1015 AA", Country = "NL", Text = "Keizersgracht 1, Amsterdam",
                },
            ],
        };

        var index = Index(patient);

        index.Strings("address").Select(r => r.Exact).ShouldBe(
            ["Keizersgracht 1", "3e verdieping", "Amsterdam", "Centrum", "NH", "1015 AA", "NL", "Keizersgracht 1, Amsterdam"], ignoreOrder: true);
        index.Strings("address-city").Single().Normalized.ShouldBe("amsterdam");
        index.Strings("address-postalcode").Single().Exact.ShouldBe("1015 AA");
    }

    [Fact]
    public void Very_long_strings_are_cut_to_the_index_length()
    {
        var text = new string('a', 2000);
        var org = new Organization { Name = text };

        var row = Index(org).Strings("name").Single();

        row.Exact.Length.ShouldBe(TextNormalizer.MaxLength);
        row.Normalized.Length.ShouldBe(TextNormalizer.MaxLength);
    }

    [Fact]
    public void Observation_value_string_also_takes_the_text_of_a_codeable_concept_value()
    {
        var withText = new Observation { Value = new CodeableConcept { Text = "Positief" } };
        var withString = new Observation { Value = new FhirString("Negatief") };

        Index(withText).Strings("value-string").Single().Normalized.ShouldBe("positief");
        Index(withString).Strings("value-string").Single().Exact.ShouldBe("Negatief");
    }
}
