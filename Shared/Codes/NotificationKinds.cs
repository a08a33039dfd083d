namespace Pgo.Shared.Codes;

/// <summary>
/// What a person can be told about (issue 17). The Api stores the code; the Portal says it in a sentence; the account
/// page lists <see cref="All"/> with its label and the mail choice (direct, dagelijks, uit), which starts at
/// <see cref="Kind.DefaultMail"/>.
/// </summary>
public static class NotificationKinds
{
    public const string Message = "bericht";
    public const string AgreementAssigned = "afspraak-toegewezen";
    public const string AgreementDueTomorrow = "afspraak-morgen";
    public const string AgreementOverdue = "afspraak-te-laat";
    public const string PlanChanged = "plan-gewijzigd";
    public const string GoalChanged = "doel-gewijzigd";
    public const string DocumentShared = "document-gedeeld";
    public const string AccessGranted = "toegang-gekregen";
    public const string AccessChanged = "toegang-gewijzigd";
    public const string AccessEnding = "toegang-eindigt";
    public const string AccessEnded = "toegang-beeindigd";
    public const string InvitationAccepted = "uitnodiging-geaccepteerd";
    public const string SharePackageExpiring = "deelpakket-verloopt";
    public const string TurningEighteen = "wordt-18";
    /// <summary>An age step of the client (12, start of the checklist, 16, 17, 18) or a choice for after 18 still open (issue 18).</summary>
    public const string AgeStep = "leeftijdsstap";
    public const string SuccessionRequested = "opvolging-gevraagd";
    public const string SuccessionDone = "opvolging-rond";
    public const string StandInNamed = "invaller-genoemd";
    public const string SupporterChanged = "ondersteuner-gewisseld";
    /// <summary>Another regiehouder changed who has access (each regiehouder sees what the other changed).</summary>
    public const string AccessChangedByOther = "toegang-gewijzigd-door-ander";
    /// <summary>The deadline of an open procedure (aanvraag, bezwaar, beroep, klacht) is near (issue 20): a few days before.</summary>
    public const string ProcedureDeadline = "termijn-nadert";
    /// <summary>A waakvlam family's contact rhythm has passed without contact (issue 20): to the supporter, once per due day.</summary>
    public const string ContactDue = "contact-nodig";
    /// <summary>A planned meting (0-, 1- or 2-meting) of a family is due in a few days, or is overdue (issue 20): to the supporter and the regiehouders.</summary>
    public const string MeasurementDue = "meting-gepland";
    public const string TeamMention = "team-vermelding";
    public const string TeamReply = "team-reactie";
    public const string TeamArticle = "team-artikel";
    /// <summary>The coach asks the author to edit a post saved despite the guard's warning (issue 19).</summary>
    public const string TeamEditRequest = "team-bewerkverzoek";
    /// <summary>A member asks the coaches and experts to review a kennisbank article.</summary>
    public const string TeamReviewRequest = "team-controleverzoek";
    /// <summary>The status or outcome of a knelpunt the person signalled changed (the landelijk coördinator).</summary>
    public const string TeamSignal = "team-knelpunt";
    /// <summary>The team's coach assigned a referred family to the supporter, for the intake (issue 20).</summary>
    public const string ReferralAssigned = "verwijzing-toegewezen";

    /// <summary>The groups the account page shows the kinds in.</summary>
    public static class Groups
    {
        public const string Dossier = "dossier";
        public const string Access = "toegang";
        public const string Team = "team";
    }

    /// <summary>How a kind reaches someone by mail: at once (after quiet hours), in the daily digest, or not.</summary>
    public static class Mail
    {
        public const string Direct = "direct";
        public const string Daily = "dagelijks";
        public const string Off = "uit";

        public static readonly IReadOnlyList<string> All = [Direct, Daily, Off];
    }

    public sealed record Kind(string Code, string Label, string Group, string DefaultMail);

    /// <summary>Every kind, in the order the account page lists them. What needs someone soon mails at once by default;
    /// what is good to know goes in the daily digest.</summary>
    public static readonly IReadOnlyList<Kind> All =
    [
        new(Message, "Nieuw bericht in een gesprek waar u aan deelneemt", Groups.Dossier, Mail.Daily),
        new(AgreementAssigned, "Een afspraak is aan u toegewezen", Groups.Dossier, Mail.Direct),
        new(AgreementDueTomorrow, "Een afspraak van u moet morgen klaar zijn", Groups.Dossier, Mail.Direct),
        new(AgreementOverdue, "Een afspraak van u is te laat", Groups.Dossier, Mail.Daily),
        new(PlanChanged, "Een plan dat u volgt is gewijzigd", Groups.Dossier, Mail.Daily),
        new(GoalChanged, "Een doel dat u volgt is gewijzigd", Groups.Dossier, Mail.Daily),
        new(DocumentShared, "Een document is met u gedeeld", Groups.Dossier, Mail.Daily),
        new(ProcedureDeadline, "De termijn van een aanvraag, bezwaar of klacht loopt bijna af", Groups.Dossier, Mail.Direct),
        new(ContactDue, "Een gezin in waakvlam heeft contact nodig", Groups.Dossier, Mail.Direct),
        new(MeasurementDue, "Een geplande meting komt eraan of is te laat", Groups.Dossier, Mail.Daily),
        new(TurningEighteen, "De cliënt wordt 18", Groups.Dossier, Mail.Direct),
        new(AgeStep, "Een leeftijdsstap van de cliënt (12, 15, 16, 17, 18 jaar)", Groups.Dossier, Mail.Direct),
        new(SuccessionRequested, "Er is gevraagd de regie over te nemen (opvolging)", Groups.Access, Mail.Direct),
        new(SuccessionDone, "De opvolging van een regiehouder is rond", Groups.Access, Mail.Direct),
        new(StandInNamed, "Er is een invaller genoemd", Groups.Access, Mail.Direct),
        new(SupporterChanged, "De ondersteuner van een gezin is gewisseld", Groups.Access, Mail.Direct),
        new(AccessChangedByOther, "De andere regiehouder heeft de toegang gewijzigd", Groups.Access, Mail.Direct),
        new(AccessGranted, "U heeft toegang gekregen", Groups.Access, Mail.Direct),
        new(AccessChanged, "Uw toegang is gewijzigd", Groups.Access, Mail.Direct),
        new(AccessEnding, "Uw toegang eindigt binnenkort", Groups.Access, Mail.Direct),
        new(AccessEnded, "Uw toegang is beëindigd", Groups.Access, Mail.Direct),
        new(InvitationAccepted, "Iemand heeft uw uitnodiging aangenomen", Groups.Access, Mail.Direct),
        new(SharePackageExpiring, "Een deelpakket verloopt binnenkort", Groups.Access, Mail.Direct),
        new(TeamMention, "U bent genoemd in de teamruimte", Groups.Team, Mail.Direct),
        new(TeamReply, "Een reactie op uw bericht in de teamruimte", Groups.Team, Mail.Daily),
        new(TeamArticle, "Een nieuw artikel in een kanaal dat u volgt", Groups.Team, Mail.Daily),
        new(TeamEditRequest, "De coach vraagt u een bericht aan te passen", Groups.Team, Mail.Direct),
        new(TeamReviewRequest, "Een kennisbankartikel wacht op controle", Groups.Team, Mail.Daily),
        new(TeamSignal, "Nieuws over een knelpunt dat u signaleerde", Groups.Team, Mail.Daily),
        new(ReferralAssigned, "Een verwezen gezin is aan u toegewezen voor de intake", Groups.Team, Mail.Direct),
    ];

    private static readonly Dictionary<string, Kind> ByCode = All.ToDictionary(k => k.Code, StringComparer.Ordinal);

    public static Kind? Find(string? code) => code is not null && ByCode.TryGetValue(code, out var k) ? k : null;

    public static bool IsKnown(string? code) => Find(code) is not null;
}
