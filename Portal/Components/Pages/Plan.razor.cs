using Pgo.Shared.Codes;
using MudBlazor;
using Pgo.Portal.Api;
using Pgo.Shared.Contracts;
using Pgo.Portal.Components.Shared;
using FM = Hl7.Fhir.Model;

namespace Pgo.Portal.Components.Pages;

/// <summary>The plan: goals per life domain (Goal under /fhir; the agreements are Sections/Agreements); add, edit, tick off.
/// A failed save keeps the text in the form; a stale edit (412) says so instead of overwriting.</summary>
public partial class Plan
{
    private List<FM.CarePlan> _plans = [];
    private List<FM.Goal> _goals = [];

    private FM.Goal? _goalEditing;
    private string? _goalText;
    private string? _goalDomain;

    private bool CanWriteGoals => Dossier?.CanWrite("doelen") == true;

    protected override async Task LoadAsync() => await RunAsync(async () =>
    {
        if (Dossier!.CanRead("plan")) _plans = await DossierApi.PlansAsync(Id);
        _goals = Dossier.CanRead("doelen") ? await DossierApi.GoalsAsync(Id) : [];
    });

    private string DomainOf(FM.Goal goal) =>
        goal.Category.SelectMany(c => c.Coding).FirstOrDefault(c => c.System == LifeDomains.System)?.Code is { } code
            ? Text[LifeDomains.Display.GetValueOrDefault(code, code)]
            : Text["Zonder levensgebied"];

    private static bool Achieved(FM.Goal goal) => goal.LifecycleStatus == FM.Goal.GoalLifecycleStatus.Completed;

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
}
