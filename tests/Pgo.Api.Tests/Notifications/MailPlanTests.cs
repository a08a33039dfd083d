using Pgo.Api.Notifications.Mail;
using Pgo.Shared.Text;

namespace Pgo.Api.Tests.Notifications;

/// <summary>The pure rules of when a notification's mail goes out (Api/Notifications/Mail/MailPlan.cs), on the Dutch clock.</summary>
public class MailPlanTests
{
    private static readonly MailRhythm Standard = MailRhythm.Default;

    /// <summary>A wall-clock moment in Amsterdam.</summary>
    private static DateTimeOffset Amsterdam(int year, int month, int day, int hour, int minute = 0) =>
        DutchTime.FromWallClock(new DateTime(year, month, day, hour, minute, 0), DutchTime.Amsterdam);

    [Theory]
    [InlineData(20, 59, false)]
    [InlineData(21, 0, true)]
    [InlineData(23, 30, true)]
    [InlineData(0, 0, true)]
    [InlineData(7, 59, true)]
    [InlineData(8, 0, false)]
    [InlineData(12, 0, false)]
    public void Quiet_hours_run_from_nine_in_the_evening_until_eight_in_the_morning_in_Amsterdam(int hour, int minute, bool quiet)
    {
        // Winter (UTC+1) and summer (UTC+2): the same wall-clock hours.
        MailPlan.InQuietHours(Standard, Amsterdam(2026, 1, 15, hour, minute)).ShouldBe(quiet);
        MailPlan.InQuietHours(Standard, Amsterdam(2026, 7, 15, hour, minute)).ShouldBe(quiet);
    }

    [Fact]
    public void A_direct_mail_in_the_evening_waits_until_eight_the_next_morning_and_one_at_night_until_eight_that_morning()
    {
        MailPlan.OutsideQuietHours(Standard, Amsterdam(2026, 7, 15, 22, 30)).ShouldBe(Amsterdam(2026, 7, 16, 8));
        MailPlan.OutsideQuietHours(Standard, Amsterdam(2026, 7, 16, 3, 10)).ShouldBe(Amsterdam(2026, 7, 16, 8));
        MailPlan.OutsideQuietHours(Standard, Amsterdam(2026, 7, 16, 10, 0)).ShouldBe(Amsterdam(2026, 7, 16, 10));
        // Across the autumn clock change (25 October 2026): still eight o'clock on the wall.
        MailPlan.OutsideQuietHours(Standard, Amsterdam(2026, 10, 24, 23, 0)).ShouldBe(Amsterdam(2026, 10, 25, 8));
        (Amsterdam(2026, 10, 25, 8) - Amsterdam(2026, 10, 24, 23, 0)).ShouldBe(TimeSpan.FromHours(10));
    }

    [Fact]
    public void Quiet_hours_within_one_day_and_no_quiet_hours_at_all()
    {
        var lunch = Standard with { QuietFrom = new TimeOnly(12, 0), QuietUntil = new TimeOnly(13, 30) };
        MailPlan.InQuietHours(lunch, Amsterdam(2026, 3, 2, 11, 59)).ShouldBeFalse();
        MailPlan.OutsideQuietHours(lunch, Amsterdam(2026, 3, 2, 12, 15)).ShouldBe(Amsterdam(2026, 3, 2, 13, 30));
        MailPlan.InQuietHours(lunch, Amsterdam(2026, 3, 2, 23, 0)).ShouldBeFalse();

        var never = Standard with { QuietFrom = new TimeOnly(0, 0), QuietUntil = new TimeOnly(0, 0) };
        MailPlan.InQuietHours(never, Amsterdam(2026, 3, 2, 3, 0)).ShouldBeFalse();
    }

    [Fact]
    public void Off_sends_nothing_daily_waits_for_the_digest_and_direct_goes_at_once_by_day()
    {
        var noon = Amsterdam(2026, 5, 4, 12);
        MailPlan.Decide(MailChoice.Off, Standard, noon, _ => 0).ShouldBe(MailDecision.None);
        MailPlan.Decide(MailChoice.Daily, Standard, noon, _ => 0).ShouldBe(MailDecision.Digest);
        MailPlan.Decide(MailChoice.Direct, Standard, noon, _ => 0).ShouldBe(new MailDecision(MailRoute.Direct, noon));
    }

    [Fact]
    public void Over_the_daily_maximum_a_direct_mail_goes_to_the_digest()
    {
        var noon = Amsterdam(2026, 5, 4, 12);
        MailPlan.Decide(MailChoice.Direct, Standard, noon, _ => 5).Route.ShouldBe(MailRoute.Direct);
        MailPlan.Decide(MailChoice.Direct, Standard, noon, _ => 6).ShouldBe(MailDecision.Digest);
        MailPlan.Decide(MailChoice.Direct, Standard with { MaxPerDay = 0 }, noon, _ => 0).ShouldBe(MailDecision.Digest);
    }

    [Fact]
    public void A_mail_that_waits_for_the_morning_counts_on_the_morning_s_day()
    {
        var asked = new List<DateOnly>();
        var decision = MailPlan.Decide(MailChoice.Direct, Standard, Amsterdam(2026, 5, 4, 23, 15), day => { asked.Add(day); return 0; });
        decision.ShouldBe(new MailDecision(MailRoute.Direct, Amsterdam(2026, 5, 5, 8)));
        asked.ShouldBe([new DateOnly(2026, 5, 5)]);
    }

    [Fact]
    public void The_digest_due_is_today_s_from_eight_o_clock_and_yesterday_s_before()
    {
        MailPlan.DueDigest(Standard, Amsterdam(2026, 5, 4, 7, 59)).ShouldBe((new DateOnly(2026, 5, 3), Amsterdam(2026, 5, 3, 8)));
        MailPlan.DueDigest(Standard, Amsterdam(2026, 5, 4, 8, 0)).ShouldBe((new DateOnly(2026, 5, 4), Amsterdam(2026, 5, 4, 8)));
        MailPlan.DueDigest(Standard, Amsterdam(2026, 5, 4, 23, 0)).ShouldBe((new DateOnly(2026, 5, 4), Amsterdam(2026, 5, 4, 8)));
    }

    [Fact]
    public void A_digest_time_inside_quiet_hours_waits_until_they_end()
    {
        var late = Standard with { DigestAt = new TimeOnly(22, 0) };
        MailPlan.DigestMoment(late, new DateOnly(2026, 5, 4)).ShouldBe(Amsterdam(2026, 5, 5, 8));
        MailPlan.DueDigest(late, Amsterdam(2026, 5, 5, 9, 0)).ShouldBe((new DateOnly(2026, 5, 4), Amsterdam(2026, 5, 5, 8)));
    }

    [Fact]
    public void Retries_wait_twice_as_long_each_time_up_to_six_hours()
    {
        var minute = TimeSpan.FromMinutes(1);
        MailPlan.Backoff(1, minute).ShouldBe(minute);
        MailPlan.Backoff(2, minute).ShouldBe(2 * minute);
        MailPlan.Backoff(4, minute).ShouldBe(8 * minute);
        MailPlan.Backoff(30, minute).ShouldBe(TimeSpan.FromHours(6));
    }

    [Theory]
    [InlineData("08:00", 8, 0)]
    [InlineData("21:30", 21, 30)]
    [InlineData("00:00", 0, 0)]
    public void Times_are_read_as_hours_and_minutes(string text, int hour, int minute)
    {
        MailRhythm.Parse(text).ShouldBe(new TimeOnly(hour, minute));
        MailRhythm.Format(new TimeOnly(hour, minute)).ShouldBe(text);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("8:00")]
    [InlineData("24:00")]
    [InlineData("08:00:00")]
    [InlineData("acht uur")]
    public void Anything_else_is_not_a_time(string? text) => MailRhythm.Parse(text).ShouldBeNull();
}

/// <summary>The mail texts (Api/Notifications/Mail/MailTexts.cs): what they say, in which language, and what never.</summary>
public class MailTextTests
{
    private static readonly MailRecipient Tessa = new("Tessa Strikwerda", "nl");

    [Fact]
    public void A_direct_mail_names_the_family_by_first_name_in_the_body_only_and_links_to_the_Portal()
    {
        var mail = MailTexts.Direct(Tessa, new MailItem(MailTexts.GroupDossier, "Jesse"), "http://localhost:5100/");
        mail.Subject.ShouldBe("Er is iets nieuws voor u in PGO");
        mail.Body.ShouldContain("Beste Tessa Strikwerda,");
        mail.Body.ShouldContain("Er is iets nieuws voor u in het dossier van Jesse.");
        mail.Body.ShouldContain("http://localhost:5100/");
        mail.Body.ShouldContain("http://localhost:5100/account");
        mail.Body.ShouldContain("staat in deze e-mail niet wat er nieuw is");
    }

    [Fact]
    public void Access_and_team_mails_say_so_and_the_team_one_names_no_family()
    {
        MailTexts.Direct(Tessa, new MailItem(MailTexts.GroupAccess, "Jesse"), "http://p").Body
            .ShouldContain("Er is iets veranderd in uw toegang tot het dossier van Jesse.");
        var team = MailTexts.Direct(Tessa, new MailItem(MailTexts.GroupTeam, null), "http://p").Body;
        team.ShouldContain("Er is iets nieuws voor u in de teamruimte.");
        team.ShouldNotContain("dossier van");
    }

    [Fact]
    public void English_for_a_person_who_chose_English()
    {
        var mail = MailTexts.Direct(new MailRecipient("Ruben Frank", "en"), new MailItem(MailTexts.GroupDossier, "Leo"), "http://p");
        mail.Subject.ShouldBe("There is something new for you in PGO");
        mail.Body.ShouldContain("Dear Ruben Frank,");
        mail.Body.ShouldContain("There is something new for you in the dossier of Leo.");
    }

    [Fact]
    public void A_first_name_that_is_not_a_plain_name_is_left_out()
    {
        foreach (var odd in new[] { "Jesse <script>", "strikwerda-jesse-123", "Patient/abc", new string('a', 41) })
        {
            var body = MailTexts.Direct(Tessa, new MailItem(MailTexts.GroupDossier, odd), "http://p").Body;
            body.ShouldContain("Er is iets nieuws voor u in een dossier waar u bij betrokken bent.");
            body.ShouldNotContain(odd);
        }
    }

    [Fact]
    public void The_digest_counts_per_family_and_group_in_order_of_arrival()
    {
        var mail = MailTexts.Digest(Tessa,
        [
            new(MailTexts.GroupDossier, "Jesse"), new(MailTexts.GroupTeam, null), new(MailTexts.GroupDossier, "Jesse"),
            new(MailTexts.GroupAccess, "Kim"), new(MailTexts.GroupDossier, "Jesse"),
        ], "http://p");
        mail.Subject.ShouldBe("Uw dagelijkse overzicht van PGO");
        var lines = mail.Body.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("- ", StringComparison.Ordinal)).ToList();
        lines.ShouldBe(["- in het dossier van Jesse: 3 meldingen", "- in de teamruimte: 1 melding", "- over uw toegang tot het dossier van Kim: 1 melding"]);
    }

    [Fact]
    public void A_digest_of_nothing_cannot_be_composed() =>
        Should.Throw<ArgumentException>(() => MailTexts.Digest(Tessa, [], "http://p"));
}
