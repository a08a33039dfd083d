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
    /// Whether a representative (not the client) who is regiehouder keeps regie at this stage:
    /// always before 18; after 18 only with a recorded mentorship or curatele (<paramref name="legalRepresentative"/>).
    /// </summary>
    public static bool RepresentativeKeepsRegie(AgeStage stage, bool legalRepresentative) =>
        stage != AgeStage.Adult || legalRepresentative;

    /// <summary>What the client may do in their own dossier without any Consent naming them.</summary>
    public static (bool Read, bool Write, bool Manage) OwnAccess(AgeStage stage) => stage switch
    {
        AgeStage.Child => (false, false, false),
        AgeStage.YoungTeen => (true, true, false),
        _ => (true, true, true),
    };
}
