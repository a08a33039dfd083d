using System.Globalization;
using Pgo.Portal.Hosting;

namespace Pgo.Portal.Tests;

/// <summary>The person's clock (LocalTime) without a browser: Europe/Amsterdam unless the browser names a zone this server
/// knows, summer and winter time right, dates written the Dutch way, a FHIR date without a time never shifted a day.</summary>
public sealed class LocalTimeTests
{
    private static T InDutch<T>(Func<T> show)
    {
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("nl-NL");
        try { return show(); }
        finally { CultureInfo.CurrentCulture = before; }
    }

    [Fact]
    public void Without_a_browser_zone_times_are_Amsterdam_time_in_summer_and_in_winter()
    {
        var local = new LocalTime();
        InDutch(() => local.DateTime(new DateTimeOffset(2026, 7, 1, 10, 15, 0, TimeSpan.Zero))).ShouldBe("1 jul 2026 12:15");
        InDutch(() => local.DateTime(new DateTimeOffset(2026, 12, 4, 23, 30, 0, TimeSpan.Zero))).ShouldBe("5 dec 2026 00:30");
        InDutch(() => local.Date(new DateTimeOffset(2026, 12, 4, 23, 30, 0, TimeSpan.Zero))).ShouldBe("5 dec 2026");
    }

    [Fact]
    public void A_browser_zone_is_used_and_an_unknown_one_falls_back_to_Amsterdam()
    {
        var newYork = new LocalTime();
        newYork.UseBrowserZone("America/New_York");
        InDutch(() => newYork.DateTime(new DateTimeOffset(2026, 12, 4, 23, 30, 0, TimeSpan.Zero))).ShouldBe("4 dec 2026 18:30");

        var unknown = new LocalTime();
        unknown.UseBrowserZone("Mars/Olympus_Mons");
        unknown.Zone.ShouldBe(LocalTime.Amsterdam);
        unknown.Known.ShouldBeTrue();
    }

    [Fact]
    public void A_FHIR_date_keeps_its_day_in_any_zone()
    {
        var newYork = new LocalTime();
        newYork.UseBrowserZone("America/New_York");
        InDutch(() => newYork.Day("2026-12-04")).ShouldBe("4 dec 2026");
        InDutch(() => newYork.Day("2026-12")).ShouldBe("december 2026");
        InDutch(() => newYork.Day("2026-07-01T10:15:00Z")).ShouldBe("1 jul 2026 06:15");
    }
}
