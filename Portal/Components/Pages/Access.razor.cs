using Pgo.Shared.Codes;
using System.Globalization;
using Microsoft.JSInterop;
using MudBlazor;
using Pgo.Portal.Api;
using Pgo.Shared.Contracts;
using Pgo.Portal.Components.Shared;

namespace Pgo.Portal.Components.Pages;

/// <summary>Toegang, the core screen: people × sections from the access API, invitations through Identity, change,
/// revoke, hide one item, share packages, and "wie heeft wat bekeken" from the audit trail.</summary>
public partial class Access
{
    private AccessOverview? _overview;
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private IReadOnlyList<Invitation> _invitations = [];
    private Dictionary<string, string> _items = [];
    private Dictionary<string, string> _organizations = [];

    private GrantView? _editing;
    private HashSet<string> _editSections = [];
    private bool _editWrite;
    private string? _editUntil;

    // The invitation form keeps what was typed when sending fails.
    private string? _inviteEmail;
    private string _inviteRole = "family";
    private HashSet<string> _inviteSections = ["plan", "doelen", "afspraken", "logboek"];
    private string _inviteAccess = "read";
    private string? _inviteUntil;
    private string? _inviteMessage;

    private string? _hideItem;
    private string? _hideFrom;

    private string? _shareOrg;
    private string? _sharePurpose;
    private string? _shareUntil;
    private string? _shareUntilTime;
    private HashSet<string> _shareItems = [];

    private string? _auditPerson;
    private string? _auditSection;
    private string? _auditFrom;
    private string? _auditTo;
    private IReadOnlyList<AuditRow>? _audit;
    private List<string> _auditPeople = [];
    private bool _auditAll;
    private string? _me;

    protected override async Task LoadAsync()
    {
        // The Api decides who manages access; its refusal stays on screen (no further call clears it).
        var allowed = await RunAsync(async () =>
        {
            _overview = await AccessApi.AccessAsync(Id);
            foreach (var actor in _overview.People.Keys.Concat(_overview.Grants.SelectMany(g => g.Actors)).Distinct())
                _names[actor] = await DossierApi.NameAsync(actor);
            _items = await AccessApi.ItemsAsync(Id);
            _organizations = await AccessApi.OrganizationsAsync();
        });
        if (!allowed && _overview is null) return;
        // Identity's invitation list is a separate service: its failure must not hide the matrix.
        await RunAsync(async () => _invitations = await InvitationApi.InvitationsAsync(Id));
        await LoadChangesAsync();
        await RunAsync(async () => _research = await AccessApi.ResearchConsentAsync(Id));
    }

    private ResearchConsentView? _research;

    /// <summary>Gives or revokes research consent (issue 21) in one click, after a confirmation.</summary>
    private async Task ResearchAsync(bool give)
    {
        var asked = give
            ? await ConfirmDialog.AskAsync(Dialogs, Text["Meedoen aan onderzoek?"],
                Text["Dit dossier telt dan mee in cijfers over alle gezinnen samen: alleen aantallen, nooit namen, en nooit een cijfer van minder dan 10 gezinnen. Niemand krijgt er toegang door."],
                Text["Meedoen"])
            : await ConfirmDialog.AskAsync(Dialogs, Text["Stoppen met onderzoek?"],
                Text["De volgende cijfers tellen dit dossier niet meer mee. U kunt later opnieuw meedoen."], Text["Stoppen"]);
        if (!asked) return;
        await RunAsync(async () => _research = await AccessApi.SetResearchConsentAsync(Id, give),
            give ? Text["Dit dossier doet mee aan onderzoek."] : Text["Dit dossier doet niet meer mee aan onderzoek."]);
    }

    private List<GrantView> GrantsOf(string actor) =>
        _overview?.Grants.Where(g => g.InForce && g.Actors.Contains(actor) && g.Kind is "grant" or "regie" or "share-package").ToList() ?? [];

    private string ItemTitle(string title) => title == AccessClient.Untitled ? Text[title] : title;

    private string NameOf(string reference) => _names.GetValueOrDefault(reference) ?? reference;

    private string RoleOf(List<GrantView> grants) =>
        string.Join(", ", grants.SelectMany(g => g.Kind == "regie" ? ["regiehouder"] : g.Kind == "share-package" ? ["instantie"] : g.Roles).Distinct()
            .Select(r => Text[GrantRoles.Display.GetValueOrDefault(r, r)].Value));

    private string Cell(Dictionary<string, string> row, string section) => row.GetValueOrDefault(section) switch
    {
        "rw" => Text["schrijven"],
        "r" => Text["lezen"],
        _ => row.ContainsKey("items") && section == "documenten" ? Text["enkele stukken"] : "—",
    };

    private string RoleName(string role) => role switch
    {
        "family" => Text["Gezinslid of naaste"],
        "supporter" => Text["Ondersteuner (copiloot, bondgenoot)"],
        "professional" => Text["Zorgverlener"],
        "agency" => Text["Instantie"],
        SecondRegiehouder => Text["Tweede regiehouder (bijv. de andere ouder)"],
        _ => role,
    };

    private string ActionName(string action) => action switch
    {
        "read" or "vread" => Text["bekeek"],
        "search" => Text["zocht in"],
        "create" => Text["maakte"],
        "update" => Text["wijzigde"],
        "delete" => Text["verwijderde"],
        "download" => Text["downloadde"],
        "read-share-package" => Text["bekeek het deelpakket"],
        "platform-read" => Text["bekeek (werk van het platform)"],
        "upload" => Text["voegde toe"],
        "export" => Text["exporteerde"],
        "import" => Text["importeerde"],
        "dossier-deletion" => Text["verwijderde het dossier"],
        _ when action.StartsWith("history", StringComparison.Ordinal) => Text["bekeek de geschiedenis van"],
        _ => Text["deed iets met"], // never the raw code on screen
    };

    private IEnumerable<string> OtherPeople() =>
        _overview?.People.Keys.Where(a => !GrantsOf(a).Any(g => g.Kind == "regie")).OrderBy(NameOf) ?? Enumerable.Empty<string>();

    private static void Toggle(HashSet<string> set, string value, bool on)
    {
        if (on) set.Add(value); else set.Remove(value);
    }

    private void Edit(GrantView grant)
    {
        _editing = grant;
        _editSections = [.. grant.Sections];
        _editWrite = grant.Actions.Contains("write");
        _editUntil = grant.Until?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    private async Task SaveEditAsync()
    {
        if (_editing is null) return;
        DateTimeOffset? until = ParseDate(_editUntil) is { } d ? d.AddDays(1).AddSeconds(-1) : null;
        if (await RunAsync(() => AccessApi.ChangeGrantAsync(Id, _editing.Id, new GrantChange([.. _editSections], _editWrite, null, until)), Text["De toegang is gewijzigd."]))
        {
            _editing = null;
            await LoadAsync();
        }
    }

    private async Task RevokeAsync(GrantView grant, string actor)
    {
        if (!await RevokeDialog.AskAsync(Dialogs, Text["Toegang intrekken?"], NameOf(actor))) return;
        if (await RunAsync(() => AccessApi.RevokeGrantAsync(Id, grant.Id), Text["De toegang is ingetrokken."])) await LoadAsync();
    }

    /// <summary>What the invitee will get once they accept: "Plan, Doelen: alleen meekijken, tot en met 1 juni 2027".</summary>
    private string InvitationGets(Invitation i) => i.Role == SecondRegiehouder ? Text["alles, en mee beslissen wie wat ziet"] :
        string.Join(", ", i.Sections.Select(SectionName)) + ": "
        + (i.Access == "write" ? Text["meekijken en meeschrijven"] : Text["alleen meekijken"])
        + ", " + (i.Until is { } until ? string.Format(CultureInfo.CurrentCulture, Text["tot en met {0}"], Date(until)) : Text["zonder einddatum"].Value);

    /// <summary>The hides in force, per person they hide from: (the hide's grant, the item).</summary>
    private List<(string Actor, List<(GrantView Grant, string Item)> Hidden)> HiddenByPerson() =>
        (_overview?.Grants ?? []).Where(g => g.Kind == "hidden-item" && g.InForce)
            .SelectMany(g => g.Actors.SelectMany(a => g.Items.Select(item => (Actor: a, Grant: g, Item: item))))
            .GroupBy(h => h.Actor).OrderBy(h => NameOf(h.Key), StringComparer.CurrentCulture)
            .Select(h => (h.Key, h.Select(x => (x.Grant, x.Item)).ToList())).ToList();

    private async Task UnhideAsync(GrantView grant, string item, string actor)
    {
        var message = string.Format(CultureInfo.CurrentCulture, Text["{0} is weer zichtbaar voor {1}."], ItemTitle(_items.GetValueOrDefault(item, AccessClient.Untitled)), NameOf(actor));
        if (await RunAsync(() => AccessApi.UnhideItemAsync(Id, grant.Id), message)) await LoadAsync();
    }

    private async Task InviteAsync()
    {
        if (string.IsNullOrWhiteSpace(_inviteEmail) || !_inviteEmail.Contains('@'))
        {
            Snackbar.Add(Text["Vul een geldig e-mailadres in."], Severity.Warning);
            return;
        }
        var regiehouder = _inviteRole == SecondRegiehouder;
        if (_inviteSections.Count == 0 && !regiehouder)
        {
            Snackbar.Add(Text["Kies minstens één onderdeel."], Severity.Warning);
            return;
        }
        // A second regiehouder gets regie (every section, managing access, no end date): the Api writes a regie Consent for
        // the accepted invitation only when the inviter is a regiehouder; the sections are there because Identity asks for
        // them (its list predates the zorgtestament, which a regie Consent covers anyway).
        var request = regiehouder
            ? new InvitationRequest(_inviteEmail.Trim(), _inviteRole, Id, Dossier!.Name,
                [.. DossierSections.Dossier.Where(s => s != DossierSections.Zorgtestament)], "write", null,
                string.IsNullOrWhiteSpace(_inviteMessage) ? null : _inviteMessage)
            : new InvitationRequest(_inviteEmail.Trim(), _inviteRole, Id, Dossier!.Name, [.. _inviteSections], _inviteAccess,
                ParseDate(_inviteUntil) is { } d ? DateOnly.FromDateTime(d.Date) : null, string.IsNullOrWhiteSpace(_inviteMessage) ? null : _inviteMessage);
        if (await RunAsync(() => InvitationApi.InviteAsync(request), string.Format(CultureInfo.CurrentCulture, Text["De uitnodiging is verstuurd naar {0}."], request.Email)))
        {
            _inviteEmail = null;
            _inviteMessage = null;
            await RunAsync(async () => _invitations = await InvitationApi.InvitationsAsync(Id));
        }
    }

    private async Task WithdrawAsync(Invitation invitation)
    {
        if (await RunAsync(() => InvitationApi.WithdrawInvitationAsync(invitation.Id), Text["De uitnodiging is ingetrokken."]))
            await RunAsync(async () => _invitations = await InvitationApi.InvitationsAsync(Id));
    }

    private async Task HideAsync()
    {
        if (_hideItem is null || _hideFrom is null)
        {
            Snackbar.Add(Text["Kies wat u wilt verbergen en voor wie."], Severity.Warning);
            return;
        }
        var message = string.Format(CultureInfo.CurrentCulture, Text["{0} is verborgen voor {1}."], _items.GetValueOrDefault(_hideItem, _hideItem), NameOf(_hideFrom));
        if (await RunAsync(() => AccessApi.HideItemAsync(Id, new HiddenItemRequest(_hideItem, _hideFrom)), message))
        {
            _hideItem = null;
            await LoadAsync();
        }
    }

    private async Task ShareAsync()
    {
        if (_shareOrg is null || string.IsNullOrWhiteSpace(_sharePurpose) || ParseDate(_shareUntil) is not { } until || _shareItems.Count == 0)
        {
            Snackbar.Add(Text["Kies een instantie, een doel, een einddatum en minstens één document."], Severity.Warning);
            return;
        }
        // A time makes the package end then (the gemeente's appointment, say); without one it runs to the end of that day.
        var end = ParseTime(_shareUntilTime) is { } time ? AtLocal(until.Date + time) : until.AddDays(1).AddSeconds(-1);
        var request = new SharePackageRequest(_shareOrg, _sharePurpose.Trim(), end, [.. _shareItems], null);
        if (await RunAsync(() => AccessApi.SharePackageAsync(Id, request), Text["Het deelpakket is gemaakt."]))
        {
            _sharePurpose = null;
            _shareItems = [];
            await LoadAsync();
        }
    }

    private AuditFilter Filter() => new(_auditPerson, _auditSection, ParseDate(_auditFrom), ParseDate(_auditTo) is { } to ? to.AddDays(1) : null);

    private async Task AuditAsync()
    {
        await RunAsync(async () =>
        {
            _me ??= (await Session.UserAsync()).FindFirst("fhirUser")?.Value;
            _audit = await AccessApi.AuditAsync(Id, Filter());
            // The Api names the accounts (Person/...) in the log; other references are looked up here.
            foreach (var r in _audit.Where(r => r.WhoName is not null)) _names[r.Who] = r.WhoName!;
            foreach (var who in _audit.Select(r => r.Who).Distinct().Where(w => IsPerson(w) && !_names.ContainsKey(w)).Take(50))
                _names[who] = await DossierApi.NameAsync(who);
            if (_auditPerson is null) _auditPeople = [.. _audit.Select(r => r.Who).Distinct().OrderBy(NameOf)];
        });
    }

    private async Task ExportAsync()
    {
        byte[] csv = [];
        if (await RunAsync(async () => csv = await AccessApi.AuditCsvAsync(Id, Filter())))
            await JS.InvokeVoidAsync("pgoPortal.download", $"wie-heeft-wat-bekeken-{Id}.csv", "text/csv", Convert.ToBase64String(csv));
    }

    // ---------------------------------------------------------------- "wie heeft wat bekeken" in sentences

    private static readonly string[] Looks = ["read", "vread", "search", "download", "read-share-package"];

    private static bool IsPerson(string who) =>
        who.StartsWith("Practitioner/", StringComparison.Ordinal) || who.StartsWith("Patient/", StringComparison.Ordinal)
        || who.StartsWith("RelatedPerson/", StringComparison.Ordinal) || who.StartsWith("Person/", StringComparison.Ordinal)
        || who.StartsWith("Organization/", StringComparison.Ordinal);

    /// <summary>The looks that answer a parent's question: what others viewed (not refused); by default without the
    /// person's own actions and the platform's own work (names for a menu, start-up, background jobs).</summary>
    private List<AuditRow> Looked() => (_audit ?? []).Where(r => r.Status < 400 && (Looks.Contains(r.Action) || r.Action.StartsWith("history", StringComparison.Ordinal)))
        .Where(r => _auditAll || (r.Who != _me && IsPerson(r.Who))).ToList();

    /// <summary>"Annelies Bos bekeek 3 documenten en het plan, laatst op 4 december 2026 14:30." per person, and
    /// "Aanvraag Wmo werd bekeken door Annelies Bos en Peter de Groot." per item.</summary>
    private (List<string> PerPerson, List<string> PerItem) Summary()
    {
        var looked = Looked();
        var perPerson = looked.GroupBy(r => r.Who).OrderByDescending(g => g.Max(r => r.When)).Select(g =>
        {
            var what = g.Where(r => r.Resource is not null).GroupBy(r => r.Resource!.Split('/')[0]).OrderBy(t => t.Key, StringComparer.Ordinal)
                .Select(t => Things(t.Key, t.Select(r => r.Resource!).Where(x => x.Contains('/')).Distinct().Count(), t.First().Section)).ToList();
            return string.Format(CultureInfo.CurrentCulture, Text["{0} bekeek {1}, laatst op {2}."], NameOf(g.Key),
                what.Count == 0 ? Text["iets in dit dossier"] : Join(what), DateTime(g.Max(r => r.When)));
        }).ToList();
        var perItem = looked.Where(r => r.Resource?.Contains('/') == true).GroupBy(r => r.Resource!).OrderByDescending(g => g.Max(r => r.When)).Take(50)
            .Select(g => string.Format(CultureInfo.CurrentCulture, Text["{0} werd bekeken door {1}."], Capitalize(Title(g.Key)),
                Join(g.Select(r => r.Who).Distinct().Select(NameOf).ToList()))).ToList();
        return (perPerson, perItem);
    }

    private string Join(List<string> parts) => parts.Count <= 1 ? string.Concat(parts)
        : string.Join(", ", parts.Take(parts.Count - 1)) + " " + Text["en"] + " " + parts[^1];

    /// <summary>"3 documenten", "een doel", "het plan"; a list only searched, not one item opened: "het onderdeel Doelen".</summary>
    private string Things(string type, int count, string? section = null) => type switch
    {
        "CarePlan" => Text["het plan van het gezin"],
        "Patient" => Text["het profiel"],
        "Consent" => Text["de toegang"],
        _ when count == 0 => string.Format(CultureInfo.CurrentCulture, Text["het onderdeel {0}"], section is null ? Text["ander onderdeel"].Value : SectionName(section)),
        _ when count == 1 => One(type),
        _ => string.Format(CultureInfo.CurrentCulture, Many(type), count),
    };

    private string One(string type) => type switch
    {
        "DocumentReference" => Text["een document"],
        "Goal" => Text["een doel"],
        "Task" => Text["een afspraak"],
        "Observation" => Text["een meting"],
        "Communication" => Text["een bericht"],
        "Appointment" => Text["een afspraak in de agenda"],
        "QuestionnaireResponse" => Text["een vragenlijst"],
        _ => Text["een ander onderdeel"],
    };

    private string Many(string type) => type switch
    {
        "DocumentReference" => Text["{0} documenten"],
        "Goal" => Text["{0} doelen"],
        "Task" => Text["{0} afspraken"],
        "Observation" => Text["{0} metingen"],
        "Communication" => Text["{0} berichten"],
        "Appointment" => Text["{0} afspraken in de agenda"],
        "QuestionnaireResponse" => Text["{0} vragenlijsten"],
        _ => Text["{0} andere onderdelen"],
    };

    /// <summary>A record's title for a person: the item's own title where known, else what kind of thing it is.</summary>
    private string Title(string? resource, string? section = null)
    {
        if (resource is null) return "";
        if (_items.TryGetValue(resource, out var title)) return ItemTitle(title);
        var type = resource.Split('/')[0];
        return resource.Contains('/') ? Things(type, 1) : Things(type, 0, section);
    }

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpper(s[0], CultureInfo.CurrentCulture) + s[1..];

    /// <summary>"tot 12 mei 2027 14:30 (verlopen)": when a share package ends, and whether it still runs.</summary>
    private string PackageState(GrantView g) =>
        $"{Text["tot"]} {DateTime(g.Until)}" + (g.InForce ? "" : g.Status == "active" ? $" {Text["(verlopen)"]}" : $" ({Text["ingetrokken"]})");

    private static TimeSpan? ParseTime(string? value) =>
        TimeSpan.TryParseExact(value, ["hh\\:mm", "hh\\:mm\\:ss"], CultureInfo.InvariantCulture, out var t) ? t : null;

    private DateTimeOffset AtLocal(System.DateTime local) => Pgo.Shared.Text.DutchTime.FromWallClock(local, Local.Zone);

    private DateTimeOffset? ParseDate(string? value) =>
        System.DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? AtLocal(d) : null;
}
