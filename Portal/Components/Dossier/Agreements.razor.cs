using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Pgo.Portal.Api;
using Pgo.Portal.Components.Shared;
using Pgo.Portal.Live;
using Pgo.Shared.Contracts;
using FM = Hl7.Fhir.Model;

namespace Pgo.Portal.Components.Sections;

/// <summary>The agreements of one dossier (Task under /fhir): add, change (what, who, by when, goal), tick off.
/// Which agreements are open or late is the Api's rule (the overview's lists); who can be chosen as owner is the
/// overview's network, which the Api reads as the person (a null network: not shared, only the family or a name).</summary>
public partial class Agreements
{
    /// <summary>The open dossier as the person may see it (read and write sections decide what shows).</summary>
    [Parameter, EditorRequired] public Dossier Dossier { get; set; } = default!;

    [Inject] private DossierClient DossierApi { get; set; } = default!;
    [Inject] private DossierFeed Feed { get; set; } = default!;

    /// <summary>The owner choice "someone else": only a name is written.</summary>
    private const string OtherName = "naam";

    private List<FM.Task> _tasks = [];
    private List<FM.Goal> _goals = [];
    private NetworkMember[]? _network;
    private string? _clientName;
    private HashSet<string> _open = new(StringComparer.Ordinal);
    private HashSet<string> _overdue = new(StringComparer.Ordinal);
    private bool _loaded;
    private string? _loadedFor;
    private bool _following;
    private string? _me;
    // Raised when a tick is refused: the checkboxes are drawn anew from the stored state.
    private int _drawn;

    private FM.Task? _editing;
    private string? _text;
    private string? _owner;
    private string? _ownerName;
    private string? _due;
    private string? _goal;

    private bool CanWrite => Dossier.CanWrite("afspraken");

    private string PatientId => Dossier.Id;

    private IEnumerable<FM.Task> Ordered => _tasks.OrderBy(t => !IsOpen(t)).ThenBy(t => DueOf(t) ?? DateTimeOffset.MaxValue).ThenBy(t => t.Id, StringComparer.Ordinal);

    /// <summary>Who can take on an agreement: the family itself, then the network (members with a record by reference,
    /// members known only by name as that name).</summary>
    private IEnumerable<(string Key, string Label, FM.ResourceReference Reference)> OwnerChoices
    {
        get
        {
            var family = Text["Het gezin zelf"].Value;
            yield return ($"Patient/{PatientId}", _clientName is null ? family : $"{family} ({_clientName})", new FM.ResourceReference($"Patient/{PatientId}", family));
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var m in _network ?? [])
            {
                var key = m.Member ?? $"{OtherName}:{m.Name}";
                if (string.IsNullOrWhiteSpace(m.Name) || !seen.Add(key)) continue;
                // The organisation, or a short role ("Grootouder"); the long role names would crowd a phone's list.
                var extra = m.Organization is { Length: > 0 } org ? org : m.RoleDisplay is { Length: > 0 and <= 24 } role ? Text[role].Value : null;
                var label = extra is null ? m.Name : $"{m.Name} ({extra})";
                yield return (key, label, m.Member is null ? new FM.ResourceReference { Display = m.Name } : new FM.ResourceReference(m.Member, m.Name));
            }
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        // The page hands a new Dossier on every render of the layout: load again only for another dossier (then the
        // form starts empty) or when what the person may see or change here differs (their access changed).
        var key = $"{Dossier.Id}|{string.Join(",", Dossier.ReadSections.Order(StringComparer.Ordinal))}|{string.Join(",", Dossier.WriteSections.Order(StringComparer.Ordinal))}";
        if (key == _loadedFor) return;
        if (_loadedFor?.StartsWith(Dossier.Id + "|", StringComparison.Ordinal) != true) Reset();
        _loadedFor = key;
        await LoadAsync();
        await FollowAsync();
    }

    private async Task LoadAsync()
    {
        if (!Dossier.CanRead("afspraken")) return;
        await RunAsync(async () =>
        {
            var overview = await DossierApi.OverviewAsync(PatientId);
            _tasks = await DossierApi.AgreementsAsync(PatientId);
            _goals = Dossier.CanRead("doelen") ? await DossierApi.GoalsAsync(PatientId) : [];
            _open = (overview.OpenAgreements ?? []).Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
            _overdue = (overview.OverdueAgreements ?? []).Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
            _network = overview.Network;
            _clientName = overview.Client?.Name;
        });
        _loaded = true;
    }

    /// <summary>Someone else changed an agreement or the network: load again (the page shows who did it).</summary>
    private async Task FollowAsync()
    {
        if (_following) return;
        _me = (await Session.UserAsync()).FindFirst("fhirUser")?.Value;
        Feed.Changed += OnChangedAsync;
        _following = true;
    }

    private Task OnChangedAsync(LiveChange change) => InvokeAsync(async () =>
    {
        if (change.PatientId != PatientId || change.Who == _me || change.Section is not ("afspraken" or "netwerk" or "doelen")) return;
        await LoadAsync();
        StateHasChanged();
    });

    private bool IsOpen(FM.Task task) => task.Id is { } id && _open.Contains(id);

    private bool IsOverdue(FM.Task task) => task.Id is { } id && _overdue.Contains(id);

    /// <summary>The due date as written (a date or a date and time), for ordering only.</summary>
    private static DateTimeOffset? DueOf(FM.Task task) =>
        DateTimeOffset.TryParse(task.Restriction?.Period?.End, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var due) ? due : null;

    private string OwnerName(FM.Task task)
    {
        if (task.Owner is not { } owner) return "";
        if (owner.Reference == $"Patient/{PatientId}") return Text["Het gezin zelf"];
        if (owner.Reference is { } r && _network?.FirstOrDefault(m => m.Member == r) is { } member) return member.Name;
        return owner.Display ?? "";
    }

    private string TaskText(FM.Task task)
    {
        var parts = new List<string> { task.Description ?? "" };
        if (OwnerName(task) is { Length: > 0 } who) parts.Add(who);
        if (task.Restriction?.Period?.End is { Length: > 0 } due) parts.Add($"{Text["uiterlijk"]} {Day(due)}");
        return string.Join(" · ", parts);
    }

    private void Edit(FM.Task task)
    {
        _editing = task;
        _text = task.Description;
        _due = task.Restriction?.Period?.End is { Length: >= 10 } end ? end[..10] : null;
        _goal = task.Focus?.Reference is { } focus && focus.StartsWith("Goal/", StringComparison.Ordinal) ? focus["Goal/".Length..] : null;
        var reference = task.Owner?.Reference;
        var known = OwnerChoices.FirstOrDefault(c => reference is not null ? c.Key == reference : c.Key == $"{OtherName}:{task.Owner?.Display}");
        if (known.Key is not null) { _owner = known.Key; _ownerName = null; }
        else { _owner = OtherName; _ownerName = task.Owner?.Display; }
    }

    private void Reset()
    {
        _editing = null;
        _text = _ownerName = _due = _goal = null;
        _owner = null;
    }

    private FM.ResourceReference? ChosenOwner()
    {
        if (_owner == OtherName) return string.IsNullOrWhiteSpace(_ownerName) ? null : new FM.ResourceReference { Display = _ownerName.Trim() };
        return OwnerChoices.FirstOrDefault(c => c.Key == _owner).Reference;
    }

    private async Task SaveAsync()
    {
        if (string.IsNullOrWhiteSpace(_text))
        {
            Snackbar.Add(Text["Schrijf eerst op wat er moet gebeuren."], Severity.Warning);
            return;
        }
        if (ChosenOwner() is not { } owner)
        {
            Snackbar.Add(Text["Kies wie het doet."], Severity.Warning);
            return;
        }
        var task = _editing is null
            ? new FM.Task
            {
                Status = FM.Task.TaskStatus.Requested,
                Intent = FM.Task.TaskIntent.Plan,
                For = new FM.ResourceReference($"Patient/{PatientId}"),
                AuthoredOn = Clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
            }
            : FM.BaseExtensions.DeepCopy(_editing);
        task.Description = _text.Trim();
        task.Owner = owner;
        var period = task.Restriction?.Period;
        if (string.IsNullOrWhiteSpace(_due))
        {
            if (period is not null) period.End = null;
        }
        else
        {
            task.Restriction ??= new FM.Task.RestrictionComponent();
            task.Restriction.Period ??= new FM.Period();
            task.Restriction.Period.End = _due;
        }
        task.Focus = _goal is null ? (task.Focus?.Reference?.StartsWith("Goal/", StringComparison.Ordinal) == true ? null : task.Focus) : new FM.ResourceReference($"Goal/{_goal}");
        if (await RunAsync(() => DossierApi.SaveAsync(task), Text["De afspraak is opgeslagen."]))
        {
            Reset();
            await LoadAsync();
        }
    }

    private async Task TickAsync(FM.Task task, bool done)
    {
        var copy = FM.BaseExtensions.DeepCopy(task);
        copy.Status = done ? FM.Task.TaskStatus.Completed : FM.Task.TaskStatus.Requested;
        if (await RunAsync(() => DossierApi.SaveAsync(copy), done ? Text["Afgevinkt."] : Text["De afspraak staat weer open."])) await LoadAsync();
        else _drawn++;
    }

    public ValueTask DisposeAsync()
    {
        if (_following) Feed.Changed -= OnChangedAsync;
        _following = false;
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
