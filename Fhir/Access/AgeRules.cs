namespace Pgo.Fhir.Access;

/// <summary>The representation stages of Dutch PGOs (MedMij) by the client's age.</summary>
public enum AgeStage
{
    /// <summary>No birth date recorded: no age rule applies.</summary>
    Unknown,
    /// <summary>Under 12: a parent acts alone.</summary>
    Child,
    /// <summary>12 to 16: child and parent together; the child reads and writes, the parent keeps regie.</summary>
    YoungTeen,
    /// <summary>16 and 17: the client decides (full regie of their own); parents keep theirs until 18.</summary>
    Adolescent,
    /// <summary>18 and over: parental regie ends unless a mentorship or curatele is recorded.</summary>
    Adult,
}

/// <summary>
/// The age rules, computed (never stored): the stage of a client on a given day, and when the regiehouders
/// should be reminded that parental control ends at 18 (three months before the 18th birthday).
/// </summary>
public static class AgeRules
{
    public static readonly int ReminderMonths = 3;

    public static AgeStage StageOf(DateOnly? birthDate, DateOnly today)
    {
        if (birthDate is not { } birth) return AgeStage.Unknown;
        var age = AgeOn(birth, today);
        return age switch
        {
            < 12 => AgeStage.Child,
            < 16 => AgeStage.YoungTeen,
            < 18 => AgeStage.Adolescent,
            _ => AgeStage.Adult,
        };
    }

    public static int AgeOn(DateOnly birth, DateOnly today)
    {
        var age = today.Year - birth.Year;
        if (today < birth.AddYears(age)) age--;
        return age;
    }

    public static DateOnly EighteenthBirthday(DateOnly birth) => birth.AddYears(18);

    /// <summary>True from three months before the 18th birthday until the day before it.</summary>
    public static bool ReminderDue(DateOnly birth, DateOnly today)
    {
        var eighteen = EighteenthBirthday(birth);
        return today >= eighteen.AddMonths(-ReminderMonths) && today < eighteen;
    }

    /// <summary>
    /// Whether a representative (not the client) who is regiehouder keeps regie at this stage: always before 18; after 18
    /// with a legal representation in force (mentor, curator, WGBO representative: <paramref name="byLaw"/>), or, so that
    /// a dossier is never left without someone who can manage access, provisionally ("voorlopig") while the client has
    /// no account of their own (<paramref name="clientHasAccount"/>): from the moment the client can act, the client holds
    /// regie and the parents' regie without a legal basis ends.
    /// </summary>
    public static bool RepresentativeKeepsRegie(AgeStage stage, bool byLaw, bool clientHasAccount) =>
        stage != AgeStage.Adult || byLaw || !clientHasAccount;

    /// <summary>Whether a representative's regie after 18 holds only provisionally (no legal basis; the client has no account yet).</summary>
    public static bool ProvisionalRegie(AgeStage stage, bool byLaw, bool clientHasAccount) =>
        stage == AgeStage.Adult && !byLaw && !clientHasAccount;

    /// <summary>The age at which the transition track (checklist 18 jaar) starts, unless configured otherwise (Pgo:Transition:StartAge).</summary>
    public const int DefaultTransitionStartAge = 15;

    /// <summary>The day each age step happens for a client born on <paramref name="birth"/> (RegieCodes.Milestones): 12, the
    /// start of the transition track, 16, 17, three months before 18, and 18.</summary>
    public static IReadOnlyList<(string Milestone, DateOnly Day)> Milestones(DateOnly birth, int transitionStartAge = DefaultTransitionStartAge) =>
    [
        (Pgo.Shared.Codes.RegieCodes.Milestones.Twelve, birth.AddYears(12)),
        (Pgo.Shared.Codes.RegieCodes.Milestones.TransitionStart, birth.AddYears(Math.Clamp(transitionStartAge, 12, 17))),
        (Pgo.Shared.Codes.RegieCodes.Milestones.Sixteen, birth.AddYears(16)),
        (Pgo.Shared.Codes.RegieCodes.Milestones.Seventeen, birth.AddYears(17)),
        (Pgo.Shared.Codes.RegieCodes.Milestones.ThreeMonths, EighteenthBirthday(birth).AddMonths(-ReminderMonths)),
        (Pgo.Shared.Codes.RegieCodes.Milestones.Eighteen, EighteenthBirthday(birth)),
    ];

    /// <summary>Whether the transition track is open: from the start age until the 18th birthday (and after it while no
    /// choice is recorded; the caller decides that).</summary>
    public static bool TransitionOpen(DateOnly birth, DateOnly today, int transitionStartAge = DefaultTransitionStartAge) =>
        today >= birth.AddYears(Math.Clamp(transitionStartAge, 12, 17)) && today < EighteenthBirthday(birth);

    /// <summary>What the client may do in their own dossier without any Consent naming them.</summary>
    public static (bool Read, bool Write, bool Manage) OwnAccess(AgeStage stage) => stage switch
    {
        AgeStage.Child => (false, false, false),
        AgeStage.YoungTeen => (true, true, false),
        _ => (true, true, true),
    };
}
