using System.Globalization;
using MudBlazor;
using Pgo.Portal.Api;
using Pgo.Shared.Codes;
using Pgo.Shared.Contracts;

namespace Pgo.Portal.Components.Pages;

/// <summary>Toegang, issue 18: a second regiehouder by invitation, "Invaller toestaan" per supporter grant, naming a
/// stand-in from the supporter's colleagues, a change of supporter with a handover note, and "Wijzigingen in toegang"
/// marking what another person changed. Who may do which is the Api's decision (a refusal shows in Dutch).</summary>
public partial class Access
{
    /// <summary>The invitation role of a second regiehouder (Identity's InvitationRoles).</summary>
    private const string SecondRegiehouder = "regiehouder";

    private IReadOnlyList<AccessChange>? _changes = [];
    private int _changesShown = 20;

    private IReadOnlyList<ColleagueView> _colleagues = [];
    private string? _standInGrant;
    private string? _standInColleague;
    private string? _standInFrom;
    private string? _standInUntil;
    private string? _transferGrant;
    private string? _transferTo;
    private string? _transferNote;

    /// <summary>The supporters' grants in force (not stand-ins themselves): where stand-ins and a change of supporter apply.</summary>
    private List<GrantView> SupporterGrants() => (_overview?.Grants ?? [])
        .Where(g => g.Kind == "grant" && g.InForce && g.StandInFor is null && g.Roles.Contains(GrantRoles.Ondersteuner))
        .OrderBy(g => NameOf(g.Actors.FirstOrDefault() ?? ""), StringComparer.CurrentCulture).ToList();

    /// <summary>The stand-ins named on a supporter's grant that are in force or still to come (an ended one is history).</summary>
    private List<GrantView> StandInsOf(GrantView grant)
    {
        var now = Clock.GetUtcNow();
        return (_overview?.Grants ?? []).Where(s => s.StandInFor == grant.Id && s.Status == "active" && (s.Until is null || s.Until > now))
            .OrderBy(s => s.From).ToList();
    }

    /// <summary>"Invaller: Hans, van 1 juni 2027 tot en met 14 juni 2027".</summary>
    private string StandInText(GrantView s) =>
        string.Format(CultureInfo.CurrentCulture, Text["Invaller: {0}, van {1} tot en met {2}"], NameOf(s.Actors.FirstOrDefault() ?? ""),
            s.From is null ? Text["nu"].Value : Date(s.From), s.Until is null ? Text["zonder einddatum"].Value : Date(s.Until));

    private async Task LoadChangesAsync()
    {
        // Its own call: when it fails the matrix and the forms stay usable, and the section says so.
        try { _changes = await StandInApi.ChangesAsync(Id); }
        catch (ApiException) { _changes = null; }
    }

    private async Task AllowStandInAsync(GrantView grant, bool allow)
    {
        var message = allow ? Text["Er mag nu een invaller zijn voor {0}.", NameOf(grant.Actors.FirstOrDefault() ?? "")]
            : Text["Er mag geen nieuwe invaller meer komen voor {0}.", NameOf(grant.Actors.FirstOrDefault() ?? "")];
        if (await RunAsync(() => AccessApi.ChangeGrantAsync(Id, grant.Id, new GrantChange(null, null, null, null, allow)), message)) await LoadAsync();
    }

    private async Task<bool> ColleaguesAsync(GrantView grant) =>
        await RunAsync(async () => _colleagues = await StandInApi.ColleaguesAsync(Id, grant.Id));

    private async Task OpenStandInAsync(GrantView grant)
    {
        _transferGrant = null;
        if (!await ColleaguesAsync(grant)) return;
        _standInGrant = grant.Id;
        _standInColleague = _colleagues.Count == 1 ? _colleagues[0].Practitioner : null;
        _standInFrom ??= Local.Today(Clock).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    private async Task NameStandInAsync(GrantView grant)
    {
        if (_standInColleague is null || ParseDate(_standInFrom) is not { } from || ParseDate(_standInUntil) is not { } until)
        {
            Snackbar.Add(Text["Kies een collega, en vanaf en tot wanneer."], Severity.Warning);
            return;
        }
        // The last day counts whole: the stand-in ends at the end of it.
        var request = new StandInRequest(grant.Id, _standInColleague, from, until.AddDays(1).AddSeconds(-1));
        var name = _colleagues.FirstOrDefault(c => c.Practitioner == _standInColleague)?.Name ?? "";
        if (await RunAsync(() => StandInApi.NameAsync(Id, request), Text["{0} valt in voor {1}.", name, NameOf(grant.Actors.FirstOrDefault() ?? "")]))
        {
            _standInGrant = _standInColleague = _standInUntil = null;
            await LoadAsync();
        }
    }

    private async Task StopStandInAsync(GrantView standIn)
    {
        if (!await Shared.RevokeDialog.AskAsync(Dialogs, Text["Invaller stoppen?"], NameOf(standIn.Actors.FirstOrDefault() ?? ""))) return;
        if (await RunAsync(() => StandInApi.StopAsync(Id, standIn.Id), Text["De invaller is gestopt."])) await LoadAsync();
    }

    private async Task OpenTransferAsync(GrantView grant)
    {
        _standInGrant = null;
        if (!await ColleaguesAsync(grant)) return;
        _transferGrant = grant.Id;
    }

    private async Task TransferAsync(GrantView grant)
    {
        if (_transferTo is null || string.IsNullOrWhiteSpace(_transferNote))
        {
            Snackbar.Add(Text["Kies de nieuwe ondersteuner en schrijf een overdracht."], Severity.Warning);
            return;
        }
        var to = _colleagues.FirstOrDefault(c => c.Practitioner == _transferTo)?.Name ?? "";
        var message = Text["{0} is nu de ondersteuner; {1} ziet het dossier niet meer.", to, NameOf(grant.Actors.FirstOrDefault() ?? "")];
        // On failure the note stays in the box.
        if (await RunAsync(() => StandInApi.TransferAsync(Id, grant.Id, new TransferRequest(_transferTo, _transferNote.Trim())), message))
        {
            _transferGrant = _transferTo = _transferNote = null;
            await LoadAsync();
        }
    }
}
