using System.Text.RegularExpressions;
using System.Xml.Linq;
using Pgo.Identity.Tests.Support;

namespace Pgo.Identity.Tests;

/// <summary>English is the second language: every Dutch text in the code has its line in Texts.en.resx.</summary>
public partial class EnglishTextTests
{
    [Fact]
    public void Every_Dutch_text_in_the_code_has_an_English_translation()
    {
        var translated = XDocument.Load(Repository.File("Identity", "Texts.en.resx")).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!);
        var identity = Repository.File("Identity");
        var missing = new List<string>();
        foreach (var file in Directory.EnumerateFiles(identity, "*.*", SearchOption.AllDirectories)
                     .Where(f => (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal)) && !f.Contains("/obj/") && !f.Contains("/bin/")))
        {
            var source = File.ReadAllText(file);
            var texts = Localized().Matches(source).Select(m => m.Groups["text"].Value);
            if (file.EndsWith("ScopeDescriptions.cs", StringComparison.Ordinal) || file.EndsWith("InvitationTexts.cs", StringComparison.Ordinal))
                texts = texts.Concat(DictionaryValue().Matches(source).Select(m => m.Groups["text"].Value));
            missing.AddRange(texts.Select(Regex.Unescape).Where(text => !translated.ContainsKey(text)).Select(text => $"{Path.GetFileName(file)}: {text}"));
        }

        missing.Distinct().ShouldBeEmpty();
        translated.Values.ShouldAllBe(value => value.Length > 0);
    }

    [GeneratedRegex("""(?:\bT\[|\btext\[|ErrorMessage\s*=\s*|Display\(Name\s*=\s*)"(?<text>(?:[^"\\]|\\.)+)"(?!\s*=>)""")]
    private static partial Regex Localized();

    [GeneratedRegex("""(?:\] = |\('\w', |=> )"(?<text>[^"]+)"[,)]""")]
    private static partial Regex DictionaryValue();
}
