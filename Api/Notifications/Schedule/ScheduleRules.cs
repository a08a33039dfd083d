using System.Globalization;
using Pgo.Api.Dossier;
using Pgo.Fhir.Access;
using Pgo.Shared.Codes;
using Pgo.Shared.Text;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Notifications.Schedule;

/// <summary>Who a scheduled notice is for, before each candidate's own access decides (<see cref="ScheduleRules.MayBeTold"/>).</summary>
public enum ScheduleAudience
{
    /// <summary>The Persons acting as the agreement's owner.</summary>
    Owner,
    /// <summary>The Persons acting as an actor of the grant.</summary>
    Holder,
    /// <summary>The dossier's regiehouders and the Persons of the share package's organisation.</summary>
    RegiehoudersAndAgency,
    /// <summary>The dossier's regiehouders and the supporters (ondersteuner) with a grant.</summary>
    RegiehoudersAndSupporters,
    /// <summary>The client's own Person and the dossier's regiehouders (the 12 and 16 age steps).</summary>
    ClientAndRegiehouders,
}

/// <summary>
/// One thing time brought: a notification of <paramref name="Kind"/> about <paramref name="Subject"/> (<c>Task/x</c>,
/// <c>Consent/x</c>, <c>Patient/x</c>) in the dossier of <paramref name="PatientId"/>, with its delivery key (the same on
/// every run and every instance, so that adding it twice adds nothing). <paramref name="Item"/> is what the stored
/// notification points at: the agreement, the ended grant; null where the person need not be able to read the record
/// itself (a supporter told of their own grant ending, or of the client turning 18, reads no Consent or profile; the bell
/// shows such a notification while they see the dossier). <paramref name="Records"/>: the FHIR records whose Persons are
/// the candidates (the owner, the grant's actors, the package's organisation); the regiehouders and supporters come from
/// the dossier's grants.
/// </summary>
/// <param name="Step">For an age step (leeftijdsstap): the milestone (RegieCodes.Milestones) or "voorlopig".</param>
public sealed record ScheduledNotice(string Kind, string Key, string PatientId, string? Section, string Subject, string? Item, ScheduleAudience To,
    IReadOnlyList<string> Records, string? Step = null);

/// <summary>
/// What is due when: pure functions of the facts (an agreement, a grant, a birth date) and the moment, no database and no
/// clock. Days are days in Europe/Amsterdam (<see cref="DutchTime"/>). Whether an agreement is open and when it is due
/// is the overview's rule (<see cref="DossierViews.IsOpen"/>, <see cref="DossierViews.DueOf(Hl7.Fhir.Model.Task)"/>),
/// never a second one. A notice keeps being due for a while (<see cref="CatchUpDays"/>): the sweep runs every quarter
/// of an hour on every instance, the key makes it once, and an Api that was down for a day still tells.
/// </summary>
public static class ScheduleRules
{
    /// <summary>"Toegang eindigt": a grant that ends within a week.</summary>
    public static readonly TimeSpan GrantEndsWithin = TimeSpan.FromDays(7);

    /// <summary>"Deelpakket verloopt": a share package that ends within two days.</summary>
    public static readonly TimeSpan PackageEndsWithin = TimeSpan.FromDays(2);

    /// <summary>"Wordt 18": from six months before the 18th birthday (supporters start the checklist well ahead; DOMAIN.md §3.8).</summary>
    public const int EighteenNoticeMonths = 6;

    /// <summary>How many days after its day a notice that was not given (the Api was down) is still given; older ones are
    /// not (a first start does not tell about every agreement that was ever late).</summary>
    public const int CatchUpDays = 7;

    private const string AgreementTomorrow = NotificationKinds.AgreementDueTomorrow;
    private const string AgreementLate = NotificationKinds.AgreementOverdue;
    private const string AccessEnding = NotificationKinds.AccessEnding;
    private const string AccessEnded = NotificationKinds.AccessEnded;
    private const string PackageExpiring = NotificationKinds.SharePackageExpiring;
    private const string TurningEighteen = NotificationKinds.TurningEighteen;
    private const string AgeStep = NotificationKinds.AgeStep;
    private const string ProcedureDeadline = NotificationKinds.ProcedureDeadline;
    private const string ContactDue = NotificationKinds.ContactDue;
    private const string MeasurementDue = NotificationKinds.MeasurementDue;

    /// <summary>The step of the monthly reminder while regie after 18 is only "voorlopig" (no choice, no account).</summary>
    public const string ProvisionalStep = "voorlopig";

    // ---------------------------------------------------------------- agreements

    /// <summary>
    /// An open agreement with an owner: "afspraak-morgen" on the day before its due day, "afspraak-te-laat" once it is
    /// overdue by the overview's rule, from the day after its due day (a notice per due day: moving the date tells again).
    /// </summary>
    public static IEnumerable<ScheduledNotice> Agreement(Hl7.Fhir.Model.Task task, DateTimeOffset now)
    {
        if (task.Id is not { } id || PatientOf(task.For?.Reference) is not { } patient || task.Owner?.Reference is not { Length: > 0 } owner) yield break;
        if (!DossierViews.IsOpen(task) || DueDay(task) is not { } dueDay) yield break;
        var section = SectionClassifier.Classify(task) ?? Section.Afspraken;
        var today = DutchTime.Today(now);
        var item = $"Task/{id}";
        if (dueDay == today.AddDays(1))
            yield return new(AgreementTomorrow, Key(AgreementTomorrow, item, dueDay), patient, section, item, item, ScheduleAudience.Owner, [owner]);
        if (DossierViews.Agreement(task, now).Overdue && today > dueDay && today <= dueDay.AddDays(1 + CatchUpDays))
            yield return new(AgreementLate, Key(AgreementLate, item, dueDay), patient, section, item, item, ScheduleAudience.Owner, [owner]);
    }

    /// <summary>The day (Europe/Amsterdam) an agreement is due: a date-only end is that day itself; a moment is the Dutch
    /// day it falls on. The moment it becomes overdue stays <see cref="DossierViews.DueOf(Hl7.Fhir.Model.Task)"/>'s.</summary>
    public static DateOnly? DueDay(Hl7.Fhir.Model.Task task)
    {
        var end = task.Restriction?.Period?.End;
        if (end is { Length: 10 } && DateOnly.TryParseExact(end, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return day;
        return DossierViews.DueOf(task) is { } due ? DutchTime.Today(due) : null;
    }

    // ---------------------------------------------------------------- procedures (issue 20)

    /// <summary>
    /// "Termijn nadert": an open procedure (aanvraag, bezwaar, beroep, klacht with an open status) from
    /// <paramref name="daysBefore"/> days before its deadline up to the deadline itself (the window is its catch-up), to the
    /// dossier's regiehouders and supporters who may read it. A notice per deadline: a moved deadline tells again.
    /// </summary>
    public static IEnumerable<ScheduledNotice> Procedure(Hl7.Fhir.Model.Basic procedure, DateTimeOffset now, int daysBefore)
    {
        if (procedure.Id is not { } id || PatientOf(procedure.Subject?.Reference) is not { } patient) yield break;
        if (!Pgo.Fhir.Profiles.CountableEvent.IsOpenProcedure(procedure) || Pgo.Fhir.Profiles.CountableEvent.DeadlineOf(procedure) is not { } deadline) yield break;
        var today = DutchTime.Today(now);
        if (today < deadline.AddDays(-daysBefore) || today > deadline) yield break;
        var item = $"Basic/{id}";
        var section = SectionClassifier.Classify(procedure) ?? Section.Gebeurtenissen;
        yield return new(ProcedureDeadline, Key(ProcedureDeadline, item, deadline), patient, section, item, item, ScheduleAudience.RegiehoudersAndSupporters, []);
    }

    // ---------------------------------------------------------------- waakvlam contact (issue 20)

    /// <summary>
    /// "Contact nodig": the family's current intensity (its newest change, <paramref name="change"/>) is waakvlam and its
    /// contact rhythm has passed since the last contact (or since waakvlam began): from the due day
    /// (<see cref="Pgo.Api.Caseload.IntensityRules.ContactDue"/>) for <see cref="CatchUpDays"/>, to the family's supporters who
    /// may read the plan. A notice per due day: once per due period; a new contact moves the due day and tells again later.
    /// </summary>
    public static IEnumerable<ScheduledNotice> Contact(Hl7.Fhir.Model.Basic change, DateOnly? lastContact, DateTimeOffset now, int defaultRhythmWeeks)
    {
        if (change.Id is not { } id || PatientOf(change.Subject?.Reference) is not { } patient) yield break;
        var to = Pgo.Fhir.Profiles.IntensityChange.ToOf(change);
        if (!IntensityChanges.HasRhythm(to) || Pgo.Fhir.Profiles.IntensityChange.EffectiveOf(change) is not { } since) yield break;
        var rhythm = Pgo.Api.Caseload.IntensityRules.RhythmOf(change, to, defaultRhythmWeeks)!.Value;
        var due = Pgo.Api.Caseload.IntensityRules.ContactDue(since, lastContact, rhythm);
        var today = DutchTime.Today(now);
        if (today < due || today > due.AddDays(CatchUpDays)) yield break;
        var item = $"Basic/{id}";
        yield return new(ContactDue, $"{ContactDue}:Patient/{patient}:{Day(due)}", patient, Section.Plan, item, item, ScheduleAudience.RegiehoudersAndSupporters, []);
    }

    // ---------------------------------------------------------------- the measurement plan (issue 20)

    /// <summary>
    /// "Meting gepland": an open planned meting (a Task coded <c>meting-gepland</c>, section metingen) from
    /// <paramref name="daysBefore"/> days before its due day up to the day itself (the window is its catch-up), and once
    /// when it is overdue, from the day after for <see cref="CatchUpDays"/>; to the supporters and regiehouders of the
    /// dossier who may read metingen, and to its owner. A notice per due day and step: a moved due day tells again.
    /// </summary>
    public static IEnumerable<ScheduledNotice> PlannedMeasurement(Hl7.Fhir.Model.Task task, DateTimeOffset now, int daysBefore)
    {
        if (task.Id is not { } id || PatientOf(task.For?.Reference) is not { } patient) yield break;
        if (!Pgo.Shared.Codes.MeasurementPlanCodes.IsPlanned(task) || !DossierViews.IsOpen(task) || MeasurementPlan.DueOf(task) is not { } due) yield break;
        var today = DutchTime.Today(now);
        var item = $"Task/{id}";
        List<string> owner = task.Owner?.Reference is { Length: > 0 } o ? [o] : [];
        if (today >= due.AddDays(-daysBefore) && today <= due)
            yield return new(MeasurementDue, $"{Key(MeasurementDue, item, due)}:vooraf", patient, Section.Metingen, item, item, ScheduleAudience.RegiehoudersAndSupporters, owner);
        if (today > due && today <= due.AddDays(1 + CatchUpDays))
            yield return new(MeasurementDue, $"{Key(MeasurementDue, item, due)}:te-laat", patient, Section.Metingen, item, item, ScheduleAudience.RegiehoudersAndSupporters, owner);
    }

    // ---------------------------------------------------------------- grants

    /// <summary>
    /// A grant by its period: "toegang-eindigt" while it is in force and ends within <see cref="GrantEndsWithin"/> (not a
    /// share package: that is "deelpakket-verloopt", to the family and the agency); "toegang-beeindigd" once it ended by its
    /// date (still active: a revocation makes it inactive, and the rules tell of that). A notice per end: a grant that is
    /// extended and ends again tells again. Hidden items (deny) are no grant to anyone.
    /// </summary>
    public static IEnumerable<ScheduledNotice> Grant(ConsentGrant grant, DateTimeOffset now)
    {
        if (grant.IsDeny || grant.PatientId is not { } patient || grant.Until is not { } until || grant.Actors.Count == 0) yield break;
        var item = $"Consent/{grant.Id}";
        var actors = grant.Actors.Select(a => a.Reference).ToList();
        if (grant.InForce(now) && until - now <= GrantEndsWithin && !grant.IsSharePackage)
            yield return new(AccessEnding, Key(AccessEnding, item, until), patient, Section.Toegang, item, null, ScheduleAudience.Holder, actors);
        if (grant.InForce(now) && until - now <= PackageEndsWithin && grant.IsSharePackage)
            yield return new(PackageExpiring, Key(PackageExpiring, item, until), patient, Section.Toegang, item, null, ScheduleAudience.RegiehoudersAndAgency,
                NotificationDecisions.AgencyActors(grant).ToList());
        if (grant.Active && until <= now && (grant.From is null || grant.From < until) && now - until <= TimeSpan.FromDays(CatchUpDays))
            yield return new(AccessEnded, Key(AccessEnded, item, until), patient, Section.Toegang, item, item, ScheduleAudience.Holder, actors);
    }

    // ---------------------------------------------------------------- turning 18

    /// <summary>
    /// "Wordt 18": once from <see cref="EighteenNoticeMonths"/> months before the 18th birthday, and once on the day (what
    /// changes then: <see cref="AgeRules"/>; a parent's regie ends unless a mentorship or curatele is recorded).
    /// </summary>
    public static IEnumerable<ScheduledNotice> Birthday(string patientId, DateOnly birth, DateTimeOffset now)
    {
        var eighteen = AgeRules.EighteenthBirthday(birth);
        var today = DutchTime.Today(now);
        var item = $"Patient/{patientId}";
        if (today >= eighteen.AddMonths(-EighteenNoticeMonths) && today < eighteen)
            yield return new(TurningEighteen, $"{TurningEighteen}:{item}:{Day(eighteen)}:vooraf", patientId, null, item, null, ScheduleAudience.RegiehoudersAndSupporters, []);
        if (today >= eighteen && today <= eighteen.AddDays(CatchUpDays))
            yield return new(TurningEighteen, $"{TurningEighteen}:{item}:{Day(eighteen)}:vandaag", patientId, null, item, null, ScheduleAudience.RegiehoudersAndSupporters, []);
    }

    /// <summary>The birth dates whose 18th birthday is a notice now: the window to search Patients in (inclusive).</summary>
    public static (DateOnly From, DateOnly To) BirthWindow(DateTimeOffset now)
    {
        var today = DutchTime.Today(now);
        return (today.AddDays(-CatchUpDays).AddYears(-18), today.AddMonths(EighteenNoticeMonths).AddYears(-18));
    }

    // ---------------------------------------------------------------- age steps (issue 18)

    /// <summary>
    /// "Leeftijdsstap" on each age step's day (<see cref="AgeRules.Milestones"/>: 12, the start of the transition track,
    /// 16, 17, three months before 18, 18), caught up for <see cref="CatchUpDays"/>: at 12 and 16 to the client and the
    /// regiehouders (their own access and say), the others to the regiehouders and the supporters. One key per step and day.
    /// </summary>
    public static IEnumerable<ScheduledNotice> AgeSteps(string patientId, DateOnly birth, DateTimeOffset now, int transitionStartAge = AgeRules.DefaultTransitionStartAge)
    {
        var today = DutchTime.Today(now);
        var item = $"Patient/{patientId}";
        foreach (var (step, day) in AgeRules.Milestones(birth, transitionStartAge))
        {
            if (today < day || today > day.AddDays(CatchUpDays)) continue;
            var to = step is RegieCodes.Milestones.Twelve or RegieCodes.Milestones.Sixteen ? ScheduleAudience.ClientAndRegiehouders : ScheduleAudience.RegiehoudersAndSupporters;
            yield return new(AgeStep, $"{AgeStep}:{item}:{step}:{Day(day)}", patientId, null, item, null, to, [], step);
        }
    }

    /// <summary>
    /// While regie after 18 holds only "voorlopig" (the caller decides that: <see cref="RegieStatus"/>), a reminder each
    /// month after the 18th birthday, on the day of the month of the birthday, caught up for <see cref="CatchUpDays"/>.
    /// </summary>
    public static IEnumerable<ScheduledNotice> Provisional(string patientId, DateOnly birth, DateTimeOffset now)
    {
        var eighteen = AgeRules.EighteenthBirthday(birth);
        var today = DutchTime.Today(now);
        var months = (today.Year - eighteen.Year) * 12 + today.Month - eighteen.Month;
        if (eighteen.AddMonths(months) > today) months--;
        if (months < 1) yield break;
        var day = eighteen.AddMonths(months);
        if (today > day.AddDays(CatchUpDays)) yield break;
        var item = $"Patient/{patientId}";
        yield return new(AgeStep, $"{AgeStep}:{item}:{ProvisionalStep}:{Day(day)}", patientId, null, item, null, ScheduleAudience.RegiehoudersAndSupporters, [], ProvisionalStep);
    }

    /// <summary>The birth dates with an age step now: from 18 years (and the catch-up) ago to 12 years ago, inclusive.</summary>
    public static (DateOnly From, DateOnly To) AgeStepWindow(DateTimeOffset now)
    {
        var today = DutchTime.Today(now);
        return (today.AddDays(-CatchUpDays).AddYears(-18), today.AddYears(-12));
    }

    // ---------------------------------------------------------------- who may be told

    /// <summary>
    /// Whether the person whose compiled <paramref name="scope"/> this is may be told of <paramref name="notice"/> now: the
    /// same decision as a read. An agreement: they act as its owner and may read it. "Toegang eindigt": the grant still
    /// gives them access. "Toegang beëindigd": they were its holder (told although the dossier is gone for them: the
    /// notification names only the family). A share package: a regiehouder who reads the dossier's grants, or someone of
    /// the organisation the package still gives access. "Wordt 18": a regiehouder of the dossier, or a supporter
    /// (ondersteuner) whose grant is in force.
    /// </summary>
    public static bool MayBeTold(ScheduledNotice notice, AccessScope scope)
    {
        var patient = notice.PatientId;
        var (type, id) = Split(notice.Subject);
        return notice.Kind switch
        {
            AgreementTomorrow or AgreementLate =>
                notice.Records.Any(r => scope.Identities.Contains(r, StringComparer.Ordinal)) && scope.CanRead(type, id, notice.Section ?? Section.Afspraken, [patient]),
            AccessEnding => NotificationDecisions.HoldsGrant(scope, patient, id),
            AccessEnded => notice.Records.Any(r => scope.Identities.Contains(r, StringComparer.Ordinal)),
            PackageExpiring =>
                (NotificationDecisions.HoldsRegie(scope, patient) && scope.CanRead(type, id, Section.Toegang, [patient]))
                || (notice.Records.Any(r => scope.Identities.Contains(r, StringComparer.Ordinal)) && NotificationDecisions.HoldsGrant(scope, patient, id)),
            TurningEighteen => NotificationDecisions.HearsMilestones(scope, patient),
            AgeStep => RegieStatus.HearsAgeStep(scope, patient, notice.Step ?? ""),
            // A regiehouder or a supporter in force who may read the procedure itself (its section).
            ProcedureDeadline => NotificationDecisions.HearsMilestones(scope, patient) && scope.CanRead(type, id, notice.Section ?? Section.Gebeurtenissen, [patient]),
            // The family's supporter (or stand-in), who may read the plan: keeping contact is their work, not the family's.
            ContactDue => DossierOperations.IsSupporter(scope, patient) && NotificationDecisions.HearsMilestones(scope, patient)
                && scope.CanRead(type, id, notice.Section ?? Section.Plan, [patient]),
            // A regiehouder or a supporter in force, or the meting's owner, who may read metingen.
            MeasurementDue => (NotificationDecisions.HearsMilestones(scope, patient) || notice.Records.Any(r => scope.Identities.Contains(r, StringComparer.Ordinal)))
                && scope.CanRead(type, id, notice.Section ?? Section.Metingen, [patient]),
            _ => false,
        };
    }

    // ---------------------------------------------------------------- keys

    private static string Key(string kind, string item, DateOnly day) => $"{kind}:{item}:{Day(day)}";

    private static string Key(string kind, string item, DateTimeOffset end) =>
        $"{kind}:{item}:{end.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}";

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string? PatientOf(string? reference) =>
        reference is not null && reference.StartsWith("Patient/", StringComparison.Ordinal) && reference.Length > "Patient/".Length ? reference["Patient/".Length..] : null;

    private static (string Type, string Id) Split(string item)
    {
        var slash = item.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (item, "") : (item[..slash], item[(slash + 1)..]);
    }
}
