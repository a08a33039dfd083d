namespace Pgo.Shared.Codes;

/// <summary>Intensity of support (CarePlan.category): from intake to waakvlam and back up on a trigger. The Api's
/// CodeSystem <c>intensiteit</c> and the Portal's plan screen read this list.</summary>
public static class SupportIntensity
{
    public const string System = CodeBase.Url + "/CodeSystem/intensiteit";
    public const string Intake = "intake";
    public const string Intensief = "intensief";
    public const string Afschalen = "afschalen";
    /// <summary>A low "pilot light" contact that stays for years after support scaled down.</summary>
    public const string Waakvlam = "waakvlam";
    public const string Opschalen = "opschalen";
    public const string VliegendeKeep = "vliegende-keep";

    public static readonly IReadOnlyDictionary<string, string> Display = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Intake] = "Intake en verkenning", [Intensief] = "Intensief", [Afschalen] = "Afschalen", [Waakvlam] = "Waakvlam",
        [Opschalen] = "Opnieuw opschalen", [VliegendeKeep] = "Vliegende Keep (urgent, kort)",
    };
}

/// <summary>A firm goal or a loose expectation (second Goal.category coding).</summary>
public static class GoalKinds
{
    public const string System = CodeBase.Url + "/CodeSystem/doelsoort";
    public const string Doel = "doel";
    public const string Verwachting = "verwachting";
}

/// <summary>How often the waakvlam-plan keeps contact: stored as the Timing of the plan's contact activity
/// (CarePlan.activity.detail.scheduledTiming: once per <c>Period</c> <c>Unit</c>).</summary>
public static class ContactRhythms
{
    public sealed record Rhythm(string Code, int Period, string Unit, string Display);

    public static readonly IReadOnlyList<Rhythm> All =
    [
        new("week", 1, "wk", "Elke week"),
        new("2-weken", 2, "wk", "Elke twee weken"),
        new("maand", 1, "mo", "Elke maand"),
        new("2-maanden", 2, "mo", "Elke twee maanden"),
        new("3-maanden", 3, "mo", "Elke drie maanden"),
        new("half-jaar", 6, "mo", "Elk half jaar"),
        new("jaar", 1, "a", "Elk jaar"),
    ];

    public static Rhythm? Of(string? code) => All.FirstOrDefault(r => r.Code == code);

    public static Rhythm? Of(int period, string unit) => All.FirstOrDefault(r => r.Period == period && r.Unit == unit);
}

/// <summary>The extensions of the plan and its goals (docs/adr/0005-dossier-mapping.md).</summary>
public static class PlanExtensions
{
    /// <summary>dateTime (repeating) on CarePlan: when the plan is (or was) evaluated together.</summary>
    public const string EvaluationDate = CodeBase.Url + "/StructureDefinition/evaluation-date";
    /// <summary>Reference(RelatedPerson) on Goal: the family member the goal is about (a naaste goal).</summary>
    public const string GoalConcerns = CodeBase.Url + "/StructureDefinition/goal-concerns";
}
