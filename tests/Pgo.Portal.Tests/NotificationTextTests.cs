using System.Globalization;
using System.Xml.Linq;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pgo.Portal.Components.Shared;
using Pgo.Portal.Tests.Support;
using Pgo.Shared.Codes;
using Pgo.Shared.Contracts;

namespace Pgo.Portal.Tests;

/// <summary>Every kind of notification is said in its own sentence, in Dutch and in English, names the person and the
/// family (never an id), and opens a screen; the account page's label of each kind has its English line.</summary>
public sealed class NotificationTextTests
{
    private static IStringLocalizer<Texts> Localizer() =>
        new StringLocalizer<Texts>(new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance));

    private static NotificationView View(string kind) => new(1, kind, "strikwerda-jesse", "Jesse Strikwerda",
        kind == NotificationKinds.Message ? "berichten" : "afspraken", kind.StartsWith("team-", StringComparison.Ordinal) ? "team/1/post/5" : "Task/abc",
        "Ricardo (bondgenoot)", DateTimeOffset.UnixEpoch, false);

    [Fact]
    public void Every_kind_has_its_own_sentence_in_Dutch_and_English_that_names_the_family_and_never_an_id()
    {
        var fallback = NotificationTexts.Sentence(Localizer(), View("iets-onbekends"));
        foreach (var culture in new[] { "nl-NL", "en-GB" })
        {
            var before = CultureInfo.CurrentUICulture;
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
            try
            {
                var sentences = NotificationKinds.All.Select(k => (k.Code, Text: NotificationTexts.Sentence(Localizer(), View(k.Code)))).ToList();
                foreach (var (code, text) in sentences)
                {
                    text.ShouldNotBe(fallback, code);
                    text.ShouldNotContain("strikwerda-jesse", Case.Sensitive, code);
                    text.ShouldNotContain("Task/", Case.Sensitive, code);
                    text.ShouldNotContain("{", Case.Sensitive, code);
                    // Team-space kinds and a referral (before any dossier) name no family.
                    if (!code.StartsWith("team-", StringComparison.Ordinal) && code != NotificationKinds.ReferralAssigned)
                        text.ShouldContain("Jesse Strikwerda", Case.Sensitive, code);
                }
                sentences.Select(s => s.Text).Distinct().Count().ShouldBe(sentences.Count);
            }
            finally { CultureInfo.CurrentUICulture = before; }
        }
        NotificationTexts.Sentence(Localizer(), View(NotificationKinds.AgreementAssigned))
            .ShouldBe("Ricardo (bondgenoot) heeft u een afspraak gegeven in het dossier van Jesse Strikwerda");
    }

    [Fact]
    public void Each_notification_opens_its_item_its_dossier_or_the_team_space()
    {
        NotificationTexts.Href(View(NotificationKinds.AgreementAssigned)).ShouldBe("/dossier/strikwerda-jesse/plan#Task-abc");
        NotificationTexts.Href(View(NotificationKinds.Message) with { Item = "Communication/m1" }).ShouldBe("/dossier/strikwerda-jesse/berichten?bericht=m1#Communication-m1");
        // A team notification opens its post or article; one without a known item, the team space.
        NotificationTexts.Href(View(NotificationKinds.TeamMention)).ShouldBe("/team?team=1&post=5");
        NotificationTexts.Href(View(NotificationKinds.TeamArticle) with { Item = "team/1/article/eerste-hulp" }).ShouldBe("/team?team=1&artikel=eerste-hulp");
        NotificationTexts.Href(View(NotificationKinds.TeamReply) with { Item = null }).ShouldBe("/team");
        // Ended access: the dossier is no longer theirs to open.
        NotificationTexts.Href(View(NotificationKinds.AccessEnded) with { Section = null, Item = null }).ShouldBe("/");
        NotificationTexts.Href(View(NotificationKinds.AccessGranted) with { Section = null, Item = null }).ShouldBe("/dossier/strikwerda-jesse");
        // Issue 18: an age step and a succession open the regie page; another regiehouder's change opens Toegang (only
        // regiehouders are told); a stand-in or a new supporter, told to supporters too, opens the dossier's start.
        NotificationTexts.Href(View(NotificationKinds.AgeStep)).ShouldBe("/dossier/strikwerda-jesse/regie");
        NotificationTexts.Href(View(NotificationKinds.SuccessionRequested)).ShouldBe("/dossier/strikwerda-jesse/regie");
        NotificationTexts.Href(View(NotificationKinds.AccessChangedByOther)).ShouldBe("/dossier/strikwerda-jesse/toegang");
        NotificationTexts.Href(View(NotificationKinds.StandInNamed)).ShouldBe("/dossier/strikwerda-jesse");
        NotificationTexts.Href(View(NotificationKinds.SupporterChanged)).ShouldBe("/dossier/strikwerda-jesse");
        // Issue 20: a referral assigned to the supporter opens the referrals screen (the intake).
        NotificationTexts.Href(View(NotificationKinds.ReferralAssigned) with { PatientId = null, Item = "referral/7" }).ShouldBe("/verwijzingen");
    }

    [Fact]
    public void The_account_page_label_of_every_kind_has_an_English_line()
    {
        var translated = XDocument.Load(Path.Combine(Repository.Root, "Portal", "Texts.en.resx")).Root!.Elements("data")
            .Select(d => (string)d.Attribute("name")!).ToHashSet(StringComparer.Ordinal);
        NotificationKinds.All.Select(k => k.Label).Where(l => !translated.Contains(l)).ShouldBeEmpty();
    }
}
