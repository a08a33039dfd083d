using System.Globalization;
using MudBlazor;
using Pgo.Portal.Api;
using Pgo.Shared.Contracts;

namespace Pgo.Portal.Components.Pages;

/// <summary>A supporter's time registration: register time per family per activity, see this week or month with the
/// totals per family and per activity (/api/time, /api/dossiers/{id}/time). A refused save keeps the form as typed.</summary>
public partial class Time
{
    /// <summary>The 18 activities of a specialised client supporter (the Api's CodeSystem ondersteuningsactiviteit); their
    /// Dutch names are the localizer's keys, so English comes from Texts.en.resx.</summary>
    private IReadOnlyList<(string Code, string Name)> _activities = [];

    private IReadOnlyList<Dossier> _dossiers = [];
    private List<Dossier> _writable = [];
    private TimeSheet? _sheet;
    private string _period = "week";

    private string? _family;
    private string? _activity;
    private string? _date;
    private int? _minutes;
    private string? _note;

    protected override async Task OnInitializedAsync()
    {
        _date = Today(Clock).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await RunAsync(async () =>
        {
            _dossiers = await Session.DossiersAsync();
            _activities = await TimeApi.SupporterActivitiesAsync();
            _writable = _dossiers.Where(d => d.May(DossierOps.RegisterTime)).ToList();
            if (_writable.Count == 1) _family = _writable[0].Id;
        });
        await LoadAsync();
    }

    private async Task PeriodChangedAsync(string period)
    {
        _period = period;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var (from, to) = Range();
        await RunAsync(async () => _sheet = await TimeApi.TimeSheetAsync(from, to));
    }

    private (DateOnly From, DateOnly To) Range()
    {
        var today = Today(Clock);
        var from = _period == "maand" ? new DateOnly(today.Year, today.Month, 1) : today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        return (from, today);
    }

    private string PeriodText => Range() is var (from, to) ? $"{DayText(from)} – {DayText(to)}" : "";

    private async Task SaveAsync()
    {
        if (_family is null || _activity is null || _minutes is not > 0 || string.IsNullOrWhiteSpace(_date))
        {
            Snackbar.Add(Text["Kies een gezin en een activiteit, en vul de datum en het aantal minuten in."], Severity.Warning);
            return;
        }
        var request = new TimeRequest(_activity, _date, _minutes.Value, string.IsNullOrWhiteSpace(_note) ? null : _note.Trim());
        if (await RunAsync(() => TimeApi.RegisterTimeAsync(_family, request), Text["De tijd is geregistreerd."]))
        {
            // Only a saved registration clears the form; the family and date stay for the next one.
            _activity = null;
            _minutes = null;
            _note = null;
            await LoadAsync();
        }
    }

    private string FamilyName(string patientId) => _dossiers.FirstOrDefault(d => d.Id == patientId)?.Name ?? patientId;


    private static string Hours(int minutes) => $"{minutes / 60}:{minutes % 60:00}";

    private string DayText(string date) => Day(date);

    private static string DayText(DateOnly d) => Pgo.Portal.Hosting.LocalTime.Day(d);

    /// <summary>Today in the Netherlands, as the Api's rule counts it (no registration in the future).</summary>
    public static DateOnly Today(TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Pgo.Portal.Hosting.LocalTime.Amsterdam).DateTime);
    }
}
