using Microsoft.Playwright;
using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>Co-writing the logbook: who else is on the note now, and an overlapping edit shown as a conflict, never written over.</summary>
public sealed class LogbookTests(PortalStack stack)
{
    /// <summary>Scenario 5, the case that cannot merge: both change the same line. The later save is refused, the note keeps
    /// the first save, and the Portal shows the conflict in Dutch with both versions while the typed text stays in the editor.</summary>
    [Fact]
    public async Task Two_parents_change_the_same_line_and_the_later_save_shows_the_conflict_instead_of_overwriting()
    {
        var karin = DemoUsers.All.Single(u => u.Email == "karin@frank.example");
        var ruben = DemoUsers.All.Single(u => u.Email == "ruben@frank.example");
        var tag = Guid.NewGuid().ToString("N")[..6];
        var note = $"Overleg {tag}\nWie belt de school?\nVolgende week evalueren";
        var edit = $"li:has-text('Overleg {tag}') [data-testid=edit-note]";

        await using var karinContext = await stack.NewContextAsync();
        var first = await karinContext.SignInAsync(karin);
        await first.OpenAsync("/dossier/frank-leo/logboek", "[data-testid=save-note]");
        await first.FillAsync("#note-text", note);
        await first.ClickAsync("[data-testid=save-note]");
        await first.ExpectAsync(edit);

        await using var rubenContext = await stack.NewContextAsync();
        var second = await rubenContext.SignInAsync(ruben);
        await second.OpenAsync("/dossier/frank-leo/logboek", edit);
        await second.ClickAsync(edit);
        await second.ExpectAsync("#edit-note-text");
        await first.ClickAsync(edit);
        await first.ExpectAsync("#edit-note-text");

        // Presence: each sees that the other has the note open for editing.
        await second.ExpectAsync("[data-testid=note-presence] >> text=Karin Frank (bewerkt)");
        await first.ExpectAsync("[data-testid=note-presence] >> text=Ruben Frank (bewerkt)");

        await first.FillAsync("#edit-note-text", note.Replace("Wie belt de school?", "Karin belt de school op maandag"));
        await first.ClickAsync("[data-testid=save-edit]");
        await first.ExpectAsync("[data-testid=notes] >> text=Karin belt de school op maandag");

        var mine = note.Replace("Wie belt de school?", "Ruben belt de school op dinsdag");
        await second.FillAsync("#edit-note-text", mine);
        await second.ClickAsync("[data-testid=save-edit]");
        await second.ExpectAsync("[data-testid=note-conflict]");
        (await second.InnerTextAsync("[data-testid=note-conflict]")).ShouldContain("Er is niets overschreven");
        (await second.InnerTextAsync("[data-testid=note-theirs]")).ShouldContain("Karin belt de school op maandag");
        (await second.InnerTextAsync("[data-testid=note-mine]")).ShouldContain("Ruben belt de school op dinsdag");
        (await second.InputValueAsync("#edit-note-text")).ShouldBe(mine);
        (await second.Locator("[data-testid=note-merged]").CountAsync()).ShouldBe(0);
        (await second.SeriousViolationsAsync()).ShouldBeEmpty();

        // The note is still the first save, for both of them.
        await Assertions.Expect(second.Locator("[data-testid=notes]")).ToContainTextAsync("Karin belt de school op maandag");
        await first.OpenAsync("/dossier/frank-leo/logboek", edit);
        var stored = await first.InnerTextAsync("[data-testid=notes]");
        stored.ShouldContain("Karin belt de school op maandag");
        stored.ShouldNotContain("Ruben belt de school op dinsdag");
    }
    /// <summary>Decision W6: every version of a note names its writer. Karin writes, Ruben changes it; the note says who changed
    /// it last and when (Dutch time), and "Wie wijzigde wat" lists both versions with their writers.</summary>
    [Fact]
    public async Task A_note_changed_by_the_other_parent_says_who_changed_it_and_lists_who_changed_what()
    {
        var karin = DemoUsers.All.Single(u => u.Email == "karin@frank.example");
        var ruben = DemoUsers.All.Single(u => u.Email == "ruben@frank.example");
        var tag = Guid.NewGuid().ToString("N")[..6];
        var item = $"li:has-text('Zwemles {tag}')";

        await using var karinContext = await stack.NewContextAsync();
        var first = await karinContext.SignInAsync(karin);
        await first.OpenAsync("/dossier/frank-leo/logboek", "[data-testid=save-note]");
        await first.FillAsync("#note-text", $"Zwemles {tag}: Leo heeft zijn A-diploma.");
        await first.ClickAsync("[data-testid=save-note]");
        await first.ExpectAsync($"{item} [data-testid=edit-note]");
        (await first.Locator($"{item} [data-testid=note-changed]").CountAsync()).ShouldBe(0);

        await using var rubenContext = await stack.NewContextAsync();
        var second = await rubenContext.SignInAsync(ruben);
        await second.OpenAsync("/dossier/frank-leo/logboek", $"{item} [data-testid=edit-note]");
        await second.ClickAsync($"{item} [data-testid=edit-note]");
        await second.FillAsync("#edit-note-text", $"Zwemles {tag}: Leo heeft zijn A-diploma. Op naar B!");
        await second.ClickAsync("[data-testid=save-edit]");
        await second.ExpectAsync($"{item} [data-testid=note-changed]");
        (await second.InnerTextAsync($"{item} [data-testid=note-changed]")).ShouldStartWith("gewijzigd door Ruben Frank op ");

        await first.OpenAsync("/dossier/frank-leo/logboek", $"{item} [data-testid=note-changed]");
        (await first.InnerTextAsync($"{item} [data-testid=note-changed]")).ShouldContain("gewijzigd door Ruben Frank op");
        await first.ClickAsync($"{item} [data-testid=note-versions-toggle]");
        await first.ExpectAsync($"{item} [data-testid=note-versions] li");
        var versions = await first.Locator($"{item} [data-testid=note-versions] li").AllInnerTextsAsync();
        versions.Count.ShouldBe(2);
        versions[0].ShouldContain("Ruben Frank");
        versions[0].ShouldContain("gewijzigd");
        versions[0].ShouldContain("Op naar B!");
        versions[1].ShouldContain("Karin Frank");
        versions[1].ShouldContain("aangemaakt");
        (await first.SeriousViolationsAsync()).ShouldBeEmpty();
    }
}
