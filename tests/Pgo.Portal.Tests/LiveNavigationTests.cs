using Microsoft.Playwright;
using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>The live feed survives moving between the screens of one dossier inside the Portal (no page load).</summary>
public sealed class LiveNavigationTests(PortalStack stack)
{
    /// <summary>Blazor disposes the screen one leaves after the next screen has started to follow the same dossier; the old
    /// screen's "stop following" must not end the new screen's live updates.</summary>
    [Fact]
    public async Task After_moving_from_the_plan_to_the_logbook_by_the_menu_a_new_note_by_someone_else_appears_live()
    {
        await using var context = await stack.NewContextAsync();
        var parent = await context.SignInAsync(DemoUsers.Tessa);
        await parent.OpenAsync("/dossier/strikwerda-jesse/plan", "[data-testid=goals]");
        var reloads = 0;
        parent.FrameNavigated += (_, frame) => { if (frame == parent.MainFrame && !frame.Url.Contains("/logboek")) reloads++; };

        await parent.Locator("nav").GetByRole(AriaRole.Link, new() { Name = "Logboek" }).First.ClickAsync();
        await parent.ExpectAsync("[data-testid=notes]");
        await parent.WaitForURLAsync("**/dossier/strikwerda-jesse/logboek");

        using var supporter = await stack.ApiAsAsync(DemoUsers.Ricardo);
        var text = $"Na het menu nog live {Guid.NewGuid():N}";
        (await supporter.PostJsonAsync("/api/dossiers/strikwerda-jesse/notes", new { title = "Live na navigatie", text })).EnsureSuccessStatusCode();

        await parent.ExpectAsync($"[data-testid=notes] >> text={text}");
        reloads.ShouldBe(0);
    }
}
