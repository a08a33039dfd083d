using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using static Pgo.Fhir.Access.PgoCodes;
using Pgo.Fhir.Messages;

namespace Pgo.Fhir.Profiles;

/// <summary>
/// The project's profiles of the family's dossier, written as code rules (Firely's profile validator is not
/// available). Applied by the repository before every create and update, also inside transaction and batch Bundles;
/// a problem answers 422 with the Dutch text below and nothing is stored. The mapping behind them:
/// docs/adr/0005-dossier-mapping.md.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Goal (doel): a life domain from the <c>leefgebied</c> CodeSystem in <c>category</c>.</item>
/// <item>Task (afspraak): an <c>owner</c> (a reference or at least a name; a reference names someone of the dossier's
///   network, <see cref="OutsideDossierAsync"/>); the due date (<c>restriction.period.end</c>) not before its start, the same for <c>executionPeriod</c>.</item>
/// <item>Every dossier resource belongs to one family's dossier and refers to no other family's resources.</item>
/// <item>Notes (Annotation text, Markdown attachments, message text) carry no HTML or script (<see cref="MarkdownSafety"/>).</item>
/// <item>Basic with an activity of <c>ondersteuningsactiviteit</c> (a time registration, formerly section tijd): refused;
///   time is the supporter's practice (Api/Practice, docs/adr/0009-supporter-time.md). <see cref="TimeRegistration"/> still reads older ones.</item>
/// <item>Basic with an <c>intensiteit</c> code (a change of intensity, section plan): a known intensity (and from), a client,
///   who set it, an effective date not in the future, a short reason without HTML, agreed with the family, and a contact
///   rhythm of 1 to 52 weeks only on waakvlam (<see cref="IntensityChange"/>).</item>
/// <item>Basic with an <c>event-type</c> code (an event that counts, section gebeurtenissen): a known type, a client, a
///   date not in the future, a short safe description, known codes, procedure fields only on a procedure (with a status),
///   and links, decision and share package naming records of the right type in this dossier (<see cref="CountableEvent"/>).</item>
/// <item>QuestionnaireResponse: its questionnaire exists, every answer belongs to a question of it, and an answer to a
///   question with <c>answerOption</c>s is one of them (<see cref="QuestionnaireAnswers"/>); its respondent (<c>source</c>)
///   is someone of this dossier, by the same rule as an agreement's owner (<see cref="OutsideDossierAsync"/>).</item>
/// </list>
/// </remarks>
public sealed class ProjectProfiles(TimeProvider? clock = null) : IResourceRule
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>Identity records may link a person's roles in several dossiers; they are not dossier content.</summary>
    private static readonly HashSet<string> SpanDossiers = new(StringComparer.Ordinal) { "Person", "Group" };

    public async ValueTask<IReadOnlyList<string>> CheckAsync(RuleContext context)
    {
        var problems = new List<string>();
        var resource = context.Incoming;
        switch (resource)
        {
            case Goal goal:
                CheckGoal(goal, problems);
                break;
            case Hl7.Fhir.Model.Task task:
                CheckTask(task, problems);
                if (task.Owner?.Reference is { Length: > 0 } owner && (context.Current as Hl7.Fhir.Model.Task)?.Owner?.Reference != owner
                    && await OutsideDossierAsync(owner, context))
                    problems.Add(FhirText.TaskOwnerNotInNetwork);
                break;
            case Basic basic when TimeRegistration.IsTimeEntry(basic):
                // Issue 20: time is the supporter's practice (Api/Practice, docs/adr/0009-supporter-time.md); the FHIR path is closed.
                problems.Add(FhirText.TimeInPractice);
                break;
            case Basic basic when IntensityChange.IsChange(basic):
                problems.AddRange(IntensityChange.Check(basic, TimeRegistration.Today(_clock)));
                break;
            case Basic basic when CountableEvent.IsEvent(basic):
                problems.AddRange(CountableEvent.Check(basic, TimeRegistration.Today(_clock)));
                problems.AddRange(await CountableEvent.LinkProblemsAsync(basic, context));
                break;
            case Basic basic when BusinessCaseJudgement.IsJudgement(basic):
                problems.AddRange(BusinessCaseJudgement.Check(basic, TimeRegistration.Today(_clock)));
                break;
            case QuestionnaireResponse response:
                problems.AddRange(await QuestionnaireAnswers.CheckAsync(response, context));
                // Issue 20: the respondent (source) is someone of this dossier, by the same rule as an agreement's owner.
                if (response.Source?.Reference is { Length: > 0 } respondent && (context.Current as QuestionnaireResponse)?.Source?.Reference != respondent
                    && await OutsideDossierAsync(respondent, context))
                    problems.Add(FhirText.MeasurementRespondentNotInDossier);
                break;
        }
        CheckMarkdown(resource, problems);
        if (SectionClassifier.IsDossierType(resource.TypeName) && !SpanDossiers.Contains(resource.TypeName))
            problems.AddRange(await CheckOneDossierAsync(context));
        return problems;
    }

    private static void CheckGoal(Goal goal, List<string> problems)
    {
        var domains = goal.Category.SelectMany(c => c.Coding).Where(c => c.System == LifeDomain.System).ToList();
        if (domains.Count == 0)
            problems.Add(Text.Format(FhirText.GoalNeedsLifeDomain, LifeDomain.System));
        else if (domains.FirstOrDefault(c => !LifeDomain.IsKnown(c.Code)) is { } unknown)
            problems.Add(Text.Format(FhirText.GoalUnknownLifeDomain, unknown.Code, string.Join(", ", LifeDomain.Display.Keys)));
    }

    private static void CheckTask(Hl7.Fhir.Model.Task task, List<string> problems)
    {
        // A name alone is enough: "opa Jan" or "de school" need not be in the network to take on an agreement.
        if (string.IsNullOrWhiteSpace(task.Owner?.Reference) && string.IsNullOrWhiteSpace(task.Owner?.Display))
            problems.Add(FhirText.TaskNeedsOwner);
        if (task.Restriction?.Period is { } due && EndsBeforeStart(due))
            problems.Add(Text.Format(FhirText.TaskDueBeforeStart, due.End, due.Start));
        if (task.ExecutionPeriod is { } execution && EndsBeforeStart(execution))
            problems.Add(Text.Format(FhirText.TaskEndsBeforeStart, execution.End, execution.Start));
    }

    /// <summary>
    /// A reference names someone of this dossier: the client, a RelatedPerson of the dossier, a member of one of its
    /// CareTeams or an actor of one of its Consents (a person with a grant). Used for a Task.owner (anyone else would be
    /// given an agreement they can never see: an owner reference gives no access, "mijn afspraken" searches in the
    /// caller's scope) and for a QuestionnaireResponse.source (the respondent of a measurement). The answer must not tell
    /// whether a record elsewhere exists, so a missing one is refused the same way. Callers check only a changed
    /// reference: ticking off an agreement of someone who has since left the network still works.
    /// </summary>
    private static async Task<bool> OutsideDossierAsync(string reference, RuleContext context)
    {
        if (context.Patients.Count != 1) return false;
        var parts = reference.Split('/');
        if (parts.Length != 2 || reference.Contains(':', StringComparison.Ordinal) || reference.Contains('?', StringComparison.Ordinal)) return true;
        var patient = context.Patients[0];
        var (type, id) = (parts[0], parts[1]);
        if (type == "Patient") return id != patient;
        if (type == "RelatedPerson" && await context.ReadAsync(type, id) is { } related)
            return !context.PatientsOf(related).Contains(patient, StringComparer.Ordinal);
        var who = Uri.EscapeDataString(reference);
        var of = Uri.EscapeDataString($"Patient/{patient}");
        return !await context.ExistsAsync("CareTeam", $"patient={of}&participant={who}")
            && !await context.ExistsAsync("Consent", $"patient={of}&actor={who}");
    }

    private static bool EndsBeforeStart(Period period) =>
        period.StartElement is { Value: { } startText } start && period.EndElement is { Value: { } endText } end
        && start.TryToDateTimeOffset(TimeSpan.Zero, out var s) && end.TryToDateTimeOffset(TimeSpan.Zero, out var e)
        && e < s && !SameDay(startText, endText);

    // A date-only end ("2026-12-01") includes that day, so it is not before a start at a time on the same day.
    private static bool SameDay(string start, string end) => end.Length == 10 && start.StartsWith(end, StringComparison.Ordinal);

    private static void CheckMarkdown(Resource resource, List<string> problems)
    {
        foreach (var node in FhirElements.Descendants(resource))
        {
            var (text, refusal) = node switch
            {
                Annotation a => (a.Text, FhirText.MarkdownUnsafeNote),
                Attachment { Data: { } data } att when att.ContentType?.Contains("markdown", StringComparison.OrdinalIgnoreCase) == true
                    => (System.Text.Encoding.UTF8.GetString(data), FhirText.MarkdownUnsafeText),
                Communication.PayloadComponent { Content: FhirString s } => (s.Value, FhirText.MarkdownUnsafeMessage),
                _ => (null, null),
            };
            if (MarkdownSafety.Problem(text) is { } problem)
                problems.Add(Text.Format(refusal!, problem));
        }
    }

    /// <summary>A dossier resource is in one family's dossier and refers only to that dossier and the directory.</summary>
    private static async Task<IEnumerable<string>> CheckOneDossierAsync(RuleContext context)
    {
        var own = context.Patients;
        if (own.Count > 1)
            return [Text.Format(FhirText.RecordInSeveralDossiers, string.Join(", Patient/", own))];
        if (own.Count == 0) return [];
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // A naaste's own dossier (issue 18) names their record in the client's network: one person, two places.
        if (context.Incoming is Patient self)
            foreach (var link in self.Link.Select(l => l.Other?.Reference).OfType<string>().Where(r => r.StartsWith("RelatedPerson/", StringComparison.Ordinal)))
                seen.Add(link);
        foreach (var reference in FhirElements.Descendants(context.Incoming).OfType<ResourceReference>())
        {
            if (reference.Reference is not { } r || !seen.Add(r)) continue;
            var parts = r.Split('/');
            if (parts.Length != 2 || r.Contains(':', StringComparison.Ordinal)) continue; // absolute, contained, logical
            var (type, id) = (parts[0], parts[1]);
            if (type == context.Incoming.TypeName && id == context.Incoming.Id) continue;
            if (!SectionClassifier.IsDossierType(type) || SpanDossiers.Contains(type)) continue;
            IReadOnlyList<string> theirs;
            if (type == "Patient") theirs = [id];
            else if (await context.ReadAsync(type, id) is { } target) theirs = context.PatientsOf(target);
            else continue; // not (yet) stored: nothing to compare
            if (theirs.Count > 0 && !theirs.Intersect(own, StringComparer.Ordinal).Any())
                problems.Add(Text.Format(FhirText.ReferenceToOtherDossier, r, own[0]));
        }
        return problems;
    }
}
