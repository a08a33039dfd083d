using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using Pgo.Portal.Api;
using Pgo.Shared.Contracts;

namespace Pgo.Portal.Components.Pages;

/// <summary>The start of a dossier for a tired parent: what changed since the last visit, what is due, the goals in
/// progress and the latest measurements, each with a link to its screen. One overview call (a section not shared is
/// null) plus the list of recent changes.</summary>
public partial class DossierHome
{
    [Inject] private IJSRuntime Js { get; set; } = default!;

    [Inject] private StandInClient RegieApi { get; set; } = default!;

    /// <summary>Who holds regie and the age steps, for whoever the Api gives view-regie; null otherwise or when it failed.</summary>
    private RegieOverview? _regie;

    /// <summary>How long an age step (12, 16) stays on the start as "it happens" (the notification tells it on the day).</summary>
    private const int AgeStepDays = 30;

    private DossierOverview? _overview;
    private IReadOnlyList<Change> _changes = [];

    // The last visit is kept in the browser's local storage, keyed by the person (sub) and the dossier: no new table
    // or schema migration on the server, nothing about the person's habits in the Api, and it survives a restart of
    // the Portal. The cost: a new phone or browser starts again with "the recent changes", which is harmless.
    private DateTimeOffset? _since;
    private bool _visitRead;
    private string? _visitFor;

    protected override async Task LoadAsync() => await RunAsync(async () =>
    {
        var overview = DossierApi.OverviewAsync(Id);
        // The timeline is ordered by each item's own date, so planned (future) appointments and agreements come first:
        // ask for enough that what happened since the last visit is in it.
        var changes = DossierApi.ChangesAsync(Id, 50);
        _overview = await overview;
        _changes = await changes;
        await LoadRegieAsync();
    });

    private async Task LoadRegieAsync()
    {
        if (Dossier?.May(DossierOps.ViewRegie) != true) { _regie = null; return; }
        // A card and a warning, not the page: when the regie overview cannot be read the start shows as before.
        try { _regie = await RegieApi.RegieAsync(Id); }
        catch (ApiException) { _regie = null; }
    }

    /// <summary>The 12 or 16 step when it happened in the last <see cref="AgeStepDays"/> days (on the person's calendar):
    /// the client's own access and co-consent, explained in words for the viewer.</summary>
    private RegieMilestone? AgeStep()
    {
        if (_regie is null) return null;
        var today = Local.Today(Clock);
        return _regie.Milestones.Where(m => m.Code is Pgo.Shared.Codes.RegieCodes.Milestones.Twelve or Pgo.Shared.Codes.RegieCodes.Milestones.Sixteen && m.Passed)
            .Where(m => DateOnly.TryParseExact(m.Day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                && day <= today && day > today.AddDays(-AgeStepDays))
            .LastOrDefault();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // After the first load: the page renders while it still loads, and the visit must not be marked read before the changes are there.
        if (Dossier is null || _overview?.PatientId != Id || _visitFor == Id) return;
        _visitFor = Id;
        var user = await Session.UserAsync();
        var key = $"pgo:laatste-bezoek:{user.FindFirst("sub")?.Value ?? user.FindFirst("fhirUser")?.Value}:{Id}";
        try
        {
            var before = await Js.InvokeAsync<string?>("localStorage.getItem", key);
            _since = DateTimeOffset.TryParse(before, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null;
            await Js.InvokeVoidAsync("localStorage.setItem", key, Clock.GetUtcNow().ToString("o", CultureInfo.InvariantCulture));
        }
        catch (JSException) { _since = null; } // storage blocked (private mode): show the recent changes
        _visitRead = true;
        StateHasChanged();
    }

    /// <summary>The first visit (or before the browser answered) shows the recent changes; later visits only what is newer.</summary>
    private IReadOnlyList<Change> NewChanges => (_since is { } since ? _changes.Where(c => c.When > since) : _changes).Take(10).ToList();

    private string SinceText() => _since is { } since
        ? string.Format(CultureInfo.CurrentCulture, Text["Sinds uw vorige bezoek op {0}."], DateTime(since))
        : Text["Dit is er het laatst gebeurd."];

    /// <summary>Open agreements that are overdue or due within two weeks, the overdue ones first.</summary>
    private IReadOnlyList<AgreementView> Due => (_overview?.OpenAgreements ?? [])
        .Where(a => a.Overdue || a.DaysLeft is <= 14)
        .OrderByDescending(a => a.Overdue).ThenBy(a => a.Due, StringComparer.Ordinal).ToList();

    private IReadOnlyList<AppointmentView> Upcoming => (_overview?.UpcomingAppointments ?? []).Take(3).ToList();

    private string DueText(AgreementView a)
    {
        var who = a.OwnerName is { } o ? $"{o} · " : "";
        var date = Day(a.Due);
        return a.Overdue
            ? $"{who}{Text["te laat, was"]} {date}"
            : $"{who}{Text["uiterlijk"]} {date}";
    }

    private static bool InProgress(GoalView g) => g.Status is "active" or "accepted" or "planned" or "proposed";

    private string MeasurementText(MeasurementView m)
    {
        var last = m.Moments[^1];
        if (m.Moments.Length < 2) return $"{last.Moment} · {Date(Parse(last.Authored))}";
        var before = m.Moments[^2];
        return string.Format(CultureInfo.CurrentCulture, Text["bij de {0}; was {1} bij de {2}"], last.Moment, before.Score, before.Moment);
    }

    /// <summary>The change's title as text (a note's Markdown without its syntax); a filled-in questionnaire has its own title.</summary>
    private string ChangeTitle(Change c)
    {
        if (c.Section == "metingen" && c.Title.Length == 0)
        {
            var responseId = c.Reference.Split('/')[^1];
            return _overview?.Measurements?.FirstOrDefault(m => m.Moments.Any(x => x.ResponseId == responseId)) is { } m
                ? $"{Text[m.Title]} ({Text["ingevuld"]})" : Text["Vragenlijst ingevuld"];
        }
        return Shared.MarkdownText.Plain(c.Title, 80);
    }

    private static string SectionIcon(string section) => section switch
    {
        "doelen" => Icons.Material.Filled.TrackChanges,
        "afspraken" => Icons.Material.Filled.Flag,
        "agenda" => Icons.Material.Filled.Event,
        "berichten" => Icons.Material.Filled.Mail,
        "metingen" => Icons.Material.Filled.ShowChart,
        "logboek" => Icons.Material.Filled.EditNote,
        _ => Icons.Material.Filled.Description,
    };

    private static DateTimeOffset? Parse(string? when) =>
        DateTimeOffset.TryParse(when, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var w) ? w : null;

    private string WhatYouMay()
    {
        if (Dossier!.May(DossierOps.ManageAccess)) return Text["U heeft de regie over dit dossier: u ziet alles en bepaalt wie wat ziet."];
        var read = string.Join(", ", Dossier.ReadSections.Select(SectionName));
        return Dossier.ReadSections.Length == 0
            ? Text["U ziet alleen de stukken die met u gedeeld zijn."]
            : string.Format(CultureInfo.CurrentCulture, Text["U ziet: {0}."], read);
    }
}
