using System.Globalization;
using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using Pgo.Shared.Codes;
using Pgo.Shared.Contracts;
using Pgo.Shared.Text;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Pgo.Api.Dossier;

/// <summary>Settings of the measurement plan (section <c>Pgo:Measurements</c>; docs/settings.md). The defaults follow the
/// pilots' rhythm (seed 000 l.2725–2770): a 0-meting at the start of support, a 1-meting about half a year later and a
/// 2-meting after about a year.</summary>
public sealed class MeasurementOptions
{
    public const string Section = "Pgo:Measurements";

    /// <summary>Months from the 0-meting to the 1-meting (1 to 24; default 6).</summary>
    public int FirstFollowUpMonths { get; set; } = 6;

    /// <summary>Months from the 0-meting to the 2-meting (more than the first, at most 36; default 12).</summary>
    public int SecondFollowUpMonths { get; set; } = 12;

    /// <summary>The instruments planned by default, comma-separated Questionnaire ids (default <c>kwaliteit-van-leven</c>).</summary>
    public string DefaultInstruments { get; set; } = ProjectQuestionnaires.KwaliteitVanLeven;

    /// <summary>How many days before a planned meting's due day the supporter and the regiehouders are reminded (0 to 60; default 7).</summary>
    public int RemindDaysBefore { get; set; } = 7;

    public IReadOnlyList<string> Instruments =>
        DefaultInstruments.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Null when the settings are usable, else the Dutch reason (refused at start-up).</summary>
    public string? Problem()
    {
        if (FirstFollowUpMonths is < 1 or > 24) return "Pgo:Measurements:FirstFollowUpMonths moet tussen 1 en 24 liggen.";
        if (SecondFollowUpMonths <= FirstFollowUpMonths || SecondFollowUpMonths > 36)
            return "Pgo:Measurements:SecondFollowUpMonths moet groter zijn dan FirstFollowUpMonths en ten hoogste 36.";
        if (RemindDaysBefore is < 0 or > 60) return "Pgo:Measurements:RemindDaysBefore moet tussen 0 en 60 liggen.";
        if (Instruments.Count is < 1 or > 5 || Instruments.Any(i => !System.Text.RegularExpressions.Regex.IsMatch(i, "^[a-z0-9][a-z0-9\\-]{0,63}$")))
            return "Pgo:Measurements:DefaultInstruments moet 1 tot 5 vragenlijst-id's bevatten, gescheiden door komma's (bijvoorbeeld kwaliteit-van-leven).";
        return null;
    }
}

/// <summary>
/// The measurement plan (issue 20) as pure functions: the three Tasks of a plan, and how a planned meting stands on a day
/// (Europe/Amsterdam). No database and no clock: the API, the schedule and the demo agree. The mapping is ADR 5's.
/// </summary>
public static class MeasurementPlan
{
    /// <summary>The planned metingen of one instrument from <paramref name="start"/>: the 0-meting that day, the 1- and 2-meting
    /// the configured months later.</summary>
    public static IEnumerable<(string Moment, DateOnly Due)> Moments(DateOnly start, MeasurementOptions options) =>
    [
        (PgoCodes.MeasurementMoment.Nul, start),
        (PgoCodes.MeasurementMoment.Een, start.AddMonths(options.FirstFollowUpMonths)),
        (PgoCodes.MeasurementMoment.Twee, start.AddMonths(options.SecondFollowUpMonths)),
    ];

    /// <summary>One planned meting as a Task (a new id unless given).</summary>
    public static FhirTask Planned(string patientId, string questionnaireId, string moment, DateOnly due, string? owner, string? ownerName,
        DateTimeOffset now, string? id = null) => new()
    {
        Id = id ?? Guid.NewGuid().ToString("D"),
        Status = FhirTask.TaskStatus.Requested,
        Intent = FhirTask.TaskIntent.Plan,
        Code = new CodeableConcept(MeasurementPlanCodes.System, MeasurementPlanCodes.Planned, MeasurementPlanCodes.Display[MeasurementPlanCodes.Planned], null),
        Description = $"{PgoCodes.MeasurementMoment.Display[moment]}",
        For = new ResourceReference($"Patient/{patientId}"),
        AuthoredOn = now.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
        Owner = owner is null ? null : new ResourceReference(owner) { Display = ownerName },
        Restriction = new FhirTask.RestrictionComponent { Period = new Period { End = Day(due) } },
        Input =
        [
            new FhirTask.ParameterComponent
            {
                Type = new CodeableConcept(MeasurementPlanCodes.System, MeasurementPlanCodes.QuestionnaireInput, MeasurementPlanCodes.Display[MeasurementPlanCodes.QuestionnaireInput], null),
                Value = new Canonical(ProjectQuestionnaires.Canonical(questionnaireId)),
            },
        ],
        Extension = [new Extension(PgoCodes.DossierExtensions.MeasurementMoment, new Coding(PgoCodes.MeasurementMoment.System, moment, PgoCodes.MeasurementMoment.Display[moment]))],
    };

    public static string? MomentOf(DomainResource r) =>
        (r.GetExtension(PgoCodes.DossierExtensions.MeasurementMoment)?.Value as Coding)?.Code;

    /// <summary>The due day (a date-only <c>restriction.period.end</c>).</summary>
    public static DateOnly? DueOf(FhirTask task) =>
        task.Restriction?.Period?.End is { Length: >= 10 } end && DateOnly.TryParseExact(end[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    /// <summary>gepland, te-laat (open after its due day), gedaan or geannuleerd.</summary>
    public static string StateOf(FhirTask task, DateOnly today) => task.Status switch
    {
        FhirTask.TaskStatus.Completed => MeasurementPlanCodes.States.Gedaan,
        FhirTask.TaskStatus.Cancelled or FhirTask.TaskStatus.Rejected or FhirTask.TaskStatus.Failed or FhirTask.TaskStatus.EnteredInError => MeasurementPlanCodes.States.Geannuleerd,
        _ => DueOf(task) is { } due && today > due ? MeasurementPlanCodes.States.TeLaat : MeasurementPlanCodes.States.Gepland,
    };

    public static bool IsOpen(FhirTask task) => DossierViews.IsOpen(task);

    /// <summary>Whether <paramref name="response"/> fulfils the open planned meting <paramref name="task"/>: same dossier, same
    /// instrument, and the same moment (a response without a moment fulfils the earliest open one: the caller picks it).</summary>
    public static bool Fulfils(QuestionnaireResponse response, FhirTask task) =>
        IsOpen(task) && MeasurementPlanCodes.IsPlanned(task)
        && response.Subject?.Reference is { } subject && subject == task.For?.Reference
        && MeasurementPlanCodes.IdOf(response.Questionnaire) is { } q && q == MeasurementPlanCodes.IdOf(MeasurementPlanCodes.QuestionnaireOf(task))
        && (MomentOf(response) is not { } moment || moment == MomentOf(task));

    /// <summary>The Task completed by <paramref name="response"/>: status completed, the response as its output, the day it was filled in.</summary>
    public static void Complete(FhirTask task, QuestionnaireResponse response, DateTimeOffset now)
    {
        task.Status = FhirTask.TaskStatus.Completed;
        task.LastModified = now.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
        task.ExecutionPeriod = new Period { End = response.Authored ?? task.LastModified };
        task.Output =
        [
            new FhirTask.OutputComponent
            {
                Type = new CodeableConcept(MeasurementPlanCodes.System, MeasurementPlanCodes.ResponseOutput, MeasurementPlanCodes.Display[MeasurementPlanCodes.ResponseOutput], null),
                Value = new ResourceReference($"QuestionnaireResponse/{response.Id}"),
            },
        ];
    }

    public static PlannedMeasurementView View(FhirTask t, DateOnly today, IReadOnlyDictionary<string, string> titles)
    {
        var moment = MomentOf(t) ?? "";
        var instrument = MeasurementPlanCodes.IdOf(MeasurementPlanCodes.QuestionnaireOf(t)) ?? "";
        var state = StateOf(t, today);
        string? done = state == MeasurementPlanCodes.States.Gedaan && t.ExecutionPeriod?.End is { Length: >= 10 } end
            ? DutchDay(end) : null;
        return new PlannedMeasurementView(t.Id!, moment, PgoCodes.MeasurementMoment.Display.GetValueOrDefault(moment, moment), instrument,
            titles.GetValueOrDefault(instrument, instrument), DueOf(t) is { } due ? Day(due) : "", state, MeasurementPlanCodes.States.Display[state],
            done, t.StatusReason?.Text, t.Owner?.Display, int.TryParse(t.Meta?.VersionId, CultureInfo.InvariantCulture, out var v) ? v : 1);
    }

    private static string DutchDay(string moment) =>
        moment.Length == 10 ? moment
        : DateTimeOffset.TryParse(moment, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? Day(DutchTime.Today(at)) : moment[..10];

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
