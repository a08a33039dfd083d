using System.Globalization;
using Hl7.Fhir.Model;
using Pgo.Fhir.Messages;
using Pgo.Fhir.Rest;
using Pgo.Shared.Codes;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Fhir.Profiles;

/// <summary>
/// An event that counts (issue 20, section gebeurtenissen, docs/adr/0005-dossier-mapping.md): a <c>Basic</c> whose
/// <c>code</c> is an <c>event-type</c>, <c>subject</c> the client, <c>created</c> the day it happened, <c>author</c> who
/// recorded it, and extensions for the short description, the regeling, the instantie and links to documents and
/// agreements. A procedure (aanvraag, bezwaar, beroep, klacht) adds its status, deadline and whose term it is, the decision
/// document, the outcome and the share package that went to the instantie. Every reference stays in the same dossier.
/// </summary>
public static class CountableEvent
{
    public static bool IsEvent(Basic basic) => basic.Code?.Coding.Any(c => c.System == EventCodes.TypeSystem) == true;

    public static string? TypeOf(Basic b) => b.Code?.Coding.FirstOrDefault(c => c.System == EventCodes.TypeSystem)?.Code;
    public static string? DescriptionOf(Basic b) => b.GetExtensionValue<FhirString>(DossierExtensions.EventDescription)?.Value;
    public static string? RegelingOf(Basic b) => b.GetExtensionValue<Coding>(DossierExtensions.EventRegeling)?.Code;
    public static string? InstantieOf(Basic b) => b.GetExtensionValue<Coding>(DossierExtensions.EventInstantie)?.Code;
    public static IReadOnlyList<string> LinksOf(Basic b) =>
        b.GetExtensions(DossierExtensions.EventLink).Select(e => (e.Value as ResourceReference)?.Reference).OfType<string>().ToList();
    public static string? StatusOf(Basic b) => b.GetExtensionValue<Code>(DossierExtensions.ProcedureStatus)?.Value;
    public static string? DeadlineKindOf(Basic b) => b.GetExtensionValue<Code>(DossierExtensions.ProcedureDeadlineKind)?.Value;
    public static string? OutcomeOf(Basic b) => b.GetExtensionValue<Code>(DossierExtensions.ProcedureOutcome)?.Value;
    public static string? DecisionOf(Basic b) => (b.GetExtensionValue<DataType>(DossierExtensions.ProcedureDecision) as ResourceReference)?.Reference;
    public static string? SharePackageOf(Basic b) => (b.GetExtensionValue<DataType>(DossierExtensions.ProcedureSharePackage) as ResourceReference)?.Reference;
    public static string? ContestsOf(Basic b) => (b.GetExtensionValue<DataType>(DossierExtensions.EventContests) as ResourceReference)?.Reference;

    public static DateOnly? DateOf(Basic b) => Day(b.Created);

    public static DateOnly? DeadlineOf(Basic b) => Day(b.GetExtensionValue<Date>(DossierExtensions.ProcedureDeadline)?.Value);

    /// <summary>A procedure whose deadline still counts: a procedure type, an open status and a deadline.</summary>
    public static bool IsOpenProcedure(Basic b) => IsEvent(b) && EventCodes.IsProcedure(TypeOf(b)) && EventCodes.IsOpen(StatusOf(b)) && DeadlineOf(b) is not null;

    /// <summary>The fields of an event or procedure, as the task-shaped API and the demo data give them.</summary>
    public sealed record Fields(string Type, DateOnly Date, string Description, string? Regeling = null, string? Instantie = null,
        IReadOnlyList<string>? Links = null, string? Status = null, DateOnly? Deadline = null, string? DeadlineKind = null,
        string? Decision = null, string? Outcome = null, string? SharePackage = null, string? Contests = null);

    public static Basic New(string patientId, string? author, string? authorName, Fields f, string? id = null)
    {
        var basic = new Basic
        {
            Id = id,
            Code = new CodeableConcept(EventCodes.TypeSystem, f.Type, EventCodes.TypeDisplay.GetValueOrDefault(f.Type), null),
            Subject = new ResourceReference($"Patient/{patientId}"),
            Author = author is null ? null : new ResourceReference(author, authorName),
            CreatedElement = new Date(Iso(f.Date)),
            Extension = [new Extension(DossierExtensions.EventDescription, new FhirString(f.Description.Trim()))],
        };
        if (f.Regeling is { Length: > 0 } r)
            basic.Extension.Add(new Extension(DossierExtensions.EventRegeling, new Coding(EventCodes.RegelingSystem, r, EventCodes.RegelingDisplay.GetValueOrDefault(r))));
        if (f.Instantie is { Length: > 0 } i)
            basic.Extension.Add(new Extension(DossierExtensions.EventInstantie, new Coding(EventCodes.InstantieSystem, i, EventCodes.InstantieDisplay.GetValueOrDefault(i))));
        foreach (var link in f.Links ?? []) basic.Extension.Add(new Extension(DossierExtensions.EventLink, new ResourceReference(link)));
        if (f.Status is { Length: > 0 } s) basic.Extension.Add(new Extension(DossierExtensions.ProcedureStatus, new Code(s)));
        if (f.Deadline is { } d) basic.Extension.Add(new Extension(DossierExtensions.ProcedureDeadline, new Date(Iso(d))));
        if (f.DeadlineKind is { Length: > 0 } k) basic.Extension.Add(new Extension(DossierExtensions.ProcedureDeadlineKind, new Code(k)));
        if (f.Decision is { Length: > 0 } dec) basic.Extension.Add(new Extension(DossierExtensions.ProcedureDecision, new ResourceReference(dec)));
        if (f.Outcome is { Length: > 0 } o) basic.Extension.Add(new Extension(DossierExtensions.ProcedureOutcome, new Code(o)));
        if (f.SharePackage is { Length: > 0 } p) basic.Extension.Add(new Extension(DossierExtensions.ProcedureSharePackage, new ResourceReference(p)));
        if (f.Contests is { Length: > 0 } c) basic.Extension.Add(new Extension(DossierExtensions.EventContests, new ResourceReference(c)));
        return basic;
    }

    /// <summary>The problems of an event, in Dutch; <paramref name="today"/> is the family's today (Dutch time). References are
    /// checked against the dossier by <see cref="LinkProblemsAsync"/>.</summary>
    public static IReadOnlyList<string> Check(Basic basic, DateOnly today)
    {
        var problems = new List<string>();
        var type = TypeOf(basic);
        if (type is null || !EventCodes.TypeDisplay.ContainsKey(type))
            problems.Add(Text.Format(FhirText.EventUnknownType, type, string.Join(", ", EventCodes.TypeDisplay.Keys)));
        if (basic.Subject?.Reference is not { } subject || !subject.StartsWith("Patient/", StringComparison.Ordinal))
            problems.Add(FhirText.EventNeedsFamily);
        if (DateOf(basic) is not { } date) problems.Add(FhirText.EventNeedsDate);
        else if (date > today) problems.Add(Text.Format(FhirText.EventInFuture, date));
        var description = DescriptionOf(basic);
        if (string.IsNullOrWhiteSpace(description)) problems.Add(FhirText.EventNeedsDescription);
        else
        {
            if (description.Length > EventCodes.MaxDescriptionLength) problems.Add(Text.Format(FhirText.EventDescriptionTooLong, EventCodes.MaxDescriptionLength));
            if (MarkdownSafety.Problem(description) is { } unsafeText) problems.Add(Text.Format(FhirText.EventDescriptionUnsafe, unsafeText));
        }
        Known(RegelingOf(basic), basic.GetExtensionValue<DataType>(DossierExtensions.EventRegeling), EventCodes.RegelingDisplay, FhirText.EventUnknownRegeling, problems);
        Known(InstantieOf(basic), basic.GetExtensionValue<DataType>(DossierExtensions.EventInstantie), EventCodes.InstantieDisplay, FhirText.EventUnknownInstantie, problems);
        if (type == EventCodes.Types.Aanvraag && RegelingOf(basic) is null) problems.Add(FhirText.EventApplicationNeedsRegeling);
        if (type is not null && !EventCodes.Contests(type) && basic.Extension.Any(e => e.Url == DossierExtensions.EventContests))
            problems.Add(Text.Format(FhirText.EventContestsNotAllowed, type));

        var procedureFields = new[] { DossierExtensions.ProcedureStatus, DossierExtensions.ProcedureDeadline, DossierExtensions.ProcedureDeadlineKind,
            DossierExtensions.ProcedureDecision, DossierExtensions.ProcedureOutcome, DossierExtensions.ProcedureSharePackage };
        if (!EventCodes.IsProcedure(type))
        {
            if (type is not null && basic.Extension.Any(e => procedureFields.Contains(e.Url))) problems.Add(Text.Format(FhirText.EventNotAProcedure, type));
        }
        else
        {
            var status = StatusOf(basic);
            if (status is null || !EventCodes.StatusDisplay.ContainsKey(status))
                problems.Add(Text.Format(FhirText.ProcedureUnknownStatus, status, string.Join(", ", EventCodes.StatusDisplay.Keys)));
            if (basic.Extension.Any(e => e.Url == DossierExtensions.ProcedureDeadline) && DeadlineOf(basic) is null) problems.Add(FhirText.ProcedureDeadlineInvalid);
            else if (DeadlineOf(basic) is { } deadline && DateOf(basic) is { } start && deadline < start)
                problems.Add(Text.Format(FhirText.ProcedureDeadlineBeforeDate, deadline, start));
            if (DeadlineKindOf(basic) is { } kind && !EventCodes.DeadlineDisplay.ContainsKey(kind))
                problems.Add(Text.Format(FhirText.ProcedureUnknownCode, kind, string.Join(", ", EventCodes.DeadlineDisplay.Keys)));
            if (OutcomeOf(basic) is { } outcome && !EventCodes.OutcomeDisplay.ContainsKey(outcome))
                problems.Add(Text.Format(FhirText.ProcedureUnknownCode, outcome, string.Join(", ", EventCodes.OutcomeDisplay.Keys)));
        }
        return problems;
    }

    /// <summary>
    /// Every link, the decision and the share package name a record of the right type in this same dossier. A record that
    /// does not exist is refused the same way as one of another family (the answer must not tell which).
    /// </summary>
    public static async Task<IReadOnlyList<string>> LinkProblemsAsync(Basic basic, RuleContext context)
    {
        var problems = new List<string>();
        if (context.Patients.Count != 1) return problems;
        var patient = context.Patients[0];
        var wanted = LinksOf(basic).Select(r => (Ref: r, Types: new[] { "DocumentReference", "Task" }))
            .Concat(basic.GetExtensions(DossierExtensions.EventLink).Where(e => (e.Value as ResourceReference)?.Reference is null).Select(_ => (Ref: "", Types: Array.Empty<string>())))
            .Concat(DecisionOf(basic) is { } d ? [(d, new[] { "DocumentReference" })] : [])
            .Concat(SharePackageOf(basic) is { } p ? [(p, new[] { "Consent" })] : []);
        foreach (var (reference, types) in wanted)
        {
            var parts = reference.Split('/');
            if (parts.Length != 2 || !types.Contains(parts[0]) || parts[1].Length == 0)
            {
                problems.Add(Text.Format(FhirText.EventLinkWrongType, reference));
                continue;
            }
            if (await context.ReadAsync(parts[0], parts[1]) is not { } target || !context.PatientsOf(target).Contains(patient, StringComparer.Ordinal))
                problems.Add(Text.Format(FhirText.EventLinkNotInDossier, reference));
        }
        // The event an objection, appeal or complaint contests: another event of this same dossier (refused like a link).
        foreach (var contests in basic.GetExtensions(DossierExtensions.EventContests))
        {
            var reference = (contests.Value as ResourceReference)?.Reference ?? "";
            var parts = reference.Split('/');
            if (parts.Length != 2 || parts[0] != "Basic" || parts[1].Length == 0 || parts[1] == basic.Id)
            {
                problems.Add(Text.Format(FhirText.EventContestsWrong, reference));
                continue;
            }
            if (await context.ReadAsync(parts[0], parts[1]) is not Basic target || !IsEvent(target)
                || !context.PatientsOf(target).Contains(patient, StringComparer.Ordinal))
                problems.Add(Text.Format(FhirText.EventContestsNotInDossier, reference));
        }
        return problems;
    }

    private static void Known(string? code, DataType? value, IReadOnlyDictionary<string, string> known, string refusal, List<string> problems)
    {
        if (value is null) return;
        if (code is null || !known.ContainsKey(code)) problems.Add(Text.Format(refusal, code, string.Join(", ", known.Keys)));
    }

    private static DateOnly? Day(string? s) =>
        s is { Length: 10 } && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
