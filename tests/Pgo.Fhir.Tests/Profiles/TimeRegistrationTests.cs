using Hl7.Fhir.Model;
using Pgo.Fhir.Profiles;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Fhir.Tests.Profiles;

/// <summary>The project's rule for a time registration (Basic with a supporter activity, section tijd).</summary>
public sealed class TimeRegistrationTests
{
    private static readonly DateOnly Today = new(2026, 11, 22);

    private static Basic Entry(string activity = "luisterend-oor", int minutes = 30, int daysAgo = 0, string? note = null) =>
        TimeRegistration.New("p1", "Practitioner/s1", "Sven", activity, Today.AddDays(-daysAgo), minutes, note);

    [Fact]
    public void A_registration_of_a_known_activity_today_passes_and_reads_back()
    {
        var entry = Entry(minutes: 45, note: "Gesprek met school");
        TimeRegistration.Check(entry, Today).ShouldBeEmpty();
        TimeRegistration.MinutesOf(entry).ShouldBe(45);
        TimeRegistration.ActivityOf(entry).ShouldBe("luisterend-oor");
        TimeRegistration.DateOf(entry).ShouldBe(Today);
        TimeRegistration.NoteOf(entry).ShouldBe("Gesprek met school");
    }

    [Theory]
    [InlineData("koffie", 30, 0, "geen activiteit")]
    [InlineData("luisterend-oor", 0, 0, "meer dan 0")]
    [InlineData("luisterend-oor", -5, 0, "meer dan 0")]
    [InlineData("luisterend-oor", 721, 0, "meer dan 12 uur")]
    [InlineData("luisterend-oor", 30, -1, "toekomst")]
    public void A_registration_against_the_rule_is_refused_in_Dutch(string activity, int minutes, int daysAgo, string words) =>
        string.Join(" ", TimeRegistration.Check(Entry(activity, minutes, daysAgo), Today)).ShouldContain(words, Case.Insensitive);

    [Fact]
    public void Minutes_missing_or_not_whole_are_refused()
    {
        var missing = Entry();
        missing.Extension.Clear();
        string.Join(" ", TimeRegistration.Check(missing, Today)).ShouldContain("hele minuten");
        var half = Entry();
        half.GetExtension(DossierExtensions.TimeMinutes).Value = new Duration { Value = 12.5m, Code = "min", Unit = "min" };
        string.Join(" ", TimeRegistration.Check(half, Today)).ShouldContain("hele minuten");
    }

    [Fact]
    public void A_note_with_script_is_refused() =>
        TimeRegistration.Check(Entry(note: "<script>alert(1)</script>"), Today).ShouldNotBeEmpty();

    [Fact]
    public void A_Basic_that_is_no_time_registration_is_left_alone() =>
        TimeRegistration.IsTimeEntry(new Basic { Code = new CodeableConcept(Section.System, Section.Tijd) }).ShouldBeFalse();
}
