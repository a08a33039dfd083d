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
}
