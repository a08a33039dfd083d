using Pgo.Shared.Codes;
using System.Globalization;
using MudBlazor;
using Pgo.Portal.Api;
using Pgo.Shared.Contracts;
using Pgo.Portal.Components.Shared;
using FM = Hl7.Fhir.Model;

namespace Pgo.Portal.Components.Pages;

/// <summary>The plan: goals per life domain and agreements (Goal and Task under /fhir); add, edit, tick off.
/// A failed save keeps the text in the form; a stale edit (412) says so instead of overwriting.</summary>
public partial class Plan
{
    private List<FM.CarePlan> _plans = [];
    private List<FM.Goal> _goals = [];
    private List<FM.Task> _tasks = [];
    // Which agreements are open and which are late is the Api's rule (the overview's lists), not the Portal's.
    private HashSet<string> _open = new(StringComparer.Ordinal);
    private HashSet<string> _overdue = new(StringComparer.Ordinal);

    private FM.Goal? _goalEditing;
    private string? _goalText;
    private string? _goalDomain;

    private string? _taskText;
    private string? _taskWho;
    private string? _taskDue;
    private string? _taskGoal;

    private bool CanWriteGoals => Dossier?.CanWrite("doelen") == true;
    private bool CanWriteTasks => Dossier?.CanWrite("afspraken") == true;

    protected override async Task LoadAsync() => await RunAsync(async () =>
    {
        if (Dossier!.CanRead("plan")) _plans = await DossierApi.PlansAsync(Id);
        _goals = Dossier.CanRead("doelen") ? await DossierApi.GoalsAsync(Id) : [];
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

    private string DomainOf(FM.Goal goal) =>
        goal.Category.SelectMany(c => c.Coding).FirstOrDefault(c => c.System == LifeDomains.System)?.Code is { } code
            ? Text[LifeDomains.Display.GetValueOrDefault(code, code)]
            : Text["Zonder levensgebied"];

    private static bool Achieved(FM.Goal goal) => goal.LifecycleStatus == FM.Goal.GoalLifecycleStatus.Completed;

    private string TaskText(FM.Task task)
    {
        var parts = new List<string> { task.Description ?? "" };
        if (task.Owner?.Display is { } who) parts.Add(who);
        if (DueOf(task) is { } due) parts.Add($"{Text["uiterlijk"]} {Date(due)}");
        return string.Join(" · ", parts);
    }

    private void EditGoal(FM.Goal goal)
    {
        _goalEditing = goal;
        _goalText = goal.Description?.Text;
        _goalDomain = goal.Category.SelectMany(c => c.Coding).FirstOrDefault(c => c.System == LifeDomains.System)?.Code;
    }

    private void ResetGoal()
    {
        _goalEditing = null;
        _goalText = null;
        _goalDomain = null;
    }

    private async Task SaveGoalAsync()
    {
        if (string.IsNullOrWhiteSpace(_goalText))
        {
            Snackbar.Add(Text["Schrijf eerst het doel op."], Severity.Warning);
            return;
        }
        var goal = (_goalEditing is null ? null : FM.BaseExtensions.DeepCopy(_goalEditing)) ?? new FM.Goal
        {
            LifecycleStatus = FM.Goal.GoalLifecycleStatus.Active,
            Subject = new FM.ResourceReference($"Patient/{Id}"),
        };
        goal.Description = new FM.CodeableConcept { Text = _goalText.Trim() };
        goal.Category.RemoveAll(c => c.Coding.Any(x => x.System == LifeDomains.System));
        if (_goalDomain is not null)
            goal.Category.Add(new FM.CodeableConcept(LifeDomains.System, _goalDomain, LifeDomains.Display[_goalDomain], null));
        if (await RunAsync(() => DossierApi.SaveAsync(goal), Text["Het doel is opgeslagen."]))
        {
            ResetGoal();
            await LoadAsync();
        }
    }

    private async Task TickGoalAsync(FM.Goal goal, bool achieved)
    {
        var copy = FM.BaseExtensions.DeepCopy(goal);
        copy.LifecycleStatus = achieved ? FM.Goal.GoalLifecycleStatus.Completed : FM.Goal.GoalLifecycleStatus.Active;
        copy.AchievementStatus = achieved ? new FM.CodeableConcept("http://terminology.hl7.org/CodeSystem/goal-achievement", "achieved", "Bereikt", null) : null;
        if (await RunAsync(() => DossierApi.SaveAsync(copy), achieved ? Text["Doel bereikt. Mooi!"] : Text["Het doel staat weer open."])) await LoadAsync();
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
