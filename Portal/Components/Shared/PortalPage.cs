using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using MudBlazor;
using Pgo.Portal.Api;
using Pgo.Shared.Contracts;
using Pgo.Portal.Hosting;
using Pgo.Portal.Live;
using Pgo.Shared.Codes;

namespace Pgo.Portal.Components.Shared;

/// <summary>
/// The base of every screen: runs Api calls so that a refusal becomes a Dutch message on the page (never a crash,
/// and what the person typed stays in the form), and an ended session sends the person to sign in again.
/// </summary>
public abstract class PortalPage : ComponentBase
{
    [Inject] protected DossierSession Session { get; set; } = default!;
    [Inject] protected NavigationManager Nav { get; set; } = default!;
    [Inject] protected ISnackbar Snackbar { get; set; } = default!;
    /// <summary>The host's one clock: pages never read DateTime.UtcNow (BannedSymbols.txt), so tests can move time.</summary>
    [Inject] protected TimeProvider Clock { get; set; } = default!;
    /// <summary>For code; markup uses <c>L</c> from _Imports.razor.</summary>
    [Inject] protected IStringLocalizer<Texts> Text { get; set; } = default!;

    /// <summary>The last refusal, shown at the top of the page until the next successful call.</summary>
    protected ApiException? Problem { get; set; }

    protected bool Busy { get; private set; }

    /// <summary>Runs <paramref name="call"/>; returns false (and shows why) when it did not succeed.</summary>
    protected async Task<bool> RunAsync(Func<Task> call, string? success = null)
    {
        Busy = true;
        try
        {
            await call();
            Problem = null;
            if (success is not null) Snackbar.Add(success, Severity.Success);
            return true;
        }
        catch (ApiException e)
        {
            Problem = e;
            Snackbar.Add($"{e.Title}: {e.Detail}", Severity.Error);
            return false;
        }
        catch (SignInRequiredException)
        {
            Nav.NavigateTo($"/aanmelden?terug={Uri.EscapeDataString("/" + Nav.ToBaseRelativePath(Nav.Uri))}", forceLoad: true);
            return false;
        }
        finally { Busy = false; }
    }

    /// <summary>The person's clock (the browser's zone, Europe/Amsterdam otherwise): every date on screen goes through it.</summary>
    [Inject] protected LocalTime Local { get; set; } = default!;

    /// <summary>A moment as a date on the person's clock ("4 dec. 2026").</summary>
    protected string Date(DateTimeOffset? when) => Local.Date(when);

    /// <summary>A moment as date and time on the person's clock ("4 dec. 2026 14:30"), never UTC.</summary>
    protected string DateTime(DateTimeOffset? when) => Local.DateTime(when);

    /// <summary>A FHIR date or dateTime as text ("2026-12-04" → "4 dec. 2026"; a dateTime with a time goes through
    /// <see cref="DateTime(DateTimeOffset?)"/>). Every screen shows dates through these three, never its own format.</summary>
    protected string Day(string? fhirDate) => Local.Day(fhirDate);

    /// <summary>Only the clock time ("14:30") on the person's clock: the end of a span on the same day.</summary>
    protected string TimeOfDay(DateTimeOffset? when) => Local.Clock(when);

    /// <summary>The Dutch name of a dossier section.</summary>
    protected string SectionName(string? code) => code is null ? "" : Text[DossierSections.Display.GetValueOrDefault(code, code)];
}

/// <summary>A screen inside one dossier (/dossier/{Id}/...): checks on every visit that the person may still open it,
/// and follows the dossier live (<see cref="DossierFeed"/>): a change by someone else reloads the screen with a note of
/// who made it; revoked access closes the dossier at once.</summary>
public abstract class DossierPage : PortalPage, IAsyncDisposable
{
    [Parameter] public string Id { get; set; } = "";

    [Inject] protected DossierFeed Feed { get; set; } = default!;

    /// <summary>The dossier's client (overview, timeline, the FHIR resources of the screens); other areas are injected per page.</summary>
    [Inject] protected DossierClient DossierApi { get; set; } = default!;

    [Inject] private Microsoft.JSInterop.IJSRuntime PageJs { get; set; } = default!;

    protected Dossier? Dossier { get; private set; }

    /// <summary>True once the dossier is known to be gone (revoked, or never shared).</summary>
    protected bool Gone { get; private set; }

    private bool _following;
    private string? _me;

    // The item a link pointed at (/dossier/x/logboek#DocumentReference-1, see ChangeLinks): revealed once it is on the page.
    private string? _revealed;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        await base.OnAfterRenderAsync(firstRender);
        var hash = new Uri(Nav.Uri).Fragment.TrimStart('#');
        if (hash.Length == 0 || Dossier is null || _revealed == Nav.Uri) return;
        try
        {
            if (await PageJs.InvokeAsync<bool>("pgoPortal.reveal", [Uri.UnescapeDataString(hash)])) _revealed = Nav.Uri;
        }
        catch (Microsoft.JSInterop.JSException) { _revealed = Nav.Uri; }
        catch (Microsoft.JSInterop.JSDisconnectedException) { }
    }

    protected override async Task OnParametersSetAsync()
    {
        Dossier = null;
        Gone = false;
        var ok = await RunAsync(async () => Dossier = await Session.OpenAsync(Id));
        if (!ok) return;
        if (Dossier is null) { Gone = true; Session.NotifyChanged(); return; }
        await LoadAsync();
        await FollowAsync();
    }

    protected abstract Task LoadAsync();

    /// <summary>What the screen does when someone else changed something it may show: by default it loads again.</summary>
    protected virtual Task OnLiveChangeAsync(LiveChange change) => LoadAsync();

    private async Task FollowAsync()
    {
        _me ??= (await Session.UserAsync()).FindFirst("fhirUser")?.Value;
        if (!_following)
        {
            Feed.Changed += OnChangedAsync;
            Feed.Revoked += OnRevokedAsync;
            Feed.AccessChanged += OnAccessChangedAsync;
            _following = true;
        }
        await Feed.FollowAsync(Id);
    }

    private Task OnChangedAsync(LiveChange change) => InvokeAsync(async () =>
    {
        if (change.PatientId != Id || Dossier is null || change.Who == _me) return;
        // The Api names the author (a Person the receiver may not read); otherwise try the reference itself.
        var who = change.WhoName is { Length: > 0 } named ? named
            : change.Who is { } w && await DossierApi.NameAsync(w) is { } name && name != w ? name : Text["Iemand"].Value;
        var section = change.Section is null ? Text["dit dossier"].Value : SectionName(change.Section);
        var text = change.Change switch
        {
            "create" => Text["{0} heeft iets toegevoegd in {1}", who, section],
            "delete" => Text["{0} heeft iets verwijderd in {1}", who, section],
            _ => Text["{0} heeft iets gewijzigd in {1}", who, section],
        };
        // Shown above the page in a polite live region (Layout/LiveStatus), not as a snackbar: it must not cover the form.
        Feed.Announce(text.Value);
        await OnLiveChangeAsync(change);
        StateHasChanged();
    });

    private Task OnRevokedAsync(LiveRevoked revoked) => InvokeAsync(async () =>
    {
        if (revoked.PatientId != Id || Gone) return;
        Dossier = null;
        Gone = true;
        Feed.Announce(Text["Uw toegang tot dit dossier is zojuist ingetrokken. U ziet het dossier niet meer."]);
        StateHasChanged();
        // The menu reads the list again, without the dossier.
        await RunAsync(() => Session.DossiersAsync(refresh: true));
        Session.NotifyChanged();
    });

    /// <summary>What the person may see here changed (a share package ended, a section was added): open and load again.</summary>
    private Task OnAccessChangedAsync(LiveRevoked changed) => InvokeAsync(async () =>
    {
        if (changed.PatientId != Id || Gone) return;
        Feed.Announce(Text["Wat u in dit dossier mag zien, is zojuist gewijzigd."]);
        if (await RunAsync(async () => Dossier = await Session.OpenAsync(Id)) && Dossier is not null) await LoadAsync();
        else if (Dossier is null) Gone = true;
        Session.NotifyChanged();
        StateHasChanged();
    });

    public virtual async ValueTask DisposeAsync()
    {
        if (!_following) return;
        Feed.Changed -= OnChangedAsync;
        Feed.Revoked -= OnRevokedAsync;
        Feed.AccessChanged -= OnAccessChangedAsync;
        _following = false;
        await Feed.StopFollowingAsync(Id);
        GC.SuppressFinalize(this);
    }
}
