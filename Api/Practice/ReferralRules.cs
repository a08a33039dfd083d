using System.Globalization;
using System.Text.RegularExpressions;
using Pgo.Api.Errors;
using Pgo.Api.TeamSpace.Safety;
using Pgo.Fhir.Profiles;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Practice;

/// <summary>How a caller stands to one referral; decided only by <see cref="ReferralRules.RelationOf"/>.</summary>
public enum ReferralRelation
{
    /// <summary>No relation: the referral does not exist for them (404).</summary>
    None,

    /// <summary>The professional who referred: the family's details they gave and the status, nothing of the intake.</summary>
    Referrer,

    /// <summary>A coach of the team the referral went to: everything, assigns, closes.</summary>
    TeamCoach,

    /// <summary>The supporter the coach assigned: everything, records the intake.</summary>
    AssignedSupporter,
}

/// <summary>
/// The rules of a referral (issue 20, docs/adr/0010-referrals.md) in one place, free of storage and HTTP: who sees a
/// referral and what of it, who assigns, who does the intake, what a referral must hold (the family's consent among it),
/// and the waiting times. Each check answers the Dutch (or English) problem for the user, or null when there is none.
/// </summary>
public static partial class ReferralRules
{
    public static class Status
    {
        public const string New = "nieuw";
        public const string Assigned = "toegewezen";
        public const string Intake = "intake";
        public const string InSupport = "in-begeleiding";
        public const string NotNow = "niet-nu";
        public const string Closed = "gesloten";

        public static readonly IReadOnlyDictionary<string, string> Display = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [New] = "Nieuw, nog niet toegewezen",
            [Assigned] = "Toegewezen, intake gepland",
            [Intake] = "Intake gedaan, wacht op toestemming van het gezin",
            [InSupport] = "In begeleiding",
            [NotNow] = "Het gezin wil nu (nog) geen ondersteuning",
            [Closed] = "Gesloten",
        };
    }

    /// <summary>How the family's consent to the referral was given (recorded by the referrer).</summary>
    public static class ConsentHow
    {
        public const string Oral = "mondeling";
        public const string Written = "schriftelijk";
        public const string Email = "per-email";

        public static readonly IReadOnlyDictionary<string, string> Display = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Oral] = "mondeling",
            [Written] = "schriftelijk",
            [Email] = "per e-mail",
        };
    }

    /// <summary>The events of a referral's history.</summary>
    public static class Events
    {
        public const string Created = "aangemaakt";
        public const string Assigned = "toegewezen";
        public const string Intake = "intake";
        public const string AccessGiven = "toegang-gegeven";
        public const string NotNow = "niet-nu";
        public const string Closed = "gesloten";
    }

    /// <summary>The sections the family gives the supporter when they accept the request after the intake: the demo's
    /// bondgenoot sections (plan, goals, agreements, logbook, messages, agenda, network, measurements, time, events; never the
    /// medical file, the finances or the documents), read and write.</summary>
    public static readonly IReadOnlyList<string> SupporterSections =
        [Section.Plan, Section.Doelen, Section.Afspraken, Section.Logboek, Section.Berichten, Section.Agenda, Section.Netwerk, Section.Metingen, Section.Tijd, Section.Gebeurtenissen];

    public const int MaxReasonLength = 1000;
    public const int MaxNoteLength = 1000;
    public const int MaxNameLength = 100;
    public const int MaxRoleLength = 150;

    /// <summary>How a caller stands to a referral: referrer, a coach of its team, the assigned supporter, or nobody. When
    /// one person is more than one (a coach who is also assigned), the widest view counts: coach, then supporter.</summary>
    /// <param name="coachedTeams">The teams the caller coaches now (team-space role coach, not left).</param>
    public static ReferralRelation RelationOf(string callerKey, IReadOnlySet<long> coachedTeams, long teamId, string referrerKey, string? assignedKey)
    {
        if (coachedTeams.Contains(teamId)) return ReferralRelation.TeamCoach;
        if (assignedKey is not null && string.Equals(assignedKey, callerKey, StringComparison.Ordinal)) return ReferralRelation.AssignedSupporter;
        if (string.Equals(referrerKey, callerKey, StringComparison.Ordinal)) return ReferralRelation.Referrer;
        return ReferralRelation.None;
    }

    /// <summary>Whether a team-space role makes its holder the team's coördinator for referrals: the coach.</summary>
    public static bool CoachesTeam(string roleInTeam) => roleInTeam == Pgo.Api.TeamSpace.Teams.TeamRoles.Coach;

    public static bool Sees(ReferralRelation r) => r != ReferralRelation.None;

    /// <summary>The referrer sees the status and the dates, not who was assigned nor the intake or closing notes.</summary>
    public static bool SeesDetails(ReferralRelation r) => r is ReferralRelation.TeamCoach or ReferralRelation.AssignedSupporter;

    /// <summary>Assigning (again, while no intake was recorded) and closing: the team's coach.</summary>
    public static bool MayAssign(ReferralRelation r, string status) => r == ReferralRelation.TeamCoach && status is Status.New or Status.Assigned;

    public static bool MayClose(ReferralRelation r, string status) => r == ReferralRelation.TeamCoach && status != Status.Closed;

    /// <summary>The intake: only the assigned supporter, once, after assignment.</summary>
    public static bool MayRecordIntake(ReferralRelation r, string status) => r == ReferralRelation.AssignedSupporter && status == Status.Assigned;

    /// <summary>Whom a supporter may be assigned: an active member of the referral's team who works with families there
    /// (team role supporter or coach; not a guest or an expert).</summary>
    public static bool MayBeAssigned(string? roleInTeam) => roleInTeam is Pgo.Api.TeamSpace.Teams.TeamRoles.Supporter or Pgo.Api.TeamSpace.Teams.TeamRoles.Coach;

    /// <summary>Who answers the request after the intake: the person whose confirmed e-mail address is the parent's
    /// address on the referral (case-insensitive). No address on the referral, or an unconfirmed one: nobody.</summary>
    public static bool IsTheParent(string? parentEmail, string? callerEmail, bool callerEmailVerified) =>
        callerEmailVerified && !string.IsNullOrWhiteSpace(parentEmail) && !string.IsNullOrWhiteSpace(callerEmail)
        && string.Equals(parentEmail.Trim(), callerEmail.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>The family may answer while the request waits (after the intake; "niet nu" may be changed into yes later).</summary>
    public static bool MayAnswer(string status) => status is Status.Intake or Status.NotNow;

    /// <summary>The problem with a new referral, or null.</summary>
    public static string? CheckReferral(string? clientFirstName, int? birthYear, string? parentName, string? parentEmail, string? parentPhone,
        string? reason, string? referrerRole, string? consentHow, DateOnly? consentDate, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(clientFirstName) || clientFirstName.Trim().Length > 60) return ApiText.ReferralClientName;
        if (birthYear is not { } year || year < today.Year - 120 || year > today.Year) return ApiText.ReferralBirthYear;
        if (string.IsNullOrWhiteSpace(parentName) || parentName.Trim().Length > MaxNameLength) return ApiProblem.Text(ApiText.ReferralParentName, MaxNameLength);
        if (string.IsNullOrWhiteSpace(parentEmail) && string.IsNullOrWhiteSpace(parentPhone)) return ApiText.ReferralContactNeeded;
        if (!string.IsNullOrWhiteSpace(parentEmail) && !EmailShape().IsMatch(parentEmail.Trim())) return ApiText.ReferralEmailInvalid;
        if (!string.IsNullOrWhiteSpace(parentPhone) && !PhoneShape().IsMatch(parentPhone.Trim())) return ApiText.ReferralPhoneInvalid;
        if (string.IsNullOrWhiteSpace(referrerRole) || referrerRole.Trim().Length > MaxRoleLength) return ApiProblem.Text(ApiText.ReferralRoleNeeded, MaxRoleLength);
        if (CheckText(reason, MaxReasonLength, required: true) is { } problem) return problem;
        if (CheckText(referrerRole, MaxRoleLength, required: true) is { } roleProblem) return roleProblem;
        if (consentHow is null || !ConsentHow.Display.ContainsKey(consentHow)) return ApiText.ReferralConsentNeeded;
        if (consentDate is not { } given) return ApiText.ReferralConsentNeeded;
        if (given > today) return ApiText.ReferralConsentInFuture;
        return null;
    }

    /// <summary>The problem with an intake (date not in the future nor before the referral, a short note), or null.</summary>
    public static string? CheckIntake(DateOnly? date, string? note, DateOnly referred, DateOnly today)
    {
        if (date is not { } d) return ApiText.DateInvalid;
        if (d > today) return ApiText.ReferralIntakeInFuture;
        if (d < referred) return ApiText.ReferralIntakeBeforeReferral;
        return CheckText(note, MaxNoteLength, required: false);
    }

    /// <summary>A reason for closing: required, short, safe.</summary>
    public static string? CheckCloseReason(string? reason) => CheckText(reason, MaxNoteLength, required: true);

    /// <summary>Free text: length, no BSN (elfproef, like the team space's guard), and the platform's markdown safety.</summary>
    public static string? CheckText(string? text, int max, bool required)
    {
        if (string.IsNullOrWhiteSpace(text)) return required ? ApiProblem.Text(ApiText.ReferralTextNeeded, max) : null;
        if (text.Trim().Length > max) return ApiProblem.Text(ApiText.ReferralTextNeeded, max);
        if (ContainsBsn(text)) return ApiText.ReferralNoBsn;
        return MarkdownSafety.Problem(text) is { } problem ? ApiProblem.Text(ApiText.TimeNoteUnsafe, problem) : null;
    }

    /// <summary>Whether a text holds a burgerservicenummer (nine digits, optionally grouped, passing the elfproef).</summary>
    public static bool ContainsBsn(string text) =>
        BsnCandidate().Matches(text).Any(m => Elfproef.IsValidBsn(new string(m.Value.Where(char.IsAsciiDigit).ToArray())));

    /// <summary>Whole days (Amsterdam dates) from <paramref name="fromMs"/> to <paramref name="toMs"/>, or null when the step has not happened.</summary>
    public static int? WaitingDays(long fromMs, long? toMs) =>
        toMs is { } to ? Pgo.Shared.Text.DutchTime.Today(DateTimeOffset.FromUnixTimeMilliseconds(to)).DayNumber
            - Pgo.Shared.Text.DutchTime.Today(DateTimeOffset.FromUnixTimeMilliseconds(fromMs)).DayNumber : null;

    /// <summary>The average of the known waiting days, rounded to one decimal, or null when there are none.</summary>
    public static double? Average(IEnumerable<int?> days)
    {
        var known = days.OfType<int>().ToList();
        return known.Count == 0 ? null : Math.Round(known.Average(), 1);
    }

    /// <summary>The birth year from an age given instead (this year minus the age).</summary>
    public static int? BirthYear(int? birthYear, int? age, DateOnly today) => birthYear ?? (age is { } a and >= 0 and <= 120 ? today.Year - a : null);

    public static DateOnly? ParseDate(string? s) =>
        s is not null && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    // Nine digits, optionally grouped by single spaces or dots (the team space's guard uses the same shape).
    [GeneratedRegex(@"(?<![\d.])\d(?:[ .]?\d){8}(?![\d])", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex BsnCandidate();

    [GeneratedRegex(@"^[^@\s<>]{1,64}@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex EmailShape();

    [GeneratedRegex(@"^\+?[0-9 ()\-]{8,20}$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex PhoneShape();
}
