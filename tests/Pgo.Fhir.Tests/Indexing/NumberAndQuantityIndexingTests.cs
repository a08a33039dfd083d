using Hl7.Fhir.Model;
using Pgo.Fhir.Search.Indexing;
using static Pgo.Fhir.Tests.Indexing.IndexTestKit;

namespace Pgo.Fhir.Tests.Indexing;

public class NumberAndQuantityIndexingTests
{
    [Theory]
    [InlineData("1.5", "1.45", "1.55")]
    [InlineData("1.50", "1.495", "1.505")]
    [InlineData("0.02", "0.015", "0.025")]
    [InlineData("100", "99.5", "100.5")]
    [InlineData("-2.0", "-2.05", "-1.95")]
    public void Decimal_numbers_carry_the_range_of_their_precision(string value, string low, string high)
    {
        var v = decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        var assessment = new RiskAssessment { Prediction = [new RiskAssessment.PredictionComponent { Probability = new FhirDecimal(v) }] };

        var row = Index(assessment).Numbers("probability").Single();

        row.Value.ShouldBe(v);
        row.Low.ShouldBe(decimal.Parse(low, System.Globalization.CultureInfo.InvariantCulture));
        row.High.ShouldBe(decimal.Parse(high, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Integers_span_half_a_unit_either_side()
    {
        var sequence = new MolecularSequence { Variant = [new MolecularSequence.VariantComponent { Start = 41 }] };

        Index(sequence).Numbers("variant-start").Single().ShouldBe(new NumberIndex("variant-start", 41m, 40.5m, 41.5m));
    }

    [Fact]
    public void A_range_as_number_spans_its_low_and_high()
    {
        var assessment = new RiskAssessment
        {
            Prediction = [new RiskAssessment.PredictionComponent { Probability = new Hl7.Fhir.Model.Range { Low = new Quantity { Value = 0.2m }, High = new Quantity { Value = 0.4m } } }],
        };

        Index(assessment).Numbers("probability").Single().ShouldBe(new NumberIndex("probability", 0.2m, 0.15m, 0.45m));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Observation_value_quantity_is_indexed_despite_the_trailing_as_in_its_union(bool fast)
    {
        // "(Observation.value as Quantity) | Observation.value as SampledData": the SDK's parser would apply
        // the last 'as' to the whole union and select nothing; the indexer splits the union first.
        var obs = new Observation { Value = new Quantity { Value = 72.5m, Unit = "kg", System = "http://unitsofmeasure.org", Code = "kg" } };

        var index = Mode(fast).Extract(obs);

        var expected = new QuantityIndex("value-quantity", "http://unitsofmeasure.org", "kg", "kg", 72.5m, 72.45m, 72.55m);
        index.Quantities("value-quantity").ShouldBe([expected]);
        index.Quantities("combo-value-quantity").ShouldBe([expected with { Param = "combo-value-quantity" }]);
    }

    [Fact]
    public void Component_quantities_go_to_the_component_parameters_only()
    {
        var bp = new Observation
        {
            Component =
            [
                new Observation.ComponentComponent { Code = new CodeableConcept("http://loinc.org", "8480-6"), Value = new Quantity(120, "mm[Hg]") },
                new Observation.ComponentComponent { Code = new CodeableConcept("http://loinc.org", "8462-4"), Value = new Quantity(80, "mm[Hg]") },
            ],
        };

        var index = Index(bp);

        index.Quantities("value-quantity").ShouldBeEmpty();
        index.Quantities("component-value-quantity").Select(q => q.Value).ShouldBe([120m, 80m], ignoreOrder: true);
        index.Quantities("combo-value-quantity").Count().ShouldBe(2);
        index.Tokens("component-code").Select(t => t.Code).ShouldBe(["8480-6", "8462-4"], ignoreOrder: true);
    }

    [Fact]
    public void Quantity_without_system_or_code_keeps_empty_strings()
    {
        var obs = new Observation { Value = new Quantity { Value = 3m } };

        Index(obs).Quantities("value-quantity").Single().ShouldBe(new QuantityIndex("value-quantity", "", "", "", 3m, 2.5m, 3.5m));
    }

    [Fact]
    public void Age_is_a_quantity()
    {
        var condition = new Condition { Onset = new Age { Value = 52, System = "http://unitsofmeasure.org", Code = "a", Unit = "jaar" } };

        Index(condition).Quantities("onset-age").Single().ShouldBe(new QuantityIndex("onset-age", "http://unitsofmeasure.org", "a", "jaar", 52m, 51.5m, 52.5m));
    }

    [Fact]
    public void Range_as_quantity_spans_low_to_high_and_leaves_an_open_end_open()
    {
        var closed = new Condition { Onset = new Hl7.Fhir.Model.Range { Low = new Quantity(40, "a"), High = new Quantity(50, "a") } };
        var open = new Condition { Onset = new Hl7.Fhir.Model.Range { Low = new Quantity(40, "a") } };

        Index(closed).Quantities("onset-age").Single().ShouldBe(new QuantityIndex("onset-age", "http://unitsofmeasure.org", "a", "a", 40m, 39.5m, 50.5m));
        Index(open).Quantities("onset-age").Single().High.ShouldBe(decimal.MaxValue);
    }

    [Fact]
    public void Money_is_a_quantity_in_its_iso_4217_currency()
    {
        var invoice = new Invoice { TotalNet = new Money { Value = 125.50m, Currency = Money.Currencies.EUR } };

        Index(invoice).Quantities("totalnet").Single().ShouldBe(
            new QuantityIndex("totalnet", "urn:iso:std:iso:4217", "EUR", "EUR", 125.50m, 125.495m, 125.505m));
    }
}
