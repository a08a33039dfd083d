using System.Collections;
using System.Globalization;
using System.Text.RegularExpressions;
using Pgo.Fhir.Messages;

namespace Pgo.Fhir.Tests.Messages;

/// <summary>Every text of the FHIR engine exists in Dutch (neutral) and English, with the same values to fill in.</summary>
public partial class FhirTextTests
{
    private static Dictionary<string, string> Texts(CultureInfo culture) =>
        FhirText.ResourceManager.GetResourceSet(culture, createIfNotExists: true, tryParents: false)!
            .Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);

    private static readonly Dictionary<string, string> Dutch = Texts(CultureInfo.InvariantCulture);
    private static readonly Dictionary<string, string> English = Texts(CultureInfo.GetCultureInfo("en"));

    [GeneratedRegex(@"(?<!\{)\{(\d+)(?:[,:][^}]*)?\}")]
    private static partial Regex Placeholder();

    private static int[] Placeholders(string text) =>
        Placeholder().Matches(text).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Distinct().Order().ToArray();

    [Fact]
    public void Dutch_and_English_have_the_same_keys()
    {
        Dutch.Count.ShouldBeGreaterThan(0);
        Dutch.Keys.Except(English.Keys).ShouldBeEmpty("in FhirText.resx but not in FhirText.en.resx");
        English.Keys.Except(Dutch.Keys).ShouldBeEmpty("in FhirText.en.resx but not in FhirText.resx");
    }

    [Fact]
    public void Dutch_and_English_fill_in_the_same_placeholders()
    {
        var differing = Dutch.Keys.Intersect(English.Keys)
            .Where(k => !Placeholders(Dutch[k]).SequenceEqual(Placeholders(English[k])))
            .Select(k => $"{k}: nl {{{string.Join(",", Placeholders(Dutch[k]))}}} en {{{string.Join(",", Placeholders(English[k]))}}}");
        differing.ShouldBeEmpty();
    }

    [Fact]
    public void Every_text_formats_without_error_and_uses_no_gaps_in_its_placeholders()
    {
        foreach (var (key, text) in Dutch.Select(e => (e.Key, e.Value)).Concat(English.Select(e => (e.Key, e.Value))))
        {
            var used = Placeholders(text);
            used.ShouldBe(Enumerable.Range(0, used.Length).ToArray(), key);
            var values = used.Select(i => (object)$"<{i}>").ToArray();
            Should.NotThrow(() => string.Format(CultureInfo.InvariantCulture, text, values), key);
        }
    }

    [Fact]
    public void Texts_follow_the_current_UI_culture_with_Dutch_as_the_default()
    {
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en-GB");
            FhirText.SubscriptionChannelMissing.ShouldBe("Subscription.channel is missing.");
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("nl-NL");
            FhirText.SubscriptionChannelMissing.ShouldBe("Subscription.channel ontbreekt.");
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("de");
            FhirText.SubscriptionChannelMissing.ShouldBe("Subscription.channel ontbreekt.");
            CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
            FhirText.SubscriptionChannelMissing.ShouldBe("Subscription.channel ontbreekt.");
        }
        finally { CultureInfo.CurrentUICulture = before; }
    }
}
