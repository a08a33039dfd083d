using Hl7.Fhir.Model;

namespace Pgo.Shared.Codes;

/// <summary>
/// The measurement plan (issue 20): one FHIR <c>Task</c> per planned meting, coded <see cref="Planned"/> from the project
/// CodeSystem <c>meetplan</c>, so the classifier files it in metingen (who reads and writes the measurements reads and
/// writes the plan) and the agreement screens leave it out. The questionnaire is the Task's <c>input</c> (a canonical),
/// the moment its <c>measurement-moment</c> extension, the due day <c>restriction.period.end</c> (date-only), the owner
/// the supporter; <c>requested</c> while planned, <c>completed</c> once a response of that instrument and moment arrived
/// (its <c>output</c>), <c>cancelled</c> with a reason (<c>statusReason.text</c>). See docs/adr/0005-dossier-mapping.md.
/// </summary>
public static class MeasurementPlanCodes
{
    public const string System = CodeBase.Url + "/CodeSystem/meetplan";
    public const string Planned = "meting-gepland";
    /// <summary>The input type of the questionnaire to fill in (Task.input.type).</summary>
    public const string QuestionnaireInput = "vragenlijst";
    /// <summary>The output type of the response that completed it (Task.output.type).</summary>
    public const string ResponseOutput = "ingevulde-vragenlijst";

    public static readonly IReadOnlyDictionary<string, string> Display = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Planned] = "Geplande meting", [QuestionnaireInput] = "Vragenlijst", [ResponseOutput] = "Ingevulde vragenlijst",
    };

    /// <summary>How a planned meting stands for the screen.</summary>
    public static class States
    {
        public const string Gepland = "gepland";
        public const string TeLaat = "te-laat";
        public const string Gedaan = "gedaan";
        public const string Geannuleerd = "geannuleerd";

        public static readonly IReadOnlyDictionary<string, string> Display = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Gepland] = "Gepland", [TeLaat] = "Te laat", [Gedaan] = "Gedaan", [Geannuleerd] = "Geannuleerd",
        };
    }

    /// <summary>Whether the Task is a planned meting (not an agreement).</summary>
    public static bool IsPlanned(Hl7.Fhir.Model.Task task) => task.Code?.Coding.Any(c => c.System == System && c.Code == Planned) == true;

    /// <summary>The questionnaire canonical the planned meting asks for.</summary>
    public static string? QuestionnaireOf(Hl7.Fhir.Model.Task task) =>
        task.Input.FirstOrDefault(i => i.Type?.Coding.Any(c => c.System == System && c.Code == QuestionnaireInput) == true)?.Value switch
        {
            Canonical c => c.Value,
            FhirUri u => u.Value,
            _ => null,
        };

    /// <summary>The last path segment of a questionnaire canonical or reference (its id).</summary>
    public static string? IdOf(string? questionnaire)
    {
        if (string.IsNullOrEmpty(questionnaire)) return null;
        var bar = questionnaire.IndexOf('|', StringComparison.Ordinal);
        var url = bar < 0 ? questionnaire : questionnaire[..bar];
        var slash = url.LastIndexOf('/');
        return slash < 0 ? url : url[(slash + 1)..];
    }

    public const int MaxReasonLength = 300;
}
