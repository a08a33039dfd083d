namespace Pgo.Shared.Contracts;

// Referral and intake (issue 20; Api/Practice, docs/adr/0010-referrals.md) as the Portal reads and writes them.

/// <summary>A team a professional can refer to.</summary>
public sealed record ReferralTeam(long Id, string Name);

/// <summary>A new referral. The family's consent is required: how (<c>mondeling</c>, <c>schriftelijk</c>, <c>per-email</c>)
/// and when (yyyy-MM-dd, not in the future). The client's birth year, or their age instead.</summary>
public sealed record ReferralInput(long? TeamId, string? ClientFirstName, int? ClientBirthYear, int? ClientAge, string? ParentName,
    string? ParentEmail, string? ParentPhone, string? Reason, string? ReferrerRole, string? ConsentHow, string? ConsentDate);

public sealed record ReferralAssign(string? Supporter);

public sealed record ReferralIntake(string? Date, string? Note);

public sealed record ReferralClose(string? Reason);

public sealed record ReferralAccept(string? PatientId);

/// <summary>One step in a referral's history (dates and times as instants; the Portal shows them in Amsterdam time).</summary>
public sealed record ReferralEventView(string Kind, string ActorName, DateTimeOffset At, string? Detail);

/// <summary>
/// A referral as the caller may see it. The referrer gets the family's details they gave and the status; the assigned
/// supporter's name, the intake note, the waiting days, the closing reason and the history are null for them. Dates are
/// yyyy-MM-dd (Amsterdam). <paramref name="DaysToAssignment"/> etc.: whole days from the referral, null while the step is
/// still to come; <paramref name="DaysWaiting"/>: days since the referral while it waits for assignment.
/// </summary>
public sealed record ReferralView(long Id, long TeamId, string TeamName, string Status, string StatusName, string ClientFirstName, int? ClientBirthYear,
    string ParentName, string? ParentEmail, string? ParentPhone, string Reason, string ReferrerName, string ReferrerRole, string ConsentHow,
    string ConsentDate, string Referred, string? AssignedName, string? AssignedKey, string? IntakeDate, string? IntakeNote, string? AccessGiven,
    string? CloseReason, int? DaysToAssignment, int? DaysToIntake, int? DaysToAccess, int? DaysWaiting, ReferralEventView[]? History,
    bool MayAssign, bool MayRecordIntake, bool MayClose);

/// <summary>A supporter of the team the coach may assign, with their caseload size: the families in which they hold a
/// supporter grant in force.</summary>
public sealed record ReferralSupporter(string Key, string Name, int Families);

/// <summary>The coach's view of a team's referrals, the averages of the waiting days and the supporters to assign.</summary>
public sealed record TeamReferrals(long TeamId, string TeamName, ReferralView[] Referrals, double? AverageDaysToAssignment,
    double? AverageDaysToIntake, double? AverageDaysToAccess, ReferralSupporter[] Supporters);

/// <summary>A dossier in which the caller is regiehouder (to give the supporter access to).</summary>
public sealed record ReferralDossier(string PatientId, string Name);

/// <summary>The request a family sees after the intake: "Ricardo (bondgenoot) wil uw gezin ondersteunen".</summary>
public sealed record ReferralAccessRequest(long Id, string SupporterName, string TeamName, string ClientFirstName, string? IntakeDate, string Status,
    ReferralDossier[] Dossiers);
