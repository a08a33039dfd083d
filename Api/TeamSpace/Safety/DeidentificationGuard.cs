using System.Text.RegularExpressions;
using Pgo.Api.Errors;
using Pgo.Api.TeamSpace.Search;

namespace Pgo.Api.TeamSpace.Safety;

/// <summary>Something in a text that may identify a person: what kind, where, and what to tell the author.</summary>
public sealed record IdentifyingFinding(string Kind, string Field, string Text, int Start, int Length, string Message);

/// <summary>
/// The de-identification guard (DOMAIN.md section 3, rule 7: cases are discussed de-identified). Before a post
/// or article is saved it looks for a BSN (valid by the elfproef), a Dutch phone number, an e-mail address, a
/// street address or postcode, and the names of the clients and family members in every caseload the author's team
/// serves (<see cref="ICaseloadNames"/>, read from the dossiers). It checks every text field it is given: a thread's
/// title and body, an article's title, body and note, a knelpunt's summary. A finding does not forbid a post or an
/// article; the author must confirm it (see <see cref="Kinds"/>), and the post is then marked for the coach.
/// </summary>
public sealed partial class DeidentificationGuard(ICaseloadNames caseloads)
{
    public static class Kinds
    {
        public const string Bsn = "bsn";
        public const string Phone = "telefoonnummer";
        public const string Email = "e-mailadres";
        public const string Address = "adres";
        public const string Postcode = "postcode";
        public const string Name = "naam";
    }

    /// <summary>
    /// The save rule: no findings, or the author confirmed them. Returns the refusal to send (422 with the
    /// findings) or, when saving, the kinds the author confirmed (stored with the text; null when clean).
    /// </summary>
    /// <param name="teamId">The team the text is written in (whose caseloads count).</param>
    /// <param name="authorKey">The author's member key.</param>
    /// <param name="confirmed">The author saw the findings and saves anyway; a text that leaves the team (a knelpunt's
    /// summary) always passes false: there is no way past the guard for it.</param>
    public async Task<(TeamError? Refusal, string? ConfirmedKinds)> ReviewAsync(
        long teamId, string authorKey, IEnumerable<(string Field, string Text)> fields, bool confirmed, CancellationToken ct)
    {
        var findings = await CheckAsync(teamId, authorKey, fields, ct);
        if (findings.Count == 0) return (null, null);
        if (!confirmed)
        {
            return (new TeamError(422, ApiText.DeidentTitle, ApiText.DeidentDetail,
                new Dictionary<string, object?> { ["findings"] = findings }), null);
        }
        return (null, string.Join(',', findings.Select(f => f.Kind).Distinct()));
    }

    public async Task<IReadOnlyList<IdentifyingFinding>> CheckAsync(long teamId, string authorKey, IEnumerable<(string Field, string Text)> fields, CancellationToken ct)
    {
        var fieldList = fields.Where(f => !string.IsNullOrEmpty(f.Text)).ToList();
        if (fieldList.Count == 0) return [];
        var people = await caseloads.ForTeamAsync(teamId, authorKey, ct);
        var names = NamePatterns(people);
        var findings = new List<IdentifyingFinding>();
        foreach (var (field, text) in fieldList)
        {
            foreach (Match m in BsnCandidate().Matches(text))
            {
                var digits = new string(m.Value.Where(char.IsAsciiDigit).ToArray());
                if (Elfproef.IsValidBsn(digits))
                    findings.Add(new(Kinds.Bsn, field, m.Value, m.Index, m.Length, ApiText.DeidentBsn));
            }
            Add(findings, field, PhoneNumber().Matches(text), Kinds.Phone, ApiText.DeidentPhone);
            Add(findings, field, EmailAddress().Matches(text), Kinds.Email, ApiText.DeidentEmail);
            Add(findings, field, StreetAndNumber().Matches(text), Kinds.Address, ApiText.DeidentAddress);
            Add(findings, field, Postcode().Matches(text), Kinds.Postcode, ApiText.DeidentPostcode);
            findings.AddRange(FindNames(field, text, names));
        }
        return findings;
    }

    private static void Add(List<IdentifyingFinding> findings, string field, MatchCollection matches, string kind, string message)
    {
        foreach (Match m in matches) findings.Add(new(kind, field, m.Value, m.Index, m.Length, message));
    }

    /// <summary>
    /// Per person: the full name, the given name(s) and the family name (with its tussenvoegsel: "de Wit"),
    /// each as folded words, so "KIM", "kim" and "Kïm" all match Kim, and only whole words match.
    /// </summary>
    private static List<string[]> NamePatterns(IEnumerable<CaseloadPerson> people)
    {
        var patterns = new List<string[]>();
        foreach (var p in people)
        {
            var given = Folded(p.GivenName);
            var family = Folded(p.FamilyName);
            patterns.Add([.. given, .. family]);
            patterns.AddRange(given.Select(g => new[] { g }));
            patterns.Add(family);
        }
        return patterns
            .Where(p => p.Length > 0 && p.Sum(w => w.Length) >= 2)
            .DistinctBy(p => string.Join(' ', p))
            .OrderByDescending(p => p.Length)
            .ToList();
    }

    private static string[] Folded(string name) => DutchText.Words(name).Select(w => w.Folded).ToArray();

    private static IEnumerable<IdentifyingFinding> FindNames(string field, string text, List<string[]> patterns)
    {
        if (patterns.Count == 0) yield break;
        var words = DutchText.Words(text).ToList();
        var taken = new bool[words.Count];
        // Longest patterns first: "Kim de Wit" is one finding, not three.
        foreach (var pattern in patterns)
        {
            for (var i = 0; i + pattern.Length <= words.Count; i++)
            {
                var match = true;
                for (var k = 0; k < pattern.Length && match; k++)
                    match = !taken[i + k] && words[i + k].Folded == pattern[k];
                if (!match) continue;
                for (var k = 0; k < pattern.Length; k++) taken[i + k] = true;
                var start = words[i].Start;
                var end = words[i + pattern.Length - 1].Start + words[i + pattern.Length - 1].Length;
                yield return new(Kinds.Name, field, text[start..end], start, end - start,
                    ApiText.DeidentName);
            }
        }
    }

    // Nine digits, optionally grouped by single spaces or dots ("123 456 782", "1234.56.782").
    [GeneratedRegex(@"(?<![\d.])\d(?:[ .]?\d){8}(?![\d])", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex BsnCandidate();

    // 06-12345678, 020 123 4567, (0512) 123456, +31 6 1234 5678, 0031 (0)20 ...: ten digits in all.
    [GeneratedRegex(@"(?<![\w+])(?:(?:\+|00)31[ .\-]{0,2}(?:\(0\)[ .\-]{0,2})?|\(?0)[1-9](?:[ .\-)]{0,2}\d){8}(?!\d)", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex PhoneNumber();

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex EmailAddress();

    // A word ending in a street suffix ("Kerkstraat", "Dorpsweg", "Oude Gracht" is not caught), then a house number.
    [GeneratedRegex(@"(?<!\w)\p{L}{2,}?(?:straat|laan|weg|plein|gracht|kade|singel|dijk|dreef|hof|steeg|plantsoen|markt|pad|park|ring|wal|baan|boulevard|allee|erf)\s+\d{1,4}(?:[a-zA-Z](?!\w)|-\d{1,3})?(?!\d)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex StreetAndNumber();

    // 1234 AB (letters in capitals: "in 2024 de" is no postcode); SA, SD and SS are never issued.
    [GeneratedRegex(@"(?<!\w)[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}(?!\w)", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Postcode();
}
