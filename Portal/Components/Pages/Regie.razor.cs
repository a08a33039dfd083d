using Microsoft.AspNetCore.Components;
using MudBlazor;
using Pgo.Portal.Api;
using Pgo.Portal.Components.RegieParts;
using Pgo.Shared.Codes;
using Pgo.Shared.Contracts;
using FM = Hl7.Fhir.Model;

namespace Pgo.Portal.Components.Pages;

/// <summary>"Regie en 18 jaar" (/dossier/{id}/regie): the age steps with their plain explanation for whoever looks (the
/// client's or the parents' wording, by the Api's Viewer), who holds regie now (voorlopig as a warning with what to do),
/// the checklist "18 jaar" as agreements, the choice for after 18, legal representations with their court document, and
/// successors. Everything shown and allowed is the Api's (GET .../regie: CanDecide, ChecklistShared; the menu item is
/// the dossier's view-regie operation); the forms check what is obviously missing, the Api checks all again.</summary>
public partial class Regie
{
    [Inject] private RegieClient RegieApi { get; set; } = default!;
    [Inject] private NetworkClient NetworkApi { get; set; } = default!;

    private static readonly string[] CourtBases = [RegieCodes.Representation.Mentor, RegieCodes.Representation.Curator];
    private static readonly string[] WgboBasis = [RegieCodes.Representation.Wgbo];

    private RegieOverview? _overview;
    private List<RegiePerson> _people = [];
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private string? _checklistOwner;
    private readonly RegieForm _choice = new();
    private readonly RegieForm _representation = new();
    private bool _representing;
    private string? _ending;
    // Drawn again after a refused tick, so the box shows the stored state, not the click.
    private int _drawn;

    protected override async Task LoadAsync()
    {
        await RunAsync(async () =>
        {
            var overview = await RegieApi.OverviewAsync(Id);
            if (Dossier?.CanRead(DossierSections.Netwerk) == true && _people.Count == 0)
            {
                var (entries, _) = await NetworkApi.NetworkAsync(Id);
                _people = entries.Where(e => e.Member is not null && !e.Member.StartsWith("Patient/", StringComparison.Ordinal))
                    .GroupBy(e => e.Member!, StringComparer.Ordinal).Select(g => g.First())
                    .Select(e => new RegiePerson(e.Member!, e.Name, e.Role is { } r && NetworkRoles.Display.TryGetValue(r, out var role) ? Text[role] : e.RoleText))
                    .ToList();
                foreach (var p in _people) _names[p.Member] = p.Name;
            }
            // People are shown by name, never by reference: the records the overview names are looked up once.
            var references = overview.Regiehouders.Concat(overview.Representations.SelectMany(r => r.Representatives))
                .Concat(overview.Checklist.Where(i => i.OwnerName is null).Select(i => i.Owner)).Append(overview.Choice?.RecordedBy)
                .OfType<string>().Where(IsReference).Distinct(StringComparer.Ordinal).Where(r => !_names.ContainsKey(r)).ToList();
            foreach (var reference in references) _names[reference] = await DossierApi.NameAsync(reference);
            _overview = overview;
        });
    }

    /// <summary>Who can keep helping after 18 with a grant of their own (client-met-steun): the family and naasten (RelatedPerson);
    /// a professional keeps their own grant.</summary>
    private List<RegiePerson> Relatives => _people.Where(p => p.Member.StartsWith("RelatedPerson/", StringComparison.Ordinal)).ToList();

    /// <summary>The page's <see cref="PortalPage.RunAsync"/> for the parts of the screen (a refusal shows on the page).</summary>
    private Task<bool> Run(Func<Task> call) => RunAsync(call);

    private static bool IsReference(string value) => value.Split('/') is [{ Length: > 0 } type, { Length: > 0 }] && char.IsUpper(type[0]) && !value.Contains(' ', StringComparison.Ordinal);

    private string Who(string value) =>
        _names.TryGetValue(value, out var name) && name != value ? name : IsReference(value) ? Text["Iemand"] : value;

    private string Names(IEnumerable<string> people)
    {
        var names = people.Select(Who).ToList();
        return names.Count switch
        {
            0 => Text["niemand"],
            1 => names[0],
            _ => Text["{0} en {1}", string.Join(", ", names[..^1]), names[^1]],
        };
    }

    private string StateText(RegieOverview o, bool client) => o.RegieState switch
    {
        "ouders" => client ? Text["De regie ligt bij {0}, tot je 18 bent.", Names(o.Regiehouders)] : Text["De regie ligt bij {0}, tot {1} 18 jaar is.", Names(o.Regiehouders), o.Name],
        "client" => client ? Text["Je hebt zelf de regie over je dossier."] : Text["{0} heeft zelf de regie over het dossier.", o.Name],
        "vertegenwoordiger" => Text["De regie ligt bij de wettelijk vertegenwoordiger: {0}.", Names(o.Regiehouders)],
        _ => Text["De regie ligt bij {0}.", Names(o.Regiehouders)],
    };

    private string MilestoneTitle(string code) => code switch
    {
        RegieCodes.Milestones.ThreeMonths => Text["3 maanden voor 18"],
        _ => Text["{0} jaar", code],
    };

    private static bool Done(ChecklistItemView item) => item.Status is "completed";

    private string ItemTitle(ChecklistItemView item) => Text[item.Title];

    private string ItemLine(ChecklistItemView item, bool done)
    {
        var parts = new List<string> { done ? Text["Gedaan"] : Text["Open"] };
        if (!done && item.Overdue) parts.Add(Text["te laat"]);
        if ((item.OwnerName ?? (item.Owner is { } owner ? Who(owner) : null)) is { Length: > 0 } who) parts.Add(who);
        if (item.Due is { } due) parts.Add(Text["uiterlijk {0}", Day(due)]);
        return string.Join(" · ", parts);
    }

    private string PeriodText(RepresentationView r) => (r.From, r.Until) switch
    {
        ({ } from, { } until) => Text["Van {0} tot en met {1}", Day(from), Day(until)],
        ({ } from, null) => Text["Vanaf {0}", Day(from)],
        (null, { } until) => Text["Loopt tot en met {0}", Day(until)],
        _ => Text["Geen einddatum"],
    };

    private string ClientAccessText(string code) => Text[RegieCodes.ClientAccess.Display.GetValueOrDefault(code, code)];

    private async Task TickAsync(ChecklistItemView item, bool done)
    {
        var ok = await RunAsync(async () =>
        {
            var task = await DossierApi.AgreementAsync(item.TaskId);
            task.Status = done ? FM.Task.TaskStatus.Completed : FM.Task.TaskStatus.Requested;
            await DossierApi.SaveAsync(task);
        }, done ? Text["Afgevinkt."] : Text["De afspraak staat weer open."]);
        if (ok) await LoadAsync();
        else _drawn++;
    }

    private async Task StartChecklistAsync()
    {
        if (await RunAsync(() => RegieApi.StartChecklistAsync(Id, _checklistOwner), Text["De checklist staat klaar."])) await LoadAsync();
    }

    private void ChoiceChanged(string? choice)
    {
        _choice.Clear();
        _choice.Choice = choice;
    }

    /// <summary>What is obviously missing, said before anything is sent (the Api refuses the same with 422).</summary>
    private string? Missing(RegieForm form, bool needPeople)
    {
        if (form.Basis is null) return Text["Kies de soort vertegenwoordiging."];
        if (needPeople && form.People.Count == 0) return Text["Kies wie de cliënt vertegenwoordigt."];
        if (form.Basis == RegieCodes.Representation.Wgbo && string.IsNullOrWhiteSpace(form.Reason)) return Text["Schrijf op waarom de cliënt niet zelf kan beslissen."];
        if (form.Basis != RegieCodes.Representation.Wgbo && form.Document is null) return Text["Kies of voeg de beschikking van de rechtbank toe."];
        return null;
    }

    private async Task RecordChoiceAsync()
    {
        var f = _choice;
        if (f.Choice is not { } choice) return;
        var represented = choice is RegieCodes.After18.Vertegenwoordiger or RegieCodes.After18.Wgbo;
        if (represented && Missing(f, needPeople: false) is { } missing)
        {
            Snackbar.Add(missing, Severity.Warning);
            return;
        }
        var request = new RegieChoiceRequest(choice,
            Representatives: represented ? f.PeopleOrNull : null,
            Supporters: choice == RegieCodes.After18.ClientMetSteun ? f.PeopleOrNull : null,
            Basis: represented ? f.Basis : null,
            Document: represented && f.Basis != RegieCodes.Representation.Wgbo ? f.Document : null,
            Reason: f.Basis == RegieCodes.Representation.Wgbo ? f.Reason?.Trim() : null,
            From: represented ? RegieForm.DayOrNull(f.From) : null,
            Until: represented ? RegieForm.DayOrNull(f.Until) : null,
            ClientAccess: represented ? f.ClientAccess : null);
        if (await RunAsync(() => RegieApi.RecordChoiceAsync(Id, request), Text["De keuze is vastgelegd."]))
        {
            _choice.Clear();
            await LoadAsync();
        }
    }

    private async Task RecordRepresentationAsync()
    {
        var f = _representation;
        if (Missing(f, needPeople: true) is { } missing)
        {
            Snackbar.Add(missing, Severity.Warning);
            return;
        }
        var bewind = f.Basis == RegieCodes.Representation.Bewind;
        var request = new RepresentationRequest(f.Basis!, [.. f.People],
            f.Basis == RegieCodes.Representation.Wgbo ? null : f.Document,
            f.Basis == RegieCodes.Representation.Wgbo ? f.Reason?.Trim() : null,
            RegieForm.DayOrNull(f.From), RegieForm.DayOrNull(f.Until), bewind ? null : f.ClientAccess);
        if (await RunAsync(() => RegieApi.RecordRepresentationAsync(Id, request), Text["De vertegenwoordiging is vastgelegd."]))
        {
            _representation.Clear();
            _representing = false;
            await LoadAsync();
        }
    }

    private async Task EndRepresentationAsync(RepresentationView r)
    {
        if (_ending != r.ConsentId)
        {
            // Ending a court-based representation is not undone with a click: the first click asks.
            _ending = r.ConsentId;
            return;
        }
        _ending = null;
        if (await RunAsync(() => RegieApi.EndRepresentationAsync(Id, r.ConsentId), Text["De vertegenwoordiging is beëindigd."])) await LoadAsync();
    }
}
