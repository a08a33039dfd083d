using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Pgo.Shared.Codes;
using Pgo.Shared.Contracts;
using Pgo.Shared.Mapping;
using Pgo.Shared.Text;
using FM = Hl7.Fhir.Model;

namespace Pgo.Portal.Components.Pages;

/// <summary>The plan itself (CarePlan: text, who made it, intensity, evaluations; start, edit, evaluate, close), the
/// waakvlam-plan with its contact rhythm, and the goals per life domain (firm goals, loose verwachtingen, goals about a
/// naaste, progress notes, their agreements). Shown through the same mapping the Api's overview uses
/// (<see cref="PlanMapping"/>) and written with it, so what is written here reads back the same everywhere.</summary>
public partial class Plan
{
    private static readonly MarkdownRenderer Markdown = new();
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    private List<FM.CarePlan> _plans = [];
    private List<FM.Task> _goalAgreements = [];
    private List<(string Id, string Name)> _naasten = [];
    private IReadOnlySet<string> _follows = new HashSet<string>();

    [Inject] private Pgo.Portal.Api.NotificationClient Notifications { get; set; } = default!;

    // Whoever manages access hears of every change to the plan and goals anyway (Api/Notifications/Rules): no toggle for them.
    private bool CanFollow => CanReadGoals && Dossier?.May(DossierOps.ManageAccess) == false;

    private bool CanReadPlan => Dossier?.CanRead(DossierSections.Plan) == true;
    private bool CanWritePlan => Dossier?.CanWrite(DossierSections.Plan) == true;
    private bool CanReadGoals => Dossier?.CanRead(DossierSections.Doelen) == true;
    private bool CanWriteGoals => Dossier?.CanWrite(DossierSections.Doelen) == true;

    private enum PlanForm { None, New, Edit, Evaluate, Close, NewWaakvlam }

    private PlanForm _planForm;
    private FM.CarePlan? _planTarget;
    private string? _planTitle;
    private string? _planText;
    private string? _planIntensity;
    private string? _planNext;
    private string? _planRhythm;

    /// <summary>The recorded intensity (null while no change of intensity is on record: then the plan form sets it).</summary>
    private IntensityStatus? _recordedIntensity;
    private string? _evaluationText;

    private FM.Goal? _goalEditing;
    private string? _goalText;
    private string? _goalDomain;
    private string _goalKind = GoalKinds.Doel;
    private string? _goalConcerns;
    private string? _goalDue;
    private string? _progressGoal;
    private string? _progressText;

    private async Task LoadPlanAndGoalsAsync()
    {
        _plans = CanReadPlan ? await DossierApi.PlansAsync(Id) : [];
        // Once a change of intensity is on record (issue 20), the history is where intensity changes: the plan form shows it
        // and keeps it, so a plan edit never changes the intensity without who, when and why.
        _recordedIntensity = CanReadPlan && await DossierApi.IntensityAsync(Id) is { History.Length: > 0 } overview ? overview.Status : null;
        _goals = CanReadGoals ? await DossierApi.GoalsAsync(Id) : [];
        _follows = CanFollow ? await Notifications.FollowsAsync(Id) : new HashSet<string>();
        _goalDossiers = _goals.Any(g => PlanMapping.ConcernsOf(g) is not null) ? await GoalDossiersAsync() : [];
        _goalAgreements = CanReadGoals && Dossier!.CanRead(DossierSections.Afspraken) ? await DossierApi.AgreementsAsync(Id) : [];
        _naasten = CanWriteGoals && Dossier!.CanRead(DossierSections.Netwerk)
            ? (await DossierApi.FamilyAsync(Id)).Where(r => r.Id is not null).Select(r => (r.Id!, DisplayNames.Of(r.Name) ?? Text[r.Relationship.FirstOrDefault()?.Coding.FirstOrDefault()?.Display ?? "Naaste"].Value)).ToList()
            : [];
    }

    /// <summary>A goal about a naaste who has a dossier of their own, and the caller may open it: goal id → that Patient's
    /// id. The Api's overview fills ConcernsDossier only for who can open it (issue 18); the Portal adds no rule.</summary>
    private Dictionary<string, string> _goalDossiers = [];

    private async Task<Dictionary<string, string>> GoalDossiersAsync()
    {
        DossierOverview overview;
        // Only a link: when the overview cannot be read the plan shows as before, without it.
        try { overview = await DossierApi.OverviewAsync(Id); }
        catch (Pgo.Portal.Api.ApiException) { return []; }
        return (overview.Goals ?? []).SelectMany(d => d.Goals)
            .Where(g => g.ConcernsDossier is { Length: > 0 })
            .GroupBy(g => g.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().ConcernsDossier!.Split('/')[^1], StringComparer.Ordinal);
    }

    // ---------------------------------------------------------------- what the page shows

    private static bool IsWaakvlam(FM.CarePlan plan) => PlanMapping.IntensityOf(plan) == SupportIntensity.Waakvlam;

    private static bool IsClosed(FM.CarePlan plan) => plan.Status is FM.RequestStatus.Completed or FM.RequestStatus.Revoked or FM.RequestStatus.EnteredInError;

    private IEnumerable<FM.CarePlan> MainPlans => _plans.Where(p => !IsWaakvlam(p) && !IsClosed(p)).OrderBy(p => p.Period?.Start, StringComparer.Ordinal);

    private IEnumerable<FM.CarePlan> WaakvlamPlans => _plans.Where(p => IsWaakvlam(p) && !IsClosed(p));

    private IEnumerable<FM.CarePlan> ClosedPlans => _plans.Where(IsClosed).OrderByDescending(p => p.Period?.End, StringComparer.Ordinal);

    private static MarkupString Html(string? markdown) => new(Markdown.ToHtml(markdown ?? ""));

    private string Today => TimeZoneInfo.ConvertTime(Clock.GetUtcNow(), Amsterdam).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private string Now => Clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>The first evaluation date from today on; null when none is planned.</summary>
    private string? NextEvaluation(PlanView plan) => plan.EvaluationDates.FirstOrDefault(d => string.CompareOrdinal(d[..Math.Min(10, d.Length)], Today) >= 0);

    /// <summary>The evaluations held: their notes (who, when, what), and earlier evaluation dates that have no note.</summary>
    private List<PlanNote> History(PlanView plan)
    {
        var notes = (plan.Evaluations ?? []).ToList();
        var noted = notes.Select(n => n.Date?[..Math.Min(10, n.Date.Length)]).ToHashSet(StringComparer.Ordinal);
        foreach (var date in plan.EvaluationDates.Where(d => string.CompareOrdinal(d[..Math.Min(10, d.Length)], Today) < 0 && !noted.Contains(d[..Math.Min(10, d.Length)])))
            notes.Add(new PlanNote(date, null, ""));
        return notes.OrderByDescending(n => n.Date, StringComparer.Ordinal).ToList();
    }

    private string PlanStatus(string status) => Text[status switch
    {
        "draft" => "Nog niet gestart",
        "active" => "Loopt",
        "on-hold" => "Gepauzeerd",
        "completed" => "Afgesloten",
        "revoked" => "Gestopt",
        _ => "Status onbekend",
    }];

    private string GoalStatus(GoalView goal) => Text[goal.Status switch
    {
        "proposed" => "Voorgesteld",
        "planned" => "Gepland",
        "accepted" => "Afgesproken",
        "active" => "Loopt",
        "on-hold" => "Gepauzeerd",
        "completed" => "Bereikt",
        "cancelled" => "Gestopt",
        "rejected" => "Afgewezen",
        _ => "Status onbekend",
    }];

    private string RhythmName(string? code) => ContactRhythms.Of(code) is { } r ? Text[r.Display] : Text["Geen vast contactritme"];

    private string DomainName(FM.Goal goal) =>
        PlanMapping.DomainOf(goal) is { } code ? Text[LifeDomains.Display.GetValueOrDefault(code, code)] : Text["Zonder levensgebied"];

    private static bool Achieved(FM.Goal goal) => goal.LifecycleStatus == FM.Goal.GoalLifecycleStatus.Completed;

    private IEnumerable<FM.Task> AgreementsOf(FM.Goal goal) => _goalAgreements.Where(t => t.Focus?.Reference == $"Goal/{goal.Id}");

    private static bool Done(FM.Task task) => task.Status is FM.Task.TaskStatus.Completed or FM.Task.TaskStatus.Cancelled or FM.Task.TaskStatus.Failed;

    private async Task<FM.ResourceReference> MeAsync()
    {
        var user = await Session.UserAsync();
        return new FM.ResourceReference { Reference = user.FindFirst("fhirUser")?.Value, Display = user.Identity?.Name };
    }

    // ---------------------------------------------------------------- the plan

    private void NewPlan()
    {
        ResetPlan();
        _planForm = PlanForm.New;
        _planTitle = $"{Text["Plan"]} {Dossier?.Name}";
        _planIntensity = SupportIntensity.Intake;
    }

    private void NewWaakvlam()
    {
        ResetPlan();
        _planForm = PlanForm.NewWaakvlam;
        _planTitle = $"{Text["Waakvlam-plan"]} {Dossier?.Name}";
        _planRhythm = "2-maanden";
    }

    private void EditPlan(FM.CarePlan plan)
    {
        ResetPlan();
        _planForm = PlanForm.Edit;
        _planTarget = plan;
        _planTitle = plan.Title;
        _planText = plan.Description;
        _planIntensity = PlanMapping.IntensityOf(plan);
        var view = PlanMapping.Plan(plan);
        _planNext = NextEvaluation(view)?[..10];
        _planRhythm = view.ContactRhythm;
    }

    private void EvaluatePlan(FM.CarePlan plan)
    {
        ResetPlan();
        _planForm = PlanForm.Evaluate;
        _planTarget = plan;
    }

    private void ClosePlan(FM.CarePlan plan)
    {
        ResetPlan();
        _planForm = PlanForm.Close;
        _planTarget = plan;
    }

    private void ResetPlan()
    {
        _planForm = PlanForm.None;
        _planTarget = null;
        _planTitle = _planText = _planIntensity = _planNext = _planRhythm = _evaluationText = null;
    }

    private async Task SavePlanAsync()
    {
        if (string.IsNullOrWhiteSpace(_planTitle))
        {
            Snackbar.Add(Text["Geef het plan een titel."], Severity.Warning);
            return;
        }
        var me = await MeAsync();
        var waakvlam = _planForm == PlanForm.NewWaakvlam || (_planTarget is { } t && IsWaakvlam(t));
        var plan = _planForm switch
        {
            PlanForm.New => PlanMapping.NewPlan(Id, Today, me),
            PlanForm.NewWaakvlam => PlanMapping.NewWaakvlam(Id, MainPlans.FirstOrDefault()?.Id, Today, me),
            _ => FM.BaseExtensions.DeepCopy(_planTarget!)!,
        };
        var intensity = waakvlam ? SupportIntensity.Waakvlam
            : _recordedIntensity is not null ? (_planTarget is { } edited ? PlanMapping.IntensityOf(edited) : _recordedIntensity.Intensity)
            : _planIntensity;
        PlanMapping.Edit(plan, _planTitle.Trim(), _planText?.Trim(), intensity);
        PlanMapping.SetNextEvaluation(plan, Today, _planNext);
        if (waakvlam) PlanMapping.SetContactRhythm(plan, _planRhythm);
        if (await RunAsync(() => DossierApi.SaveAsync(plan), Text["Het plan is opgeslagen."]))
        {
            ResetPlan();
            await LoadAsync();
        }
    }

    private async Task SaveEvaluationAsync()
    {
        if (string.IsNullOrWhiteSpace(_evaluationText))
        {
            Snackbar.Add(Text["Schrijf eerst op wat er bij de evaluatie is besproken."], Severity.Warning);
            return;
        }
        var plan = FM.BaseExtensions.DeepCopy(_planTarget!)!;
        PlanMapping.Evaluate(plan, Today, Now, await MeAsync(), _evaluationText.Trim(), _planNext);
        if (await RunAsync(() => DossierApi.SaveAsync(plan), Text["De evaluatie is opgeslagen."]))
        {
            ResetPlan();
            await LoadAsync();
        }
    }

    private async Task ConfirmCloseAsync()
    {
        var plan = FM.BaseExtensions.DeepCopy(_planTarget!)!;
        PlanMapping.Close(plan, Today);
        if (await RunAsync(() => DossierApi.SaveAsync(plan), Text["Het plan is afgesloten."]))
        {
            ResetPlan();
            await LoadAsync();
        }
    }

    /// <summary>A draft (the waakvlam-plan, once support scales down) starts today.</summary>
    private async Task StartPlanAsync(FM.CarePlan draft)
    {
        var plan = FM.BaseExtensions.DeepCopy(draft)!;
        PlanMapping.Start(plan, Today);
        if (await RunAsync(() => DossierApi.SaveAsync(plan), Text["Het plan is gestart."])) await LoadAsync();
    }

    // ---------------------------------------------------------------- goals

    private void EditGoal(FM.Goal goal)
    {
        _goalEditing = goal;
        _goalText = goal.Description?.Text;
        _goalDomain = PlanMapping.DomainOf(goal);
        var view = PlanMapping.Goal(goal);
        _goalKind = view.Kind;
        _goalConcerns = PlanMapping.ConcernsOf(goal)?.Reference?.Split('/').Last();
        _goalDue = view.Due;
    }

    private void ResetGoal()
    {
        _goalEditing = null;
        _goalText = _goalDomain = _goalConcerns = _goalDue = null;
        _goalKind = GoalKinds.Doel;
    }

    private async Task SaveGoalAsync()
    {
        if (string.IsNullOrWhiteSpace(_goalText))
        {
            Snackbar.Add(Text["Schrijf eerst het doel op."], Severity.Warning);
            return;
        }
        var goal = _goalEditing is null ? PlanMapping.NewGoal(Id, Today) : FM.BaseExtensions.DeepCopy(_goalEditing)!;
        var naaste = _naasten.FirstOrDefault(n => n.Id == _goalConcerns);
        FM.ResourceReference? concerns = naaste.Id is null ? null : new FM.ResourceReference($"RelatedPerson/{naaste.Id}", naaste.Name);
        PlanMapping.EditGoal(goal, _goalText.Trim(), _goalDomain, _goalKind, concerns, _goalDue);
        if (await RunAsync(() => DossierApi.SaveAsync(goal), Text["Het doel is opgeslagen."]))
        {
            ResetGoal();
            await LoadAsync();
        }
    }

    private async Task TickGoalAsync(FM.Goal goal, bool achieved)
    {
        var copy = FM.BaseExtensions.DeepCopy(goal)!;
        PlanMapping.SetAchieved(copy, achieved);
        if (await RunAsync(() => DossierApi.SaveAsync(copy), achieved ? Text["Doel bereikt. Mooi!"] : Text["Het doel staat weer open."])) await LoadAsync();
    }

    private void WriteProgress(FM.Goal goal)
    {
        _progressGoal = goal.Id;
        _progressText = null;
    }

    private async Task SaveProgressAsync(FM.Goal goal)
    {
        if (string.IsNullOrWhiteSpace(_progressText))
        {
            Snackbar.Add(Text["Schrijf eerst op wat er is veranderd."], Severity.Warning);
            return;
        }
        var copy = FM.BaseExtensions.DeepCopy(goal)!;
        PlanMapping.AddProgress(copy, Now, await MeAsync(), _progressText.Trim());
        if (await RunAsync(() => DossierApi.SaveAsync(copy), Text["De voortgang is opgeslagen."]))
        {
            _progressGoal = _progressText = null;
            await LoadAsync();
        }
    }

    /// <summary>"Gemaakt door Ricardo · 18 mei 2026 · loopt sinds 20 mei 2026": only the parts the plan has, no stray dots.</summary>
    private string PlanMade(PlanView view)
    {
        var parts = new List<string>();
        if (view.Author is { Length: > 0 } author) parts.Add(Text["Gemaakt door {0}", author]);
        if (view.Created is { } created && created != view.Start) parts.Add(Day(created));
        if (view.Start is { } start && view.Status != "draft") parts.Add($"{Text["loopt sinds"]} {Day(start)}");
        return string.Join(" · ", parts);
    }

    /// <summary>Follow a goal: a notification at each change to it (or stop). Kept as the Api answers.</summary>
    private async Task ToggleFollowAsync(FM.Goal goal) => await RunAsync(async () =>
    {
        var item = $"Goal/{goal.Id}";
        var following = await Notifications.SetFollowAsync(Id, item, !_follows.Contains(item));
        var next = new HashSet<string>(_follows, StringComparer.Ordinal);
        if (following) next.Add(item); else next.Remove(item);
        _follows = next;
    });
}
