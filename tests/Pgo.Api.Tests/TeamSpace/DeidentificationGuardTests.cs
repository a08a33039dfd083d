using Pgo.Api.TeamSpace.Safety;

namespace Pgo.Api.Tests.TeamSpace;

/// <summary>The de-identification guard on its own: what it finds, and what it leaves alone.</summary>
public class DeidentificationGuardTests
{
    private const string Ricardo = "Person/bondgenoot-ricardo";   // in team 1, which serves the Strikwerda family
    private const string Ilse = "Person/bondgenoot-ilse";         // in team 2, which serves the De Wit family

    /// <summary>The names per team, as FhirCaseloadNames would read them from the dossiers (tested in GuardTests).</summary>
    private sealed class TeamCaseloads : ICaseloadNames
    {
        public ValueTask<IReadOnlyList<CaseloadPerson>> ForTeamAsync(long teamId, string authorKey, CancellationToken ct) =>
            ValueTask.FromResult<IReadOnlyList<CaseloadPerson>>(teamId == 1
                ? [new("Jesse", "Strikwerda"), new("Rowena", "Strikwerda"), new("Zoë", "Çelik")]
                : [new("Kim", "de Wit"), new("Ilona", "de Wit")]);
    }

    private static readonly DeidentificationGuard Guard = new(new TeamCaseloads());

    private static async Task<IReadOnlyList<IdentifyingFinding>> Check(string text, string member = Ricardo) =>
        await Guard.CheckAsync(member == Ricardo ? 1 : 2, member, [("body", text)], CancellationToken.None);

    [Theory]
    [InlineData("111222333")]
    [InlineData("123456782")]
    public void A_valid_BSN_passes_the_elfproef(string bsn) => Elfproef.IsValidBsn(bsn).ShouldBeTrue();

    [Theory]
    [InlineData("123456789")]   // passes the classic 11-check for account numbers, not the BSN variant
    [InlineData("111222334")]
    [InlineData("000000000")]
    [InlineData("12345678")]
    public void An_invalid_BSN_fails_the_elfproef(string bsn) => Elfproef.IsValidBsn(bsn).ShouldBeFalse();

    [Fact]
    public void The_BSN_variant_differs_from_the_classic_11_check_only_in_the_last_weight()
    {
        Elfproef.Passes("123456789", bsnVariant: false).ShouldBeTrue();   // 9·1 + 8·2 + ... + 1·9 = 165 = 15·11
        Elfproef.Passes("123456789", bsnVariant: true).ShouldBeFalse();   // ... − 1·9 = 147
        Elfproef.Passes("123456782", bsnVariant: true).ShouldBeTrue();    // ... − 1·2 = 154 = 14·11
    }

    [Theory]
    [InlineData("Haar BSN is 123456782, zie de brief.", "123456782")]
    [InlineData("bsn 111 222 333 staat op de beschikking", "111 222 333")]
    [InlineData("nummer 1234.56.782", "1234.56.782")]
    public async Task A_valid_BSN_is_caught(string text, string found)
    {
        var f = (await Check(text)).ShouldHaveSingleItem();
        f.Kind.ShouldBe(DeidentificationGuard.Kinds.Bsn);
        f.Text.ShouldBe(found);
    }

    [Theory]
    [InlineData("Het dossiernummer is 123456789.")]
    [InlineData("Ordernummer 111222334 bij de leverancier")]
    [InlineData("Bedrag 1234567890 is geen BSN (tien cijfers)")]
    public async Task A_number_that_fails_the_elfproef_is_not_flagged(string text) =>
        (await Check(text)).Where(f => f.Kind == DeidentificationGuard.Kinds.Bsn).ShouldBeEmpty();

    [Theory]
    [InlineData("bel 06-12345678 even")]
    [InlineData("bel 06 1234 5678 even")]
    [InlineData("bel +31 6 12345678 even")]
    [InlineData("bel 0031 (0)20 123 4567 even")]
    [InlineData("bel (020) 123 4567 even")]
    [InlineData("bel 0512-123456 even")]
    public async Task Dutch_phone_numbers_are_caught(string text) =>
        (await Check(text)).ShouldContain(f => f.Kind == DeidentificationGuard.Kinds.Phone);

    [Fact]
    public async Task Email_street_address_and_postcode_are_caught()
    {
        var findings = await Check("Mail naar moeder.x@voorbeeld.nl, ze woont aan de Kerkstraat 12a, 8911 AB in Leeuwarden.");
        findings.Select(f => (f.Kind, f.Text)).ShouldBe([
            (DeidentificationGuard.Kinds.Email, "moeder.x@voorbeeld.nl"),
            (DeidentificationGuard.Kinds.Address, "Kerkstraat 12a"),
            (DeidentificationGuard.Kinds.Postcode, "8911 AB"),
        ], ignoreOrder: true);
    }

    [Theory]
    [InlineData("Vandaag sprak ik Rowena over school.", "Rowena")]
    [InlineData("ROWENA wil niet naar school.", "ROWENA")]
    [InlineData("jesse strikwerda belde", "jesse strikwerda")]
    [InlineData("Het gezin Strikwerda heeft hulp nodig.", "Strikwerda")]
    [InlineData("Ik sprak zoe celik gisteren.", "zoe celik")]
    [InlineData("Gesprek met Zoë Çelik.", "Zoë Çelik")]
    [InlineData("Gesprek met ZOË.", "ZOË")]
    public async Task Names_from_the_teams_caseloads_are_caught_case_and_diacritic_insensitively(string text, string found)
    {
        var f = (await Check(text)).ShouldHaveSingleItem();
        f.Kind.ShouldBe(DeidentificationGuard.Kinds.Name);
        f.Text.ShouldBe(found);
    }

    [Fact]
    public async Task A_family_name_with_its_tussenvoegsel_is_one_finding()
    {
        var f = (await Check("Kim de Wit heeft een nieuwe rolstoel.", Ilse)).ShouldHaveSingleItem();
        f.Text.ShouldBe("Kim de Wit");
        (await Check("Het gezin De Wit is verhuisd.", Ilse)).ShouldHaveSingleItem().Text.ShouldBe("De Wit");
    }

    [Fact]
    public async Task Names_from_someone_elses_caseload_and_names_inside_words_pass()
    {
        (await Check("Rowena en Jesse", Ilse)).ShouldBeEmpty();          // Strikwerda is a family of Ricardo's team, not Ilse's
        (await Check("De kimono en de witte muur.", Ilse)).ShouldBeEmpty(); // "kim" and "wit" only as whole words
    }

    [Fact]
    public async Task Clean_de_identified_text_passes()
    {
        (await Check("""
            Een meisje van 11 met ZEVMB heeft sinds 2024 sondevoeding. De aanvraag voor meerzorg ligt bij het zorgkantoor;
            de gemeente verwees voor de traplift naar de Wlz. Bezwaar binnen 6 weken, hoorzitting op 12 maart. Kosten: € 1.250 per maand.
            """)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_finding_refuses_the_save_until_the_author_confirms()
    {
        var (refusal, confirmed) = await Guard.ReviewAsync(1, Ricardo, [("body", "BSN 123456782")], confirmed: false, CancellationToken.None);
        refusal.ShouldNotBeNull().Status.ShouldBe(422);
        confirmed.ShouldBeNull();

        (refusal, confirmed) = await Guard.ReviewAsync(1, Ricardo, [("body", "BSN 123456782")], confirmed: true, CancellationToken.None);
        refusal.ShouldBeNull();
        confirmed.ShouldBe("bsn");

        (refusal, confirmed) = await Guard.ReviewAsync(1, Ricardo, [("body", "niets herleidbaars")], confirmed: false, CancellationToken.None);
        (refusal, confirmed).ShouldBe((null, null));
    }
}
