using System.Globalization;
using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;
using Pgo.Fhir.Access;
using Pgo.Shared.Contracts;
using static Pgo.Fhir.Access.PgoCodes;
using Pgo.Shared.Mapping;
using Pgo.Shared.Text;

namespace Pgo.Api.Dossier;

// What the Portal gets: flat, Dutch-labelled views of the FHIR resources (the mapping is docs/adr/0005-dossier-mapping.md),
// as the records in Shared/Contracts/Dossier.cs, which the Portal reads.

internal static class DossierViews
{
    public static ClientView Client(Patient p, DocumentReference? paspoort) => new(p.Id!,
        DisplayNames.Of(p.Name) ?? p.Id!,
        p.BirthDate, p.Communication.FirstOrDefault()?.Language?.Coding.FirstOrDefault()?.Code, paspoort is null ? null : Text(paspoort));

    // The plan and its goals are read (and written by the Portal) with the one mapping in Shared/Mapping.
    public static PlanView Plan(CarePlan c) => PlanMapping.Plan(c);

    public static DomainGoals[] GoalsByDomain(IEnumerable<Goal> goals) => goals
        .GroupBy(g => g.Category.SelectMany(c => c.Coding).FirstOrDefault(c => c.System == LifeDomain.System)?.Code ?? "onbekend")
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => new DomainGoals(g.Key, LifeDomain.Display.TryGetValue(g.Key, out var d) ? d : g.Key, g.Select(Goal).ToArray()))
        .ToArray();

    public static GoalView Goal(Goal g) => PlanMapping.Goal(g);

    public static readonly string[] OpenTaskStatuses = ["draft", "requested", "received", "accepted", "ready", "in-progress", "on-hold"];

    /// <summary>The agreements among Tasks: a planned meting (issue 20, section metingen) is none.</summary>
    public static IEnumerable<Hl7.Fhir.Model.Task> Agreements(IEnumerable<Hl7.Fhir.Model.Task> tasks) => tasks.Where(t => !Pgo.Shared.Codes.MeasurementPlanCodes.IsPlanned(t));

    public static bool IsOpen(Hl7.Fhir.Model.Task t) => OpenTaskStatuses.Contains(Code(t.Status));

    public static DateTimeOffset? DueOf(Hl7.Fhir.Model.Task t) => EndOf(t.Restriction?.Period);

    /// <summary>A due date as the views carry it (<see cref="AgreementView.Due"/>), by the same rule.</summary>
    public static DateTimeOffset? DueOf(string? due) => due is null ? null : EndOf(new Period { End = due });

    public static AgreementView Agreement(Hl7.Fhir.Model.Task t, DateTimeOffset now)
    {
        var due = DueOf(t);
        var overdue = IsOpen(t) && due is { } d && d < now;
        int? daysLeft = due is { } dd ? (int)Math.Floor((dd - now).TotalDays) : null;
        return new AgreementView(t.Id!, t.Description ?? t.Code?.Text ?? "", Code(t.Status), t.Owner?.Reference, t.Owner?.Display,
            t.Restriction?.Period?.Start, t.Restriction?.Period?.End, t.Focus?.Reference, t.BasedOn.FirstOrDefault()?.Reference, overdue, daysLeft);
    }

    /// <summary>The end of a period; a date-only end ("2026-12-01") includes that whole day.</summary>
    public static DateTimeOffset? EndOf(Period? period)
    {
        if (period?.EndElement is not { Value: { } text } end || !end.TryToDateTimeOffset(TimeSpan.Zero, out var value)) return null;
        return text.Length == 10 ? value.AddDays(1) : value;
    }

    public static LogbookView Logbook(DocumentReference d) =>
        new(d.Id!, d.Date?.ToString("o", CultureInfo.InvariantCulture), d.Author.FirstOrDefault()?.Display ?? d.Author.FirstOrDefault()?.Reference, Text(d), d.Meta?.VersionId ?? "1");

    public static AppointmentView Appointment(Appointment a) => new(a.Id!, a.Description ?? a.AppointmentType?.Text ?? "", a.Start, a.End,
        a.Participant.Where(p => p.Actor?.Type != "Location").Select(p => p.Actor?.Display ?? p.Actor?.Reference).OfType<string>().ToArray()); // the place is no participant to show

    public static MessageView Message(Communication c) => new(c.Id!, c.Sent, c.Sender?.Display ?? c.Sender?.Reference, c.Topic?.Text,
        string.Join("\n", c.Payload.Select(p => p.Content).OfType<FhirString>().Select(s => s.Value)), c.InResponseTo.FirstOrDefault()?.Reference);

    public static NetworkMember[] Network(IEnumerable<CareTeam> teams) => teams.SelectMany(t => t.Participant).Select(p =>
    {
        var role = p.Role.SelectMany(r => r.Coding).FirstOrDefault(c => c.System == NetworkRole.System)?.Code;
        return new NetworkMember(p.Member?.Reference, p.Member?.Display ?? p.Member?.Reference ?? "", role,
            role is not null && NetworkRole.Display.TryGetValue(role, out var d) ? d : p.Role.FirstOrDefault()?.Text, p.OnBehalfOf?.Display);
    }).ToArray();

    /// <summary>Per questionnaire and per respondent (issue 20: each answers separately): the score at each moment (0-, 1-,
    /// 2-meting), the change since that respondent's first and previous answers, per question too. The respondent is the
    /// response's <c>source</c>; an old response without one counts as its author's, else as "onbekend".</summary>
    public static MeasurementView[] Measurements(IEnumerable<QuestionnaireResponse> responses, IReadOnlyDictionary<string, Questionnaire> questionnaires) => responses
        .Where(r => r.Questionnaire is not null)
        .GroupBy(r => (Questionnaire: r.Questionnaire!, Respondent: RespondentKey(r)))
        .Select(g => (g.Key, Ordered: g.OrderBy(r => MomentOf(r) ?? "~").ThenBy(r => r.Authored, StringComparer.Ordinal).ToList()))
        .OrderBy(g => g.Key.Questionnaire, StringComparer.Ordinal)
        .ThenBy(g => g.Ordered.Min(r => r.Authored) ?? "", StringComparer.Ordinal)
        .Select(g =>
        {
            questionnaires.TryGetValue(g.Key.Questionnaire, out var q);
            var ordered = g.Ordered;
            var moments = ordered.Select(r => new MeasurementMomentView(MomentOf(r) ?? "", r.Authored, Score(r), r.Source?.Display,
                r.Author?.Display, r.GetBoolExtension(DossierExtensions.Proxy) == true, r.Id!)).ToArray();
            var questions = (q?.Item ?? []).Where(i => i.LinkId is not null).Select(i =>
            {
                var values = ordered.Select(r => Value(r.Item.FirstOrDefault(x => x.LinkId == i.LinkId))).ToArray();
                return new QuestionChange(i.LinkId!, i.Text ?? i.LinkId!, values, values.Length > 1 && values[^1] is { } last && values[0] is { } first ? last - first : null);
            }).ToArray();
            int? fromStart = moments.Length > 1 ? moments[^1].Score - moments[0].Score : null;
            int? fromPrevious = moments.Length > 1 ? moments[^1].Score - moments[^2].Score : null;
            return new MeasurementView(g.Key.Questionnaire, q?.Title ?? g.Key.Questionnaire, moments, fromStart, fromPrevious, questions, RespondentName(ordered));
        }).ToArray();

    private static string RespondentKey(QuestionnaireResponse r) =>
        r.Source?.Reference ?? (r.Source?.Display is { } name ? "naam:" + name : null) ?? r.Author?.Reference ?? (r.Author?.Display is { } author ? "naam:" + author : "");

    /// <summary>The respondent's name as the latest answer gives it; never a reference.</summary>
    private static string RespondentName(List<QuestionnaireResponse> ordered) =>
        ordered.AsEnumerable().Reverse().Select(r => r.Source is not null ? r.Source.Display : r.Author?.Display).FirstOrDefault(n => !string.IsNullOrWhiteSpace(n)) ?? "onbekend";

    public static string? MomentOf(QuestionnaireResponse r) => (r.GetExtension(DossierExtensions.MeasurementMoment)?.Value as Coding)?.Code;

    private static int Score(QuestionnaireResponse r) => r.Item.Sum(i => Value(i) ?? 0);

    private static int? Value(QuestionnaireResponse.ItemComponent? item) => item?.Answer.FirstOrDefault()?.Value switch
    {
        Integer i => i.Value,
        Coding c when int.TryParse(c.Code, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    public static string Text(DocumentReference d)
    {
        var data = d.Content.Select(c => c.Attachment?.Data).FirstOrDefault(b => b is not null);
        return data is null ? d.Description ?? "" : Encoding.UTF8.GetString(data);
    }

    public static string Code<T>(T? value) where T : struct, Enum => value is { } v ? v.GetLiteral() ?? "" : "";

    public static TimelineItem? Timeline(Resource r) => r switch
    {
        DocumentReference d => new("DocumentReference", d.Id!, SectionClassifier.Classify(d) ?? "", d.Date?.ToString("o", CultureInfo.InvariantCulture) ?? d.Meta?.LastUpdated?.ToString("o", CultureInfo.InvariantCulture),
            Excerpt(SectionClassifier.Classify(d) == Section.Logboek ? Text(d) : d.Description ?? Text(d))),
        Communication c => new("Communication", c.Id!, Section.Berichten, c.Sent, Excerpt(c.Topic?.Text ?? Message(c).Text)),
        Appointment a => new("Appointment", a.Id!, Section.Agenda, a.Start?.ToString("o", CultureInfo.InvariantCulture), Excerpt(a.Description ?? "Afspraak in de agenda")),
        Hl7.Fhir.Model.Task t => new("Task", t.Id!, Section.Afspraken, t.AuthoredOn ?? t.Restriction?.Period?.Start, Excerpt(t.Description ?? "")),
        Goal g => new("Goal", g.Id!, Section.Doelen, (g.Start as Date)?.Value ?? g.StatusDate, Excerpt(g.Description?.Text ?? "")),
        CarePlan p => new("CarePlan", p.Id!, Section.Plan, p.Created ?? p.Period?.Start, Excerpt(p.Title ?? "Plan")),
        QuestionnaireResponse q => new("QuestionnaireResponse", q.Id!, Section.Metingen, q.Authored, $"Vragenlijst ingevuld ({MomentOf(q) ?? "meting"})"),
        _ => null,
    };

    private static string Excerpt(string text)
    {
        var t = text.ReplaceLineEndings(" ").Trim();
        return t.Length <= 120 ? t : t[..120] + "…";
    }
}
