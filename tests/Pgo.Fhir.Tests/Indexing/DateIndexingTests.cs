using Hl7.Fhir.Model;
using Pgo.Fhir.Search.Indexing;
using static Pgo.Fhir.Tests.Indexing.IndexTestKit;

namespace Pgo.Fhir.Tests.Indexing;

public class DateIndexingTests
{
    [Theory]
    [InlineData("2024", "2024-01-01T00:00:00.000Z", "2024-12-31T23:59:59.999Z")]
    [InlineData("2024-02", "2024-02-01T00:00:00.000Z", "2024-02-29T23:59:59.999Z")]
    [InlineData("2023-02", "2023-02-01T00:00:00.000Z", "2023-02-28T23:59:59.999Z")]
    [InlineData("2024-03-05", "2024-03-05T00:00:00.000Z", "2024-03-05T23:59:59.999Z")]
    [InlineData("2024-03-05T10:30", "2024-03-05T10:30:00.000Z", "2024-03-05T10:30:59.999Z")]
    [InlineData("2024-03-05T10:30:15Z", "2024-03-05T10:30:15.000Z", "2024-03-05T10:30:15.999Z")]
    [InlineData("2024-03-05T10:30:15.5Z", "2024-03-05T10:30:15.500Z", "2024-03-05T10:30:15.599Z")]
    [InlineData("2024-03-05T10:30:15.123Z", "2024-03-05T10:30:15.123Z", "2024-03-05T10:30:15.123Z")]
    [InlineData("2024-03-05T10:30:15.123456Z", "2024-03-05T10:30:15.123Z", "2024-03-05T10:30:15.123Z")]
    [InlineData("2024-03-05T10:30:15+01:00", "2024-03-05T09:30:15.000Z", "2024-03-05T09:30:15.999Z")]
    [InlineData("2024-03-05T23:30:00-05:00", "2024-03-06T04:30:00.000Z", "2024-03-06T04:30:00.999Z")]
    [InlineData("2024-03-05T10:30:15", "2024-03-05T10:30:15.000Z", "2024-03-05T10:30:15.999Z")]
    [InlineData("1850-12", "1850-12-01T00:00:00.000Z", "1850-12-31T23:59:59.999Z")]
    public void Dates_span_the_range_their_precision_implies_in_utc(string value, string start, string end)
    {
        FhirDate.TryParseRange(value, out var s, out var e).ShouldBeTrue();

        s.ShouldBe(Ms(start));
        e.ShouldBe(Ms(end));
    }

    [Theory]
    [InlineData("")]
    [InlineData("24")]
    [InlineData("2024-13")]
    [InlineData("2023-02-29")]
    [InlineData("2024-03-05T25:00:00Z")]
    [InlineData("2024-03-05 10:00")]
    [InlineData("2024-03-05T10:00:00+1")]
    public void Malformed_dates_are_not_indexed(string value) =>
        FhirDate.TryParseRange(value, out _, out _).ShouldBeFalse();

    [Fact]
    public void Patient_birthdate_indexes_the_whole_day()
    {
        var index = Index(new Patient { BirthDate = "1974-12-25" });

        index.Dates("birthdate").Single().ShouldBe(new DateIndex("birthdate", Ms("1974-12-25T00:00:00Z"), Ms("1974-12-25T23:59:59.999Z")));
    }

    [Fact]
    public void Period_with_an_open_end_runs_to_the_maximum()
    {
        var encounter = new Encounter { Period = new Period { Start = "2024-01-10T08:00:00Z" } };

        Index(encounter).Dates("date").Single().ShouldBe(new DateIndex("date", Ms("2024-01-10T08:00:00Z"), long.MaxValue));
    }

    [Fact]
    public void Period_with_an_open_start_runs_from_the_minimum_and_its_end_is_expanded_by_precision()
    {
        var encounter = new Encounter { Period = new Period { End = "2024-01" } };

        Index(encounter).Dates("date").Single().ShouldBe(new DateIndex("date", long.MinValue, Ms("2024-01-31T23:59:59.999Z")));
    }

    [Fact]
    public void Observation_effective_period_spans_start_to_end()
    {
        var obs = new Observation { Effective = new Period { Start = "2024-05-01", End = "2024-05-03" } };

        Index(obs).Dates("date").Single().ShouldBe(new DateIndex("date", Ms("2024-05-01T00:00:00Z"), Ms("2024-05-03T23:59:59.999Z")));
    }

    [Fact]
    public void Period_that_ends_before_it_starts_is_indexed_as_the_span_between_them()
    {
        // Invalid (per-1), but stored rows always have start <= end: search bounds rely on it.
        var obs = new Observation { Effective = new Period { Start = "2024-05", End = "2024-03-10" } };

        Index(obs).Dates("date").Single().ShouldBe(new DateIndex("date", Ms("2024-03-10T00:00:00Z"), Ms("2024-05-31T23:59:59.999Z")));
    }

    [Fact]
    public void Timing_spans_its_events()
    {
        var obs = new Observation
        {
            Effective = new Timing { EventElement = [new FhirDateTime("2024-05-03T10:00:00Z"), new FhirDateTime("2024-05-01T10:00:00Z")] },
        };

        Index(obs).Dates("date").Single().ShouldBe(new DateIndex("date", Ms("2024-05-01T10:00:00Z"), Ms("2024-05-03T10:00:00.999Z")));
    }

    [Fact]
    public void Timing_without_events_uses_its_repeat_bounds_period()
    {
        var order = new ServiceRequest
        {
            Occurrence = new Timing { Repeat = new Timing.RepeatComponent { Bounds = new Period { Start = "2024-06-01", End = "2024-06-30" } } },
        };

        Index(order).Dates("occurrence").Single().ShouldBe(new DateIndex("occurrence", Ms("2024-06-01T00:00:00Z"), Ms("2024-06-30T23:59:59.999Z")));
    }

    [Fact]
    public void Instants_are_exact_to_the_millisecond_when_they_carry_a_fraction_and_to_the_second_otherwise()
    {
        var withMillis = new Provenance { RecordedElement = new Instant { JsonValue = "2024-07-01T12:00:00.250Z" } };
        var wholeSecond = new Provenance { RecordedElement = new Instant { JsonValue = "2024-07-01T14:00:00+02:00" } };

        Index(withMillis).Dates("recorded").Single().ShouldBe(new DateIndex("recorded", Ms("2024-07-01T12:00:00.250Z"), Ms("2024-07-01T12:00:00.250Z")));
        Index(wholeSecond).Dates("recorded").Single().ShouldBe(new DateIndex("recorded", Ms("2024-07-01T12:00:00Z"), Ms("2024-07-01T12:00:00.999Z")));
    }

    [Fact]
    public void LastUpdated_is_not_indexed_search_reads_it_from_the_resource_row()
    {
        var goal = new Goal { Meta = new Meta { LastUpdated = DateTimeOffset.Parse("2024-07-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture) } };

        Index(goal).Dates("_lastUpdated").ShouldBeEmpty();
    }

    [Fact]
    public void Condition_onset_age_is_not_a_date_and_is_skipped()
    {
        var condition = new Condition { Onset = new Age { Value = 40, Unit = "a", System = "http://unitsofmeasure.org", Code = "a" } };

        Index(condition).Dates("onset-date").ShouldBeEmpty();
        Index(condition).Quantities("onset-age").Single().Value.ShouldBe(40m);
    }
}
