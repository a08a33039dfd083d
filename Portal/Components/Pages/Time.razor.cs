using System.Globalization;
using MudBlazor;
using Pgo.Portal.Api;
using Pgo.Portal.Hosting;
using Pgo.Shared.Contracts;

namespace Pgo.Portal.Components.Pages;

/// <summary>
/// Time (issue 20). A supporter's own practice: register time for a family or outside one, see the week, month or last
/// three months with totals per family and per activity, change an own entry while the Api still allows it (the
/// "Wijzigen" button shows only then), afterwards "Corrigeren" with a reason, and download a month as CSV (/api/time).
/// A family (whoever reads section tijd of a dossier without registering time there) sees the time spent on them,
/// read-only, with no edit controls (/api/dossiers/{id}/time). A refused save keeps the form as typed.
/// </summary>
public partial class Time
{
    /// <summary>The family select's value for time outside a family.</summary>
    private const string Outside = "buiten-een-gezin";

    /// <summary>The activities (the 18 with a family and those outside one); their Dutch names are the localizer's keys.</summary>
    private IReadOnlyList<TimeActivity> _activities = [];

    private IReadOnlyList<Dossier> _dossiers = [];
    private List<Dossier> _writable = [];
    private List<Dossier> _familyViews = [];
    private readonly Dictionary<string, TimeSheet> _familySheets = new(StringComparer.Ordinal);
    private bool _supporter;
    private TimeSheet? _sheet;
    private TeamTimeTotal[]? _team;
    private string _period = "week";

    private string? _family;
    private string? _activity;
    private string? _date;
    private int? _minutes;
    private string? _note;

    private TimeEntry? _editing;
    private string? _editActivity;
    private string? _editDate;
    private int? _editMinutes;
    private string? _editNote;

    private TimeEntry? _correcting;
    private int? _correctMinutes;
    private string? _correctReason;

    private string _csvMonth = "";

    protected override async Task OnInitializedAsync()
    {
        var today = Today(Clock);
        _date = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        _csvMonth = today.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        await RunAsync(async () =>
        {
            var user = await Session.UserAsync();
            _dossiers = await Session.DossiersAsync();
            _writable = _dossiers.Where(d => d.May(DossierOps.RegisterTime)).ToList();
            _supporter = user.IsInRole(PortalRoles.Supporter) || _writable.Count > 0;
            // The family's view: dossiers whose time the person reads but does not register (the supporters' own is above).
            _familyViews = _dossiers.Where(d => d.ReadSections.Contains("tijd") && !d.May(DossierOps.RegisterTime)).ToList();
            if (_supporter) _activities = await TimeApi.ActivitiesAsync();
            if (_writable.Count == 1) _family = _writable[0].Id;
            else if (_writable.Count == 0) _family = Outside;
        });
        await LoadAsync();
    }

    private IEnumerable<TimeActivity> ActivitiesForForm => _activities.Where(a => a.OutsideFamily == (_family == Outside));

    private void FamilyChanged(string family)
    {
        _family = family;
        if (_activity is not null && !ActivitiesForForm.Any(a => a.Code == _activity)) _activity = null;
    }

    private async Task PeriodChangedAsync(string period)
    {
        _period = period;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var (from, to) = Range();
        await RunAsync(async () =>
        {
            if (_supporter)
            {
                _sheet = await TimeApi.TimeSheetAsync(from, to);
                // A coach also sees the totals of their team's members (no families, no notes); null for others.
                _team = await TimeApi.TeamTotalsAsync(from, to);
            }
            foreach (var d in _familyViews) _familySheets[d.Id] = await TimeApi.DossierTimeAsync(d.Id, from, to);
        });
    }

    private (DateOnly From, DateOnly To) Range()
    {
        var today = Today(Clock);
        var from = _period switch
        {
            "maand" => new DateOnly(today.Year, today.Month, 1),
            "kwartaal" => today.AddMonths(-3),
            _ => today.AddDays(-(((int)today.DayOfWeek + 6) % 7)),
        };
        return (from, today);
    }

    private string PeriodText => Range() is var (from, to) ? $"{DayText(from)} – {DayText(to)}" : "";

    /// <summary>The last twelve months for the CSV download, newest first, as "december 2026".</summary>
    private IEnumerable<(string Month, string Name)> Months
    {
        get
        {
            var today = Today(Clock);
            var culture = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? CultureInfo.GetCultureInfo("en-GB") : CultureInfo.GetCultureInfo("nl-NL");
            for (var i = 0; i < 12; i++)
            {
                var m = new DateOnly(today.Year, today.Month, 1).AddMonths(-i);
                yield return (m.ToString("yyyy-MM", CultureInfo.InvariantCulture), m.ToString("MMMM yyyy", culture));
            }
        }
    }

    private async Task SaveAsync()
    {
        if (_family is null || _activity is null || _minutes is not > 0 || string.IsNullOrWhiteSpace(_date))
        {
            Snackbar.Add(Text["Kies een gezin en een activiteit, en vul de datum en het aantal minuten in."], Severity.Warning);
            return;
        }
        var request = new TimeRequest(_activity, _date, _minutes.Value, string.IsNullOrWhiteSpace(_note) ? null : _note.Trim(), _family == Outside ? null : _family);
        if (await RunAsync(() => TimeApi.RegisterTimeAsync(request), Text["De tijd is geregistreerd."]))
        {
            // Only a saved registration clears the form; the family and date stay for the next one.
            _activity = null;
            _minutes = null;
            _note = null;
            await LoadAsync();
        }
    }

    private void StartEdit(TimeEntry e)
    {
        _correcting = null;
        _editing = e;
        _editActivity = e.Activity;
        _editDate = e.Date;
        _editMinutes = e.Minutes;
        _editNote = e.Note;
    }

    private async Task SaveEditAsync()
    {
        if (_editing is not { } e || _editActivity is null || _editMinutes is not > 0 || string.IsNullOrWhiteSpace(_editDate))
        {
            Snackbar.Add(Text["Kies een activiteit, en vul de datum en het aantal minuten in."], Severity.Warning);
            return;
        }
        var edit = new TimeEdit(_editActivity, _editDate, _editMinutes.Value, string.IsNullOrWhiteSpace(_editNote) ? null : _editNote.Trim());
        if (await RunAsync(() => TimeApi.EditAsync(e.Id, edit), Text["De registratie is gewijzigd."]))
        {
            _editing = null;
            await LoadAsync();
        }
    }

    private void StartCorrection(TimeEntry e)
    {
        _editing = null;
        _correcting = e;
        _correctMinutes = null;
        _correctReason = null;
    }

    private async Task SaveCorrectionAsync()
    {
        if (_correcting is not { } e || _correctMinutes is null or 0 || string.IsNullOrWhiteSpace(_correctReason))
        {
            Snackbar.Add(Text["Vul de minuten erbij of eraf in en de reden van de correctie."], Severity.Warning);
            return;
        }
        var correction = new TimeCorrection(_correctMinutes.Value, _correctReason.Trim());
        if (await RunAsync(() => TimeApi.CorrectAsync(e.Id, correction), Text["De correctie is opgeslagen."]))
        {
            _correcting = null;
            await LoadAsync();
        }
    }

    private string FamilyName(string? patientId) => patientId is null ? "" : _dossiers.FirstOrDefault(d => d.Id == patientId)?.Name ?? "";

    /// <summary>A correction shows its sign ("-15"); an original with corrections shows what is left ("120 → 90").</summary>
    private static string MinutesText(TimeEntry e) =>
        e.Corrects is not null ? (e.Minutes > 0 ? "+" : "") + e.Minutes.ToString(CultureInfo.InvariantCulture)
        : e.CorrectedMinutes is { } left && left != e.Minutes ? $"{e.Minutes} → {left}" : e.Minutes.ToString(CultureInfo.InvariantCulture);

    private string EntryNote(TimeEntry e) =>
        e.Corrects is null ? e.Note ?? "" : Text["Correctie: {0}", e.Reason ?? ""] + (e.Note is { } n ? $" ({n})" : "");

    private string MonthName(string month) =>
        DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d.ToString("MMMM yyyy", CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? CultureInfo.GetCultureInfo("en-GB") : CultureInfo.GetCultureInfo("nl-NL"))
            : month;

    private static string Hours(int minutes) => $"{minutes / 60}:{minutes % 60:00}";

    private string DayText(string date) => Day(date);

    private static string DayText(DateOnly d) => LocalTime.Day(d);

    /// <summary>Today in the Netherlands, as the Api's rule counts it (no registration in the future).</summary>
    public static DateOnly Today(TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, LocalTime.Amsterdam).DateTime);
    }
}
