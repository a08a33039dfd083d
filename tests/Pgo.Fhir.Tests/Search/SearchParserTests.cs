using System.Net;
using Hl7.Fhir.Model;
using Pgo.Fhir.Search;
using Pgo.Fhir.Search.Query;

namespace Pgo.Fhir.Tests.Search;

public class SearchParserTests
{
    private static readonly DateTimeOffset Now = new(2024, 3, 5, 12, 0, 0, TimeSpan.Zero);
    private static readonly SearchParser Parser = new(SearchParameterRegistry.Default, time: new FixedTime(Now));

    // The parser's texts are asserted in English here (FhirText.en.resx); the Dutch default is asserted by
    // Search_errors_and_warnings_are_Dutch_by_default and, over HTTP, by the Api's LanguageTests.
    private static SearchRequest Parse(string? type, string query, SearchHandling handling = SearchHandling.Lenient)
    {
        var before = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("en");
        try { return Parser.ParseQueryString(type, query, handling); }
        finally { System.Globalization.CultureInfo.CurrentUICulture = before; }
    }

    [Fact]
    public void Search_errors_and_warnings_are_Dutch_by_default()
    {
        Parser.ParseQueryString("Patient", "foo=1").Warnings.ShouldHaveSingleItem().ShouldBe("Onbekende zoekparameter 'foo' voor Patient; dit is genegeerd.");
        Should.Throw<FhirException>(() => Parser.ParseQueryString("Patient", "foo=1", SearchHandling.Strict)).Message.ShouldBe("Onbekende zoekparameter 'foo' voor Patient.");
        Should.Throw<FhirException>(() => Parser.ParseQueryString("Patient", "_count=veel")).Message.ShouldBe("Ongeldige _count 'veel': verwacht een geheel getal van 0 of meer.");
    }

    private static ParamCriterion Single(string? type, string query) =>
        Parse(type, query, SearchHandling.Strict).Criteria.ShouldHaveSingleItem().ShouldBeOfType<ParamCriterion>();

    private static FhirException BadRequest(string? type, string query, params string[] messageContains)
    {
        var ex = Should.Throw<FhirException>(() => Parse(type, query, SearchHandling.Lenient));
        ex.Status.ShouldBe(HttpStatusCode.BadRequest);
        foreach (var part in messageContains) ex.Message.ShouldContain(part);
        // malformed is malformed in both modes
        Should.Throw<FhirException>(() => Parse(type, query, SearchHandling.Strict)).Status.ShouldBe(HttpStatusCode.BadRequest);
        return ex;
    }

    private static long Ms(string iso) => Seeder.Ms(iso);

    // ---- string ------------------------------------------------------------------------------

    [Fact]
    public void String_values_are_normalized_with_the_shared_normalizer()
    {
        var c = Single("Patient", "name=Müller");
        c.Name.ShouldBe("name");
        c.Type.ShouldBe(SearchParamType.String);
        c.Modifier.ShouldBe(SearchModifier.None);
        c.Values.ShouldBe([new StringSearchValue("Müller", "muller")]);
        Single("Patient", "name:exact=Müller").Modifier.ShouldBe(SearchModifier.Exact);
        Single("Patient", "name:contains=ÇEL").Values.ShouldBe([new StringSearchValue("ÇEL", "cel")]);
    }

    [Theory]
    [InlineData("Müller", "muller")]
    [InlineData("Çelik", "celik")]
    [InlineData("Zoë", "zoe")]
    [InlineData("ĲSSEL", "ijssel")]
    [InlineData("Straße", "strasse")]
    [InlineData("Øresund", "oresund")]
    [InlineData("de Vries ", "de vries ")]
    [InlineData("", "")]
    public void TextNormalizer_lowercases_and_strips_diacritics(string input, string expected) =>
        TextNormalizer.Normalize(input).ShouldBe(expected);

    [Fact]
    public void Commas_are_OR_and_repeated_keys_are_AND()
    {
        var request = Parse("Patient", "name=peter,anna&name=x");
        request.Criteria.Count.ShouldBe(2);
        ((ParamCriterion)request.Criteria[0]).Values.Count.ShouldBe(2);
        ((ParamCriterion)request.Criteria[1]).Values.Count.ShouldBe(1);
    }

    [Fact]
    public void Escaped_separators_are_literal()
    {
        Single("Patient", @"name=a\,b").Values.ShouldBe([new StringSearchValue("a,b", "a,b")]);
        Single("Patient", @"identifier=http://x\|y|1").Values.ShouldBe([new TokenSearchValue("http://x|y", "1")]);
        Single("Patient", @"name=a\\b").Values.ShouldBe([new StringSearchValue(@"a\b", @"a\b")]);
    }

    // ---- token -------------------------------------------------------------------------------

    [Fact]
    public void Token_forms()
    {
        Single("Patient", "identifier=123").Values.ShouldBe([new TokenSearchValue(null, "123")]);
        Single("Patient", "identifier=http://bsn|123").Values.ShouldBe([new TokenSearchValue("http://bsn", "123")]);
        Single("Patient", "identifier=|123").Values.ShouldBe([new TokenSearchValue("", "123")]);
        Single("Patient", "identifier=http://bsn|").Values.ShouldBe([new TokenSearchValue("http://bsn", null)]);
        Single("Patient", "gender:not=male").Modifier.ShouldBe(SearchModifier.Not);
        var text = Single("Observation", "code:text=Glucosé");
        text.Modifier.ShouldBe(SearchModifier.Text);
        text.Values.ShouldBe([new StringSearchValue("Glucosé", "glucose")]);
        Single("Patient", "_id=a,b").Values.ShouldBe([new TokenSearchValue(null, "a"), new TokenSearchValue(null, "b")]);
    }

    [Theory]
    [InlineData("identifier=|")]
    [InlineData("identifier=a|b|c")]
    public void Malformed_tokens_are_rejected(string query) => BadRequest("Patient", query, "identifier");

    [Theory]
    [InlineData("Observation", "code:in=http://vs", "in")]
    [InlineData("Observation", "code:below=x", "below")]
    [InlineData("Patient", "identifier:of-type=a|b|c", "of-type")]
    [InlineData("Observation", "subject:identifier=a|b", "identifier")]
    public void Modifiers_of_the_spec_that_are_not_implemented_are_400_NotSupported(string type, string query, string modifier)
    {
        var ex = BadRequest(type, query, modifier);
        ex.Code.ShouldBe(OperationOutcome.IssueType.NotSupported);
    }

    [Theory]
    [InlineData("Patient", "name:foo=x", "foo")]
    [InlineData("Patient", "name:text=x", "text")]
    [InlineData("Patient", "gender:exact=male", "exact")]
    [InlineData("Patient", "birthdate:exact=2020", "exact")]
    [InlineData("Patient", "_id:text=x", "text")]
    [InlineData("ValueSet", "url:contains=x", "contains")]
    [InlineData("Patient", "name:Patient=x", "Patient")]
    public void Unknown_modifiers_are_400_in_both_modes(string type, string query, string modifier) =>
        BadRequest(type, query, modifier).Code.ShouldBe(OperationOutcome.IssueType.Invalid);

    [Theory]
    [InlineData("name:missing=maybe")]
    [InlineData("name:missing=")]
    public void Missing_takes_true_or_false(string query) => BadRequest("Patient", query, "true or false");

    [Fact]
    public void Missing_on_any_type()
    {
        foreach (var (type, param) in new[] { ("Patient", "name"), ("Patient", "gender"), ("Patient", "birthdate"), ("Observation", "subject"),
                     ("RiskAssessment", "probability"), ("Observation", "value-quantity"), ("ValueSet", "url") })
        {
            var c = Single(type, $"{param}:missing=true");
            c.Modifier.ShouldBe(SearchModifier.Missing);
            c.Values.ShouldBe([new MissingSearchValue(true)]);
            Single(type, $"{param}:missing=false").Values.ShouldBe([new MissingSearchValue(false)]);
        }
    }

    // ---- reference ---------------------------------------------------------------------------

    [Fact]
    public void Reference_forms()
    {
        Single("Observation", "subject=Patient/123").Values.ShouldBe([new ReferenceSearchValue("Patient", "123", null)]);
        Single("Observation", "subject=123").Values.ShouldBe([new ReferenceSearchValue(null, "123", null)]);
        Single("Observation", "subject=Patient/123/_history/2").Values.ShouldBe([new ReferenceSearchValue("Patient", "123", null)]);
        Single("Observation", "subject=http://x.org/fhir/Patient/123").Values
            .ShouldBe([new ReferenceSearchValue("Patient", "123", "http://x.org/fhir/Patient/123")]);
        Single("Observation", "subject=urn:uuid:0d2b").Values.ShouldBe([new ReferenceSearchValue(null, null, "urn:uuid:0d2b")]);
        var typed = Single("Observation", "subject:Patient=123");
        typed.Modifier.ShouldBe(SearchModifier.Type);
        typed.TypeModifier.ShouldBe("Patient");
        typed.Values.ShouldBe([new ReferenceSearchValue("Patient", "123", null)]);
    }

    [Theory]
    [InlineData("subject=Foo/1", "Foo/1")]
    [InlineData("subject=Patient/", "Patient/")]
    [InlineData("subject=a/b/c", "a/b/c")]
    [InlineData("subject:Patient=Group/1", "Group/1")]
    [InlineData("subject:Organization=1", "Organization")]
    public void Malformed_references_are_rejected(string query, string mention) => BadRequest("Observation", query, mention);

    [Fact]
    public void Chains_resolve_the_chained_parameter_on_the_target_types()
    {
        var chain = Parse("Observation", "subject.name=peter", SearchHandling.Strict).Criteria.ShouldHaveSingleItem().ShouldBeOfType<ChainCriterion>();
        chain.ReferenceParam.ShouldBe("subject");
        chain.TargetTypes.ShouldContain("Patient");
        chain.TargetTypes.ShouldNotContain("Device"); // Device has no 'name' parameter
        chain.Target.Name.ShouldBe("name");
        chain.Target.Type.ShouldBe(SearchParamType.String);

        var typed = (ChainCriterion)Parse("Observation", "subject:Patient.name:exact=Peter").Criteria[0];
        typed.TargetTypes.ShouldBe(["Patient"]);
        typed.Target.Modifier.ShouldBe(SearchModifier.Exact);

        var gp = (ChainCriterion)Parse("Patient", "general-practitioner.identifier=http://big|1").Criteria[0];
        gp.TargetTypes.ShouldBe(["Organization", "Practitioner", "PractitionerRole"], ignoreOrder: true);
        gp.Target.Values.ShouldBe([new TokenSearchValue("http://big", "1")]);
    }

    [Theory]
    [InlineData("Observation", "subject.foo=1", "foo")]
    [InlineData("Observation", "subject.name.family=1", "more than one level")]
    [InlineData("Observation", "code.name=1", "not a reference")]
    [InlineData("Observation", "subject:Organization.name=1", "Organization")]
    [InlineData("Observation", "subject:Foo.name=1", "Foo")]
    [InlineData("Observation", "subject.name:foo=1", "foo")]
    public void Bad_chains_are_rejected(string type, string query, string mention) => BadRequest(type, query, mention);

    [Fact]
    public void An_unknown_chained_reference_is_an_unknown_parameter()
    {
        Parse("Observation", "nope.name=1").Warnings.ShouldHaveSingleItem().ShouldContain("'nope'");
        Should.Throw<FhirException>(() => Parse("Observation", "nope.name=1", SearchHandling.Strict)).Message.ShouldContain("'nope'");
    }

    [Fact]
    public void Has_is_a_reverse_chain_of_one_level()
    {
        var has = Parse("Patient", "_has:Observation:patient:code=1234-5", SearchHandling.Strict).Criteria.ShouldHaveSingleItem().ShouldBeOfType<HasCriterion>();
        has.SourceType.ShouldBe("Observation");
        has.ReferenceParam.ShouldBe("patient");
        has.Source.Name.ShouldBe("code");
        has.Source.Values.ShouldBe([new TokenSearchValue(null, "1234-5")]);
        ((HasCriterion)Parse("Patient", "_has:Observation:patient:code:not=1").Criteria[0]).Source.Modifier.ShouldBe(SearchModifier.Not);
    }

    [Theory]
    [InlineData("_has:Observation:patient=1", "_has:Type")]
    [InlineData("_has:Foo:patient:code=1", "Foo")]
    [InlineData("_has:Observation:code:code=1", "not a reference")]
    [InlineData("_has:Observation:patient:foo=1", "foo")]
    [InlineData("_has:Observation:patient:_has:Encounter:subject:code=1", "Nested")]
    [InlineData("_has:Observation:device:code=1", "cannot refer to Patient")]
    public void Bad_has_is_rejected(string query, string mention) => BadRequest("Patient", query, mention);

    // ---- date --------------------------------------------------------------------------------

    [Theory]
    [InlineData("2024", "2024-01-01T00:00:00.000Z", "2024-12-31T23:59:59.999Z")]
    [InlineData("2024-02", "2024-02-01T00:00:00.000Z", "2024-02-29T23:59:59.999Z")]
    [InlineData("2024-03-05", "2024-03-05T00:00:00.000Z", "2024-03-05T23:59:59.999Z")]
    [InlineData("2024-03-05T10:00", "2024-03-05T10:00:00.000Z", "2024-03-05T10:00:59.999Z")]
    [InlineData("2024-03-05T10:00Z", "2024-03-05T10:00:00.000Z", "2024-03-05T10:00:59.999Z")]
    [InlineData("2024-03-05T10:00:30", "2024-03-05T10:00:30.000Z", "2024-03-05T10:00:30.999Z")]
    [InlineData("2024-03-05T10:00:30.5Z", "2024-03-05T10:00:30.500Z", "2024-03-05T10:00:30.599Z")]
    [InlineData("2024-03-05T10:00:30.123Z", "2024-03-05T10:00:30.123Z", "2024-03-05T10:00:30.123Z")]
    [InlineData("2024-03-05T10:00:30.123456Z", "2024-03-05T10:00:30.123Z", "2024-03-05T10:00:30.123Z")]
    [InlineData("2024-03-05T11:00:30+01:00", "2024-03-05T10:00:30.000Z", "2024-03-05T10:00:30.999Z")]
    [InlineData("2024-03-05T11:00:30 01:00", "2024-03-05T10:00:30.000Z", "2024-03-05T10:00:30.999Z")]
    [InlineData("2024-03-04T23:00-05:00", "2024-03-05T04:00:00.000Z", "2024-03-05T04:00:59.999Z")]
    [InlineData("9999", "9999-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z")]
    public void Dates_become_the_range_of_their_precision(string value, string start, string end)
    {
        var d = Single("Patient", "birthdate=" + Uri.EscapeDataString(value)).Values.ShouldHaveSingleItem().ShouldBeOfType<DateSearchValue>();
        d.Prefix.ShouldBe(SearchPrefix.Eq);
        d.Start.ShouldBe(Ms(start));
        d.End.ShouldBe(Ms(end));
    }

    [Theory]
    [InlineData("eq", SearchPrefix.Eq)]
    [InlineData("ne", SearchPrefix.Ne)]
    [InlineData("gt", SearchPrefix.Gt)]
    [InlineData("lt", SearchPrefix.Lt)]
    [InlineData("ge", SearchPrefix.Ge)]
    [InlineData("le", SearchPrefix.Le)]
    [InlineData("sa", SearchPrefix.Sa)]
    [InlineData("eb", SearchPrefix.Eb)]
    [InlineData("ap", SearchPrefix.Ap)]
    public void Prefixes(string prefix, SearchPrefix expected)
    {
        ((DateSearchValue)Single("Patient", $"birthdate={prefix}2020").Values[0]).Prefix.ShouldBe(expected);
        ((NumberSearchValue)Single("RiskAssessment", $"probability={prefix}0.5").Values[0]).Prefix.ShouldBe(expected);
        ((QuantitySearchValue)Single("Observation", $"value-quantity={prefix}5||mg").Values[0]).Prefix.ShouldBe(expected);
        ((DateSearchValue)Single("Patient", $"_lastUpdated={prefix}2020").Values[0]).Prefix.ShouldBe(expected);
    }

    [Fact]
    public void Ap_on_a_date_widens_by_a_tenth_of_the_distance_to_now()
    {
        // now = 2024-03-05T12:00Z; 2014 ends ~9.2 years earlier → ~0.92 years either side
        var d = (DateSearchValue)Single("Patient", "birthdate=ap2014").Values[0];
        var distance = Ms("2024-03-05T12:00:00Z") - Ms("2014-12-31T23:59:59.999Z");
        d.Start.ShouldBe(Ms("2014-01-01T00:00:00Z") - distance / 10);
        d.End.ShouldBe(Ms("2014-12-31T23:59:59.999Z") + distance / 10);

        // now inside the value: its own range
        var inside = (DateSearchValue)Single("Patient", "birthdate=ap2024-03-05").Values[0];
        inside.Start.ShouldBe(Ms("2024-03-05T00:00:00Z"));
        inside.End.ShouldBe(Ms("2024-03-05T23:59:59.999Z"));
    }

    [Theory]
    [InlineData("birthdate=2024-13", "2024-13")]
    [InlineData("birthdate=2024-02-30", "2024-02-30")]
    [InlineData("birthdate=2024-03-05T25:00", "no such date")]
    [InlineData("birthdate=2024-03-05T10", "Invalid date")]
    [InlineData("birthdate=24-03-05", "Invalid date")]
    [InlineData("birthdate=2024-03-05Z", "Invalid date")]
    [InlineData("birthdate=abc", "Unknown prefix 'ab'")]
    [InlineData("birthdate=ge", "Invalid date")]
    [InlineData("birthdate=xx2024", "Unknown prefix 'xx'")]
    [InlineData("birthdate=GT2024", "Unknown prefix 'GT'")]
    [InlineData("birthdate=2024-03-05T10:00%2B15:00", "no such date")]
    [InlineData("birthdate=0000", "no such date")]
    [InlineData("_lastUpdated=yesterday", "Unknown prefix 'ye'")]
    public void Malformed_dates_are_400_in_both_modes(string query, string mention) => BadRequest("Patient", query, mention);

    // ---- number and quantity -----------------------------------------------------------------

    [Theory]
    [InlineData("100", 100, 99.5, 100.5)]
    [InlineData("100.00", 100, 99.995, 100.005)]
    [InlineData("1.5", 1.5, 1.45, 1.55)]
    [InlineData("1e2", 100, 50, 150)]
    [InlineData("5e-1", 0.5, 0.45, 0.55)]
    [InlineData("-2", -2, -2.5, -1.5)]
    [InlineData(".5", 0.5, 0.45, 0.55)]
    public void Numbers_carry_the_range_of_their_precision(string value, double v, double low, double high)
    {
        var n = (NumberSearchValue)Single("RiskAssessment", "probability=" + Uri.EscapeDataString(value)).Values[0];
        n.Value.ShouldBe((decimal)v);
        n.Low.ShouldBe((decimal)low);
        n.High.ShouldBe((decimal)high);
    }

    [Fact]
    public void Ap_on_a_number_is_ten_percent()
    {
        var n = (NumberSearchValue)Single("RiskAssessment", "probability=ap100").Values[0];
        n.Low.ShouldBe(90m);
        n.High.ShouldBe(110m);
    }

    [Theory]
    [InlineData("probability=1.2.3", "Invalid number")]
    [InlineData("probability=abc", "Unknown prefix 'ab'")]
    [InlineData("probability=zz5", "Unknown prefix 'zz'")]
    [InlineData("probability=gt", "Invalid number")]
    [InlineData("probability=1e99", "out of range")]
    [InlineData("probability=99999999999999999999999999999999", "out of range")]
    public void Malformed_numbers_are_400(string query, string mention) => BadRequest("RiskAssessment", query, mention);

    [Fact]
    public void Quantity_forms()
    {
        Single("Observation", "value-quantity=5.4|http://unitsofmeasure.org|mg").Values
            .ShouldBe([new QuantitySearchValue(SearchPrefix.Eq, 5.4m, 5.35m, 5.45m, "http://unitsofmeasure.org", "mg")]);
        Single("Observation", "value-quantity=gt5.4||mg").Values
            .ShouldBe([new QuantitySearchValue(SearchPrefix.Gt, 5.4m, 5.35m, 5.45m, null, "mg")]);
        Single("Observation", "value-quantity=5.4").Values
            .ShouldBe([new QuantitySearchValue(SearchPrefix.Eq, 5.4m, 5.35m, 5.45m, null, null)]);
        Single("Observation", "value-quantity=5.4|http://unitsofmeasure.org|").Values
            .ShouldBe([new QuantitySearchValue(SearchPrefix.Eq, 5.4m, 5.35m, 5.45m, "http://unitsofmeasure.org", null)]);
    }

    [Theory]
    [InlineData("value-quantity=5.4|mg", "Invalid quantity")]
    [InlineData("value-quantity=mg", "Unknown prefix 'mg'")]
    [InlineData("value-quantity=|a|mg", "Invalid number")]
    public void Malformed_quantities_are_400(string query, string mention) => BadRequest("Observation", query, mention);

    [Fact]
    public void Uri_modifiers()
    {
        Single("ValueSet", "url=http://x/y").Values.ShouldBe([new UriSearchValue("http://x/y")]);
        Single("ValueSet", "url:below=http://x/").Modifier.ShouldBe(SearchModifier.Below);
        Single("ValueSet", "url:above=http://x/y/z").Modifier.ShouldBe(SearchModifier.Above);
    }

    // ---- unknown parameters: strict vs lenient -----------------------------------------------

    [Fact]
    public void Lenient_ignores_unknown_parameters_with_a_warning()
    {
        var request = Parse("Patient", "foo=1&name=peter&_sort=bar,name");
        request.Criteria.ShouldHaveSingleItem();
        request.Warnings.ShouldContain(w => w.Contains("Unknown search parameter 'foo' for Patient") && w.Contains("ignored"));
        request.Warnings.ShouldContain(w => w.Contains("'bar'") && w.Contains("ignored"));
        request.Sort.ShouldBe([new SortKey("name", SearchParamType.String, false)]);
        request.ToQueryString().ShouldNotContain("foo");
    }

    [Theory]
    [InlineData("foo=1", "Unknown search parameter 'foo' for Patient")]
    [InlineData("_sort=bar", "Unknown sort parameter 'bar' for Patient")]
    [InlineData("_include=Patient:foo", "Unknown search parameter 'foo' for Patient")]
    [InlineData("_type=Patient", "_type")]
    public void Strict_rejects_unknown_parameters_naming_them(string query, string message)
    {
        var ex = Should.Throw<FhirException>(() => Parse("Patient", query, SearchHandling.Strict));
        ex.Status.ShouldBe(HttpStatusCode.BadRequest);
        ex.Message.ShouldContain(message);
        Parse("Patient", query).Warnings.ShouldHaveSingleItem().ShouldContain("ignored");
    }

    [Fact]
    public void Parameters_the_server_does_not_implement()
    {
        Parse("Patient", "_text=abc").Warnings.ShouldHaveSingleItem().ShouldContain("'_text' is not supported");
        var ex = Should.Throw<FhirException>(() => Parse("Patient", "_filter=x", SearchHandling.Strict));
        ex.Code.ShouldBe(OperationOutcome.IssueType.NotSupported);
        ex.Message.ShouldContain("_filter");
    }

    [Fact]
    public void Format_parameters_are_left_to_the_rest_layer()
    {
        var request = Parse("Patient", "_format=json&_pretty=true", SearchHandling.Strict);
        request.Criteria.ShouldBeEmpty();
        request.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Empty_values_are_ignored_with_a_warning()
    {
        var request = Parse("Patient", "name=&gender=,", SearchHandling.Strict);
        request.Criteria.ShouldBeEmpty();
        request.Warnings.Count.ShouldBe(2);
    }

    [Fact]
    public void Unknown_resource_type_is_400() => BadRequest("Foo", "", "Foo");

    // ---- result parameters -------------------------------------------------------------------

    [Fact]
    public void Count_defaults_is_configurable_and_capped()
    {
        Parse("Patient", "").Count.ShouldBe(20);
        new SearchParser(SearchParameterRegistry.Default, new SearchOptions { DefaultCount = 50 }).ParseQueryString("Patient", "").Count.ShouldBe(50);
        var capped = Parse("Patient", "_count=5000");
        capped.Count.ShouldBe(1000);
        capped.Warnings.ShouldHaveSingleItem().ShouldContain("1000");
        new SearchParser(SearchParameterRegistry.Default, new SearchOptions { MaxCount = 100 }).ParseQueryString("Patient", "_count=500").Count.ShouldBe(100);
        Parse("Patient", "_count=7").Count.ShouldBe(7);
        Parse("Patient", "_count=0").IsCountOnly.ShouldBeTrue();
        Parse("Patient", "_summary=count").IsCountOnly.ShouldBeTrue();
        Parse("Patient", "_count=1").IsCountOnly.ShouldBeFalse();
        Parse("Patient", "_offset=40").Offset.ShouldBe(40);
    }

    [Theory]
    [InlineData("_count=-1", "_count")]
    [InlineData("_count=abc", "_count")]
    [InlineData("_count=1.5", "_count")]
    [InlineData("_count=", "_count")]
    [InlineData("_count=99999999999", "_count")]
    [InlineData("_offset=-5", "_offset")]
    [InlineData("_count=1&_count=2", "only once")]
    [InlineData("_summary=yes", "_summary")]
    [InlineData("_summary=true&_summary=false", "only once")]
    [InlineData("_total=all", "_total")]
    [InlineData("_elements=name,(x)", "(x)")]
    [InlineData("_count:x=1", "no modifier")]
    public void Malformed_result_parameters_are_400(string query, string mention) => BadRequest("Patient", query, mention);

    [Fact]
    public void Sort_keys_in_order_with_direction()
    {
        var request = Parse("Patient", "_sort=-birthdate,name,_id,-_lastUpdated&_sort=gender", SearchHandling.Strict);
        request.Sort.ShouldBe([
            new SortKey("birthdate", SearchParamType.Date, true),
            new SortKey("name", SearchParamType.String, false),
            new SortKey("_id", SearchParamType.Token, false),
            new SortKey("_lastUpdated", SearchParamType.Date, true),
            new SortKey("gender", SearchParamType.Token, false),
        ]);
        Parse("Observation", "_sort=value-quantity,subject,date", SearchHandling.Strict).Sort.Select(s => s.Type)
            .ShouldBe([SearchParamType.Quantity, SearchParamType.Reference, SearchParamType.Date]);
        BadRequest("Patient", "_sort=name:exact", "name:exact");
        BadRequest("Patient", "_sort=general-practitioner.name", "general-practitioner.name");
        BadRequest("Patient", "_sort=-", "_sort");
    }

    [Fact]
    public void Include_syntax()
    {
        var request = Parse("Observation",
            "_include=Observation:subject&_include=Observation:subject:Patient&_include=Observation:*&_revinclude=Provenance:target&_include:iterate=Patient:general-practitioner",
            SearchHandling.Strict);
        request.Includes.ShouldBe([
            new IncludeSpec("Observation", "subject", null, false),
            new IncludeSpec("Observation", "subject", "Patient", false),
            new IncludeSpec("Observation", "*", null, false),
            new IncludeSpec("Patient", "general-practitioner", null, true),
        ]);
        request.RevIncludes.ShouldBe([new IncludeSpec("Provenance", "target", null, false)]);
        request.Warnings.ShouldHaveSingleItem().ShouldContain("one level");
        Parse("Patient", "_include=*&_revinclude=*").Includes.ShouldBe([new IncludeSpec(null, "*", null, false)]);
        Parse("Patient", "_revinclude=Provenance:target:Patient").RevIncludes.ShouldHaveSingleItem().TargetType.ShouldBe("Patient");
    }

    [Theory]
    [InlineData("_include=Observation", "Type:parameter")]
    [InlineData("_include=Observation:subject:Patient:x", "Type:parameter")]
    [InlineData("_include=Foo:subject", "Foo")]
    [InlineData("_include=Observation:code", "not a reference")]
    [InlineData("_include=Observation:subject:Organization", "Organization")]
    [InlineData("_include=Observation:subject:Foo", "Foo")]
    [InlineData("_include:deep=Observation:subject", "iterate")]
    public void Malformed_includes_are_400(string query, string mention) => BadRequest("Observation", query, mention);

    [Fact]
    public void Summary_elements_total()
    {
        var request = Parse("Patient", "_summary=text&_elements=name, birthDate,name&_total=accurate", SearchHandling.Strict);
        request.Summary.ShouldBe(SummaryMode.Text);
        request.Elements.ShouldBe(["name", "birthDate"]);
        request.Total.ShouldBe(TotalMode.Accurate);
        foreach (var (text, mode) in new[] { ("true", SummaryMode.True), ("data", SummaryMode.Data), ("count", SummaryMode.Count), ("false", SummaryMode.False) })
            Parse("Patient", "_summary=" + text).Summary.ShouldBe(mode);
        Parse("Patient", "_total=none").Total.ShouldBe(TotalMode.None);
        Parse("Patient", "_total=estimate").Total.ShouldBe(TotalMode.Estimate);
        Parse("Patient", "").Summary.ShouldBeNull();
    }

    // ---- system-level search -----------------------------------------------------------------

    [Fact]
    public void System_search_with_type()
    {
        var request = Parse(null, "_type=Patient,Practitioner&name=peter&_type=Organization", SearchHandling.Strict);
        request.ResourceType.ShouldBeNull();
        request.Types.ShouldBe(["Patient", "Practitioner", "Organization"]);
        request.TypeGiven.ShouldBeTrue();
        request.Criteria.ShouldHaveSingleItem();

        var all = Parse(null, "_lastUpdated=gt2024", SearchHandling.Strict);
        all.Types.ShouldBeEmpty();
        all.TypeGiven.ShouldBeFalse();

        // a parameter not defined on every searched type is unknown
        Should.Throw<FhirException>(() => Parse(null, "_type=Patient,Observation&name=x", SearchHandling.Strict)).Message.ShouldContain("'name'");
        Should.Throw<FhirException>(() => Parse(null, "name=x", SearchHandling.Strict)).Message.ShouldContain("any resource type");
        BadRequest(null, "_type=Patient,Foo", "Foo");
        BadRequest(null, "_type=,", "_type");
    }

    // ---- canonical query string --------------------------------------------------------------

    [Fact]
    public void Canonical_query_string_is_stable_and_reparses_to_the_same_request()
    {
        var a = Parse("Observation", "subject:Patient.name=peter&code=http://loinc.org|1234-5&_count=10&date=ge2024-01-01T10:00:00+01:00&_sort=-date,code&_include=Observation:subject&_offset=20&code=x,y");
        var b = Parse("Observation", "code=x,y&_offset=20&_include=Observation:subject&_sort=-date,code&date=ge2024-01-01T10:00:00%2B01:00&code=http://loinc.org|1234-5&_count=10&subject:Patient.name=peter");
        var qs = a.ToQueryString();
        qs.ShouldBe(b.ToQueryString());
        qs.ShouldBe("code=http://loinc.org%7C1234-5&code=x,y&date=ge2024-01-01T10:00:00%2B01:00&subject:Patient.name=peter" +
                    "&_sort=-date,code&_include=Observation:subject&_count=10&_offset=20");

        var again = Parse("Observation", qs);
        again.ToQueryString().ShouldBe(qs);
        again.Criteria.Count.ShouldBe(a.Criteria.Count);

        a.ToQueryString(offset: 30).ShouldEndWith("_count=10&_offset=30");
        a.ToQueryString(offset: 0, count: 5).ShouldEndWith("_count=5&_offset=0");
    }

    [Fact]
    public void Canonical_query_string_always_has_count_and_offset_and_keeps_result_parameters()
    {
        Parse("Patient", "").ToQueryString().ShouldBe("_count=20&_offset=0");
        Parse("Patient", "name=a%20b%26c&_summary=data&_elements=name,gender&_total=accurate&_revinclude=Provenance:target&_include:iterate=Patient:organization")
            .ToQueryString()
            .ShouldBe("name=a%20b%26c&_include:iterate=Patient:organization&_revinclude=Provenance:target&_summary=data&_elements=name,gender&_total=accurate&_count=20&_offset=0");
        Parse(null, "_type=Patient,Group&_id=1").ToQueryString().ShouldBe("_id=1&_type=Patient,Group&_count=20&_offset=0");
        Parse("Patient", @"name=a\,b").ToQueryString().ShouldBe("name=a%5C,b&_count=20&_offset=0");
    }

    [Fact]
    public void Query_string_parsing_decodes()
    {
        QueryString.Parse("?a=1&b=x+y&c=%7C&d&=e&&").ShouldBe([
            new("a", "1"), new("b", "x y"), new("c", "|"), new("d", ""), new("", "e"),
        ]);
    }
}
