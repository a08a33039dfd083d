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

/// <summary>
/// Intensity over time (issue 20, docs/adr/0005-dossier-mapping.md): every change of intensity is a <c>Basic</c> in section
/// plan whose <c>code</c> is the new intensity (<see cref="SupportIntensity.System"/>), <c>created</c> the day it took
/// effect (today or earlier), <c>author</c> who set it, and extensions for the intensity it came from, the reason, that it
/// was agreed with the family, and (waakvlam) the contact rhythm in weeks. The current intensity and "sinds" are the
/// newest change's; the active CarePlan's category follows it so older readers keep working.
/// </summary>
public static class IntensityChanges
{
    /// <summary>Coding (intensiteit) on the change: the intensity before it; absent for the first one.</summary>
    public const string From = CodeBase.Url + "/StructureDefinition/intensity-from";
    /// <summary>string: why, in short.</summary>
    public const string Reason = CodeBase.Url + "/StructureDefinition/intensity-reason";
    /// <summary>boolean, must be true: the change was agreed with the family ("besproken met het gezin").</summary>
    public const string AgreedWithFamily = CodeBase.Url + "/StructureDefinition/intensity-agreed-with-family";
    /// <summary>positiveInt on a change to waakvlam: contact at least every so many weeks.</summary>
    public const string RhythmWeeks = CodeBase.Url + "/StructureDefinition/contact-rhythm-weeks";

    public const int MaxReasonLength = 300;
    /// <summary>The rhythm of a waakvlam family unless the supporter chose one (setting Caseload:WaakvlamRhythmWeeks).</summary>
    public const int DefaultRhythmWeeks = 6;
    public const int MinRhythmWeeks = 1;
    public const int MaxRhythmWeeks = 52;

    /// <summary>The intensities with a contact rhythm (support scaled down to a pilot light).</summary>
    public static bool HasRhythm(string? intensity) => intensity == SupportIntensity.Waakvlam;

    /// <summary>The intensities after which a trigger event suggests scaling up again ("Opnieuw opschalen?").</summary>
    public static bool WatchesTriggers(string? intensity) => intensity is SupportIntensity.Waakvlam or SupportIntensity.Afschalen;

    /// <summary>The event types (<see cref="EventCodes"/>) that call for scaling up again: a diagnosis, a care place closing or a
    /// move, a divorce, turning 18, a death, a crisis, a hospital admission (DOMAIN.md §2, intensity modes).</summary>
    public static readonly IReadOnlySet<string> TriggerTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        EventCodes.Types.Diagnose, EventCodes.Types.ZorgplekWeg, EventCodes.Types.Verhuizing, EventCodes.Types.Scheiding,
        EventCodes.Types.Achttien, EventCodes.Types.Overlijden, EventCodes.Types.Crisis, EventCodes.Types.Ziekenhuisopname,
    };
}
