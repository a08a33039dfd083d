using Pgo.Shared.Codes;
using System.Globalization;
using MudBlazor;
using Pgo.Portal.Api;
using Pgo.Shared.Contracts;
using Pgo.Portal.Components.Shared;
using FM = Hl7.Fhir.Model;

namespace Pgo.Portal.Components.Pages;

/// <summary>The plan: the plan itself and goals per life domain (Plan.Goals.cs), agreements (Task under /fhir); add, edit, tick off.
/// A failed save keeps the text in the form; a stale edit (412) says so instead of overwriting.</summary>
public partial class Plan
{
    private List<FM.Goal> _goals = [];
    private List<FM.Task> _tasks = [];
    // Which agreements are open and which are late is the Api's rule (the overview's lists), not the Portal's.
    private HashSet<string> _open = new(StringComparer.Ordinal);
    private HashSet<string> _overdue = new(StringComparer.Ordinal);

    private string? _taskText;
    private string? _taskWho;
    private string? _taskDue;
    private string? _taskGoal;

    private bool CanWriteTasks => Dossier?.CanWrite("afspraken") == true;

    protected override async Task LoadAsync() => await RunAsync(async () =>
    {
        if (Dossier is null) return;
        await LoadPlanAndGoalsAsync();
        _tasks = Dossier.CanRead("afspraken") ? await DossierApi.AgreementsAsync(Id) : [];
        if (Dossier.CanRead("afspraken"))
        {
            var overview = await DossierApi.OverviewAsync(Id);
            _open = (overview.OpenAgreements ?? []).Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
            _overdue = (overview.OverdueAgreements ?? []).Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        }
    });

    private bool IsOpen(FM.Task task) => task.Id is { } id && _open.Contains(id);

    private bool IsOverdue(FM.Task task) => task.Id is { } id && _overdue.Contains(id);

    /// <summary>The due date as written (a date or a date and time), for display and ordering only.</summary>
    private static DateTimeOffset? DueOf(FM.Task task) =>
        DateTimeOffset.TryParse(task.Restriction?.Period?.End, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var due) ? due : null;

    private string TaskText(FM.Task task)
    {
        var parts = new List<string> { task.Description ?? "" };
        if (task.Owner?.Display is { } who) parts.Add(who);
        if (DueOf(task) is { } due) parts.Add($"{Text["uiterlijk"]} {Date(due)}");
        return string.Join(" · ", parts);
    }

    private async Task SaveTaskAsync()
    {
        if (string.IsNullOrWhiteSpace(_taskText))
        {
            Snackbar.Add(Text["Schrijf eerst op wat er moet gebeuren."], Severity.Warning);
            return;
        }
        var task = new FM.Task
        {
            Status = FM.Task.TaskStatus.Requested,
            Intent = FM.Task.TaskIntent.Plan,
            Description = _taskText.Trim(),
            For = new FM.ResourceReference($"Patient/{Id}"),
            AuthoredOn = Clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
        };
        if (!string.IsNullOrWhiteSpace(_taskWho)) task.Owner = new FM.ResourceReference { Display = _taskWho.Trim() };
        if (!string.IsNullOrWhiteSpace(_taskDue)) task.Restriction = new FM.Task.RestrictionComponent { Period = new FM.Period { End = _taskDue } };
        if (_taskGoal is not null) task.Focus = new FM.ResourceReference($"Goal/{_taskGoal}");
        if (await RunAsync(() => DossierApi.SaveAsync(task), Text["De afspraak is opgeslagen."]))
        {
            _taskText = _taskWho = _taskDue = _taskGoal = null;
            await LoadAsync();
        }
    }

    private async Task TickTaskAsync(FM.Task task, bool done)
    {
        var copy = FM.BaseExtensions.DeepCopy(task);
        copy.Status = done ? FM.Task.TaskStatus.Completed : FM.Task.TaskStatus.Requested;
        if (await RunAsync(() => DossierApi.SaveAsync(copy), done ? Text["Afgevinkt."] : Text["De afspraak staat weer open."])) await LoadAsync();
    }
}
