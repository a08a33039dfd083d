using System.Text.RegularExpressions;
using System.Xml.Linq;
using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>English is the Portal's second language: every Dutch text in a component has its line in Texts.en.resx.</summary>
public sealed partial class EnglishTextTests
{
    [Fact]
    public void Every_Dutch_text_in_the_Portal_has_an_English_translation()
    {
        var portal = Path.Combine(Repository.Root, "Portal");
        var translated = XDocument.Load(Path.Combine(portal, "Texts.en.resx")).Root!.Elements("data")
            .Select(d => (string)d.Attribute("name")!).ToHashSet(StringComparer.Ordinal);
        var missing = Directory.EnumerateFiles(portal, "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal)) && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .SelectMany(f => Localized().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .Where(text => !translated.Contains(text)).Distinct().ToList();
        missing.ShouldBeEmpty();
    }

    /// <summary>The resource generator drops one of two names that differ only in case (MSB3568), losing its English.</summary>
    [Fact]
    public void No_two_Dutch_texts_differ_only_in_case()
    {
        var names = XDocument.Load(Path.Combine(Repository.Root, "Portal", "Texts.en.resx")).Root!.Elements("data")
            .Select(d => (string)d.Attribute("name")!).ToList();
        names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => string.Join(" / ", g)).ShouldBeEmpty();
    }

    [GeneratedRegex("""\b(?:L|Text)\["((?:[^"\\]|\\.)*)"\]""")]
    private static partial Regex Localized();
}
