using MimeKit;
using Pgo.Api.Notifications.Mail;
using Pgo.Shared.Codes;
using Pgo.Shared.Contracts;
using static Pgo.Api.Tests.Notifications.MailFamily;

namespace Pgo.Api.Tests.Notifications;

/// <summary>
/// No health content in mail (docs/adr/0008): for every kind of notification, about items whose text, title, note,
/// message and document title hold a canary (and an actor whose name does), no mail, direct or digest, contains the
/// canary, an id, the surname or the actor; it names the family by the client's first name and links to the Portal.
/// </summary>
public class MailCanaryTests
{
    private static (string? Item, string? Section, string? Patient) ItemOf(NotificationKinds.Kind kind) => kind.Code switch
    {
        NotificationKinds.Message => ("Communication/mail-message", "berichten", Child),
        NotificationKinds.AgreementAssigned or NotificationKinds.AgreementDueTomorrow or NotificationKinds.AgreementOverdue => ("Task/mail-task", "afspraken", Child),
        NotificationKinds.PlanChanged => ("CarePlan/mail-plan", "plan", Child),
        NotificationKinds.GoalChanged => ("Goal/mail-goal", "doelen", Child),
        NotificationKinds.DocumentShared => ("DocumentReference/mail-note", "logboek", Child),
        NotificationKinds.TeamMention or NotificationKinds.TeamReply or NotificationKinds.TeamEditRequest or NotificationKinds.TeamSignal => ("team/1/post/5", null, null),
        NotificationKinds.TeamArticle or NotificationKinds.TeamReviewRequest => ("team/1/article/mail-artikel", null, null),
        NotificationKinds.ReferralAssigned => ("referral/1", null, null),
        _ => (null, null, Child), // access, share package, turning 18: about the dossier
    };

    private static void ShouldSayNothingOf(MimeMessage mail)
    {
        using var raw = new MemoryStream();
        mail.WriteTo(raw);
        var whole = System.Text.Encoding.UTF8.GetString(raw.ToArray());
        foreach (var text in new[] { whole, mail.Subject, mail.TextBody ?? "" })
        {
            text.ShouldNotContain(Canary, Case.Insensitive);
            text.ShouldNotContain("Mailtest");          // the surname
            text.ShouldNotContain(Child);               // the dossier's id
            text.ShouldNotContain("mail-goal");
            text.ShouldNotContain("mail-task");
            text.ShouldNotContain("mail-note");
            text.ShouldNotContain("mail-actor");
            text.ShouldNotContain("team/1");
            text.ShouldNotContain("referral/1");
        }
        mail.Subject.ShouldNotContain("Jesse");
        mail.TextBody.ShouldContain("https://portaal.pgo.test/");
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task No_mail_ever_contains_the_content_of_any_kind_of_notification(string provider)
    {
        await using var family = await StartAsync(provider);
        var all = NotificationKinds.All;

        // Every kind as a mail of its own...
        await family.SetPreferencesAsync(Parent, new NotificationPreferences(
            all.Select(k => new KindPreference(k.Code, MailChoice.Direct)).ToList(), QuietFrom: "00:00", QuietUntil: "00:00", MaxPerDay: 50));
        foreach (var kind in all)
        {
            var (item, section, patient) = ItemOf(kind);
            await family.NotifyAsync(Parent, kind.Code, item, section, patient);
        }
        await family.RoundAsync();
        family.MailsTo(Parent).ShouldBe(all.Count);

        // ...and all of them in one digest.
        await family.SetPreferencesAsync(Parent, new NotificationPreferences(
            all.Select(k => new KindPreference(k.Code, MailChoice.Daily)).ToList(), QuietFrom: "00:00", QuietUntil: "00:00", MaxPerDay: 50));
        foreach (var kind in all)
        {
            var (item, section, patient) = ItemOf(kind);
            await family.NotifyAsync(Parent, kind.Code, item, section, patient);
        }
        await family.RoundAsync();
        family.Clock.Set(Amsterdam(2026, 6, 11, 8, 1));
        await family.RoundAsync();
        family.MailsTo(Parent).ShouldBe(all.Count + 1);

        var mails = family.Smtp.Received.ToList();
        foreach (var mail in mails) ShouldSayNothingOf(mail);
        var digest = mails.Single(m => m.Subject == "Uw dagelijkse overzicht van PGO");
        // One sentence per group, whatever the kind (issue 18 added leeftijdsstap to the dossier's and five kinds to access).
        int Of(string group) => all.Count(k => k.Group == group);
        digest.TextBody.ShouldContain($"- in het dossier van Jesse: {Of(NotificationKinds.Groups.Dossier)} meldingen");
        digest.TextBody.ShouldContain($"- over uw toegang tot het dossier van Jesse: {Of(NotificationKinds.Groups.Access)} meldingen");
        digest.TextBody.ShouldContain($"- in de teamruimte: {Of(NotificationKinds.Groups.Team)} meldingen");
        mails.Count(m => m.TextBody!.Contains("Er is iets nieuws voor u in het dossier van Jesse.", StringComparison.Ordinal)).ShouldBe(Of(NotificationKinds.Groups.Dossier));
        mails.Count(m => m.TextBody!.Contains("Er is iets veranderd in uw toegang tot het dossier van Jesse.", StringComparison.Ordinal)).ShouldBe(Of(NotificationKinds.Groups.Access));
        mails.Count(m => m.TextBody!.Contains("Er is iets nieuws voor u in de teamruimte.", StringComparison.Ordinal)).ShouldBe(Of(NotificationKinds.Groups.Team));
        Of(NotificationKinds.Groups.Dossier).ShouldBe(12); // issue 20 added termijn-nadert, contact-nodig and meting-gepland
        Of(NotificationKinds.Groups.Access).ShouldBe(11);
    }
}
