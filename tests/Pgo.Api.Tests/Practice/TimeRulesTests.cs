using Pgo.Api.Practice;

namespace Pgo.Api.Tests.Practice;

/// <summary>The rules of the supporter's time (<see cref="TimeRules"/>), without storage or HTTP.</summary>
public sealed class TimeRulesTests
{
    private static readonly DateOnly Today = new(2026, 12, 4);

    [Theory]
    [InlineData("luisterend-oor", true, 0, 45, null)]
    [InlineData("intervisie", false, 0, 90, null)]
    [InlineData("reistijd", false, 3, 960, null)]
    [InlineData("luisterend-oor", true, 0, 0, "1 tot en met 960")]
    [InlineData("luisterend-oor", true, 0, 961, "1 tot en met 960")]
    [InlineData("luisterend-oor", true, -1, 30, "toekomst")]
    [InlineData("koffie", true, 0, 30, "bekende activiteit")]
    [InlineData("luisterend-oor", false, 0, 30, "hoort bij een gezin")]
    [InlineData("scholing", true, 0, 30, "zonder gezin")]
    public void An_entry_holds_a_known_activity_that_fits_family_or_not_a_past_date_and_1_to_960_minutes(string activity, bool forFamily, int daysAgo, int minutes, string? words)
    {
        var problem = TimeRules.CheckEntry(activity, forFamily, Today.AddDays(-daysAgo), minutes, null, Today);
        if (words is null) problem.ShouldBeNull();
        else problem.ShouldNotBeNull().ShouldContain(words);
    }

    [Fact]
    public void A_note_too_long_or_with_html_is_refused()
    {
        TimeRules.CheckEntry("luisterend-oor", true, Today, 30, new string('a', 501), Today).ShouldNotBeNull();
        TimeRules.CheckEntry("luisterend-oor", true, Today, 30, "<script>alert(1)</script>", Today).ShouldNotBeNull();
    }

    [Fact]
    public void The_author_edits_until_the_edit_period_ends_and_never_a_correction()
    {
        var created = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        TimeRules.MayEdit(created, false, created.AddDays(14), 14).ShouldBeTrue();
        TimeRules.MayEdit(created, false, created.AddDays(14).AddMinutes(1), 14).ShouldBeFalse();
        TimeRules.MayEdit(created, true, created.AddMinutes(1), 14).ShouldBeFalse();
        TimeRules.IsAuthor("Person/a", "Person/a").ShouldBeTrue();
        TimeRules.IsAuthor("Person/a", "Person/b").ShouldBeFalse();
    }

    [Theory]
    [InlineData(false, 60, -20, "Korter gesprek", null)]
    [InlineData(false, 60, 30, "Vergeten reistijd mee te tellen", null)]
    [InlineData(false, 60, -60, "Niet doorgegaan", null)]
    [InlineData(false, 60, -61, "Te veel", "nooit minder dan 0")]
    [InlineData(false, 40, -41, "Nog minder", "nooit minder dan 0")]
    [InlineData(false, 60, -20, null, "reden")]
    [InlineData(false, 60, -20, "  ", "reden")]
    [InlineData(false, 60, 0, "Niets", "niet 0")]
    [InlineData(true, 60, -5, "Correctie van correctie", "oorspronkelijke")]
    public void A_correction_needs_a_reason_and_never_takes_the_total_below_zero(bool ofCorrection, int total, int minutes, string? reason, string? words)
    {
        var problem = TimeRules.CheckCorrection(ofCorrection, total, minutes, reason, null);
        if (words is null) problem.ShouldBeNull();
        else problem.ShouldNotBeNull().ShouldContain(words);
    }

    [Fact]
    public void An_edit_may_not_take_an_entry_with_corrections_below_zero()
    {
        TimeRules.CheckEditTotal(30, -20).ShouldBeNull();
        TimeRules.CheckEditTotal(10, -20).ShouldNotBeNull();
    }
}
