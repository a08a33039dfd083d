using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;
using Pgo.Shared.Codes;
using Pgo.Shared.Contracts;

namespace Pgo.Shared.Mapping;

/// <summary>
/// The plan and its goals in FHIR (docs/adr/0005-dossier-mapping.md), both ways in one place: the Api's overview reads a
/// CarePlan or Goal into a <see cref="PlanView"/> or <see cref="GoalView"/> with these, and the Portal writes its edits
/// with the methods below, so what the Portal writes is read back the same way everywhere.
/// </summary>
public static class PlanMapping
{
    public const string AchievementSystem = "http://terminology.hl7.org/CodeSystem/goal-achievement";

    // ---------------------------------------------------------------- read

    public static PlanView Plan(CarePlan c)
    {
        var intensity = IntensityOf(c);
        var timing = c.Activity.Select(a => a.Detail?.Scheduled).OfType<Timing>().FirstOrDefault()?.Repeat;
        var rhythm = timing is { Period: { } period, PeriodUnit: { } unit } ? ContactRhythms.Of((int)period, unit.GetLiteral() ?? "")?.Code : null;
        return new PlanView(c.Id!, c.Title ?? "Plan", Code(c.Status), intensity,
            intensity is not null && SupportIntensity.Display.TryGetValue(intensity, out var d) ? d : null,
            c.Period?.Start, c.Period?.End, EvaluationDates(c), c.Description, c.BasedOn.FirstOrDefault()?.Reference,
            c.Author?.Display, c.Created, Notes(c.Note), rhythm);
    }

    public static GoalView Goal(Goal g)
    {
        var kind = g.Category.SelectMany(c => c.Coding).FirstOrDefault(c => c.System == GoalKinds.System)?.Code ?? GoalKinds.Doel;
        var concerns = ConcernsOf(g);
        var progress = Notes(g.Note);
        var latest = progress.LastOrDefault();
        return new GoalView(g.Id!, g.Description?.Text ?? "", Code(g.LifecycleStatus), g.AchievementStatus?.Coding.FirstOrDefault()?.Code ?? g.AchievementStatus?.Text,
            kind, concerns?.Display ?? concerns?.Reference, (g.Target.FirstOrDefault()?.Due as Date)?.Value, latest?.Text, latest?.Date,
            progress, (g.Start as Date)?.Value);
    }

    /// <summary>The naaste a goal is about (extension goal-concerns), null for a goal about the client.</summary>
    public static ResourceReference? ConcernsOf(Goal g) => g.GetExtension(PlanExtensions.GoalConcerns)?.Value as ResourceReference;

    public static string? IntensityOf(CarePlan c) => c.Category.SelectMany(x => x.Coding).FirstOrDefault(x => x.System == SupportIntensity.System)?.Code;

    public static string? DomainOf(Goal g) => g.Category.SelectMany(c => c.Coding).FirstOrDefault(c => c.System == LifeDomains.System)?.Code;

    /// <summary>The evaluation dates (held and planned), oldest first, as written (FHIR date or dateTime).</summary>
    public static string[] EvaluationDates(CarePlan c) =>
        c.GetExtensions(PlanExtensions.EvaluationDate).Select(e => e.Value?.ToString() ?? "").Where(s => s.Length > 0).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Annotations oldest first; the author is a name (a string, or a reference's display).</summary>
    private static PlanNote[] Notes(IEnumerable<Annotation> notes) => notes
        .OrderBy(n => n.Time, StringComparer.Ordinal)
        .Select(n => new PlanNote(n.Time, n.Author switch
        {
            ResourceReference r => r.Display ?? r.Reference,
            FhirString s => s.Value,
            _ => null,
        }, n.Text ?? ""))
        .ToArray();

    private static string Code<T>(T? value) where T : struct, Enum => value is { } v ? v.GetLiteral() ?? "" : "";

    // ---------------------------------------------------------------- write

    /// <summary>A new plan: active from <paramref name="today"/> (a FHIR date), made by <paramref name="author"/>.</summary>
    public static CarePlan NewPlan(string patientId, string today, ResourceReference author) => new()
    {
        Status = RequestStatus.Active,
        Intent = CarePlan.CarePlanIntent.Plan,
        Subject = new ResourceReference($"Patient/{patientId}"),
        Period = new Period { Start = today },
        Created = today,
        Author = author,
    };

    /// <summary>A waakvlam-plan: a second plan, based on the main one, waiting as a draft until support scales down.</summary>
    public static CarePlan NewWaakvlam(string patientId, string? mainPlanId, string today, ResourceReference author)
    {
        var plan = NewPlan(patientId, today, author);
        plan.Status = RequestStatus.Draft;
        plan.Period = null;
        if (mainPlanId is not null) plan.BasedOn = [new ResourceReference($"CarePlan/{mainPlanId}")];
        SetIntensity(plan, SupportIntensity.Waakvlam);
        return plan;
    }

    /// <summary>Title, text (Markdown) and intensity as typed.</summary>
    public static void Edit(CarePlan plan, string title, string? description, string? intensity)
    {
        plan.Title = title;
        plan.Description = string.IsNullOrWhiteSpace(description) ? null : description;
        SetIntensity(plan, intensity);
    }

    public static void SetIntensity(CarePlan plan, string? intensity)
    {
        plan.Category.RemoveAll(c => c.Coding.Any(x => x.System == SupportIntensity.System));
        if (intensity is not null && SupportIntensity.Display.TryGetValue(intensity, out var display))
            plan.Category.Insert(0, new CodeableConcept(SupportIntensity.System, intensity, display, null));
    }

    /// <summary>The next evaluation: planned dates after <paramref name="today"/> are replaced by <paramref name="next"/> (none when null);
    /// dates already passed stay, they are the history.</summary>
    public static void SetNextEvaluation(CarePlan plan, string today, string? next)
    {
        plan.Extension.RemoveAll(e => e.Url == PlanExtensions.EvaluationDate && string.CompareOrdinal(e.Value?.ToString(), today) > 0);
        if (!string.IsNullOrEmpty(next)) plan.AddExtension(PlanExtensions.EvaluationDate, new FhirDateTime(next));
    }

    /// <summary>An evaluation held today: what was concluded (Markdown), by whom, recorded as a note and an evaluation date;
    /// the next one planned on <paramref name="next"/>.</summary>
    public static void Evaluate(CarePlan plan, string today, string now, ResourceReference author, string text, string? next)
    {
        plan.Note.Add(new Annotation { Author = author, Time = now, Text = new Markdown(text) });
        if (!EvaluationDates(plan).Contains(today, StringComparer.Ordinal)) plan.AddExtension(PlanExtensions.EvaluationDate, new FhirDateTime(today));
        SetNextEvaluation(plan, today, next);
    }

    /// <summary>A draft plan (the waakvlam-plan) starts today.</summary>
    public static void Start(CarePlan plan, string today)
    {
        plan.Status = RequestStatus.Active;
        plan.Period ??= new Period();
        if (plan.Period.Start is null || string.CompareOrdinal(plan.Period.Start, today) > 0) plan.Period.Start = today;
        plan.Period.End = null;
    }

    /// <summary>Closes the plan today; no evaluation stays planned.</summary>
    public static void Close(CarePlan plan, string today)
    {
        plan.Status = RequestStatus.Completed;
        plan.Period ??= new Period();
        plan.Period.Start ??= today;
        plan.Period.End = today;
        SetNextEvaluation(plan, today, null);
    }

    /// <summary>The waakvlam-plan's contact rhythm as the Timing of its one contact activity (none when <paramref name="code"/> is null).</summary>
    public static void SetContactRhythm(CarePlan plan, string? code)
    {
        plan.Activity.RemoveAll(a => a.Detail?.Scheduled is Timing);
        if (ContactRhythms.Of(code) is not { } rhythm) return;
        plan.Activity.Add(new CarePlan.ActivityComponent
        {
            Detail = new CarePlan.DetailComponent
            {
                Status = CarePlan.CarePlanActivityStatus.Scheduled,
                Description = rhythm.Display,
                Scheduled = new Timing
                {
                    Repeat = new Timing.RepeatComponent
                    {
                        Frequency = 1,
                        Period = rhythm.Period,
                        PeriodUnit = EnumUtility.ParseLiteral<Timing.UnitsOfTime>(rhythm.Unit),
                    },
                },
            },
        });
    }

    public static Goal NewGoal(string patientId, string today) => new()
    {
        LifecycleStatus = Hl7.Fhir.Model.Goal.GoalLifecycleStatus.Active,
        Subject = new ResourceReference($"Patient/{patientId}"),
        Start = new Date(today),
    };

    /// <summary>The goal as typed: text, life domain, firm goal or loose verwachting, the naaste it is about (the subject stays
    /// the client, so it stays in the client's dossier), target date.</summary>
    public static void EditGoal(Goal goal, string text, string? domain, string kind, ResourceReference? concerns, string? due)
    {
        goal.Description = new CodeableConcept { Text = text };
        goal.Category.RemoveAll(c => c.Coding.Any(x => x.System is LifeDomains.System or GoalKinds.System));
        if (domain is not null && LifeDomains.Display.TryGetValue(domain, out var display))
            goal.Category.Add(new CodeableConcept(LifeDomains.System, domain, display, null));
        goal.Category.Add(new CodeableConcept(GoalKinds.System, kind == GoalKinds.Verwachting ? GoalKinds.Verwachting : GoalKinds.Doel));
        goal.Extension.RemoveAll(e => e.Url == PlanExtensions.GoalConcerns);
        if (concerns is not null) goal.AddExtension(PlanExtensions.GoalConcerns, concerns);
        goal.Target.RemoveAll(t => t.Due is Date);
        if (!string.IsNullOrEmpty(due)) goal.Target.Add(new Goal.TargetComponent { Due = new Date(due) });
    }

    /// <summary>A progress note (Markdown): who, when, what changed.</summary>
    public static void AddProgress(Goal goal, string now, ResourceReference author, string text) =>
        goal.Note.Add(new Annotation { Author = author, Time = now, Text = new Markdown(text) });

    public static void SetAchieved(Goal goal, bool achieved)
    {
        goal.LifecycleStatus = achieved ? Hl7.Fhir.Model.Goal.GoalLifecycleStatus.Completed : Hl7.Fhir.Model.Goal.GoalLifecycleStatus.Active;
        goal.AchievementStatus = achieved ? new CodeableConcept(AchievementSystem, "achieved", "Bereikt", null) : null;
    }
}
