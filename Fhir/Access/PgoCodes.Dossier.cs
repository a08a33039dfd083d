using Hl7.Fhir.Model;
using Pgo.Shared.Codes;

namespace Pgo.Fhir.Access;

// The codes of the dossier's content (issue 5): life domains, supporter activities, intensity, network roles,
// measurement moments, kinds of goal. Words from shared/DOMAIN.md; Dutch codes, as families say them.
public static partial class PgoCodes
{
    /// <summary>Leefgebieden: the life domain every goal (Goal.category) is about; the list lives in Shared/Codes.</summary>
    public static class LifeDomain
    {
        public const string System = LifeDomains.System;

        public static IReadOnlyDictionary<string, string> Display => LifeDomains.Display;

        public static bool IsKnown(string? code) => LifeDomains.IsKnown(code);
    }

    /// <summary>The 18 activities of a specialised client supporter (seed 000 l.2484–2522), for time registration.</summary>
    public static class SupporterActivity
    {
        public const string System = Base + "/CodeSystem/ondersteuningsactiviteit";

        public static readonly IReadOnlyDictionary<string, string> Display = new Dictionary<string, string>
        {
            ["informeren-adviseren"] = "Informeren en adviseren",
            ["vraagverheldering"] = "Vraagverheldering",
            ["administratie-regelwerk"] = "Administratie en regelwerk",
            ["zorg-zoeken-aanvragen"] = "Zorg zoeken en aanvragen",
            ["dialoog-faciliteren"] = "Dialoog faciliteren",
            ["zorg-opschalen"] = "Zorg opschalen",
            ["zorg-coordineren"] = "Zorg coördineren",
            ["ondersteuning-coordineren"] = "Overige ondersteuning coördineren",
            ["meegaan-extern"] = "Meegaan naar externe contacten",
            ["expertise-inbrengen"] = "Expertise inbrengen",
            ["eigen-regie-versterken"] = "Eigen regie versterken",
            ["activerende-coaching"] = "Activerende coaching",
            ["luisterend-oor"] = "Luisterend oor",
            ["belangenbehartiging"] = "Belangenbehartiging",
            ["klachten-bezwaar"] = "Klachten en bezwaar",
            ["levensreflectie"] = "Levensreflectie",
            ["maatwerkoplossingen"] = "Maatwerkoplossingen",
            ["signaleren-knelpunten"] = "Signaleren van knelpunten in het stelsel",
            // Time outside a family (issue 20): the supporter's practice beyond the 18 activities with a family.
            ["lerend-netwerk"] = "Lerend netwerk (buiten een gezin)",
            ["intervisie"] = "Intervisie (buiten een gezin)",
            ["signalering"] = "Signalering (buiten een gezin)",
            ["reistijd"] = "Reistijd (buiten een gezin)",
            ["scholing"] = "Scholing (buiten een gezin)",
        };

        /// <summary>The activities of time outside a family (no family named): appended to the 18, marked "buiten een gezin".</summary>
        public static readonly IReadOnlySet<string> OutsideFamily = new HashSet<string>(StringComparer.Ordinal)
            { "lerend-netwerk", "intervisie", "signalering", "reistijd", "scholing" };

        public static bool IsKnown(string? code) => code is not null && Display.ContainsKey(code);

        /// <summary>Whether <paramref name="code"/> is time outside a family.</summary>
        public static bool IsOutsideFamily(string? code) => code is not null && OutsideFamily.Contains(code);
    }

    /// <summary>Intensity of support (CarePlan.category): from intake to waakvlam and back up on a trigger; the list lives in Shared/Codes.</summary>
    public static class Intensity
    {
        public const string System = SupportIntensity.System;
        public const string Intake = SupportIntensity.Intake;
        public const string Intensief = SupportIntensity.Intensief;
        public const string Afschalen = SupportIntensity.Afschalen;
        /// <summary>A low "pilot light" contact that stays for years after support scaled down.</summary>
        public const string Waakvlam = SupportIntensity.Waakvlam;
        public const string Opschalen = SupportIntensity.Opschalen;
        public const string VliegendeKeep = SupportIntensity.VliegendeKeep;

        public static IReadOnlyDictionary<string, string> Display => SupportIntensity.Display;
    }

    /// <summary>Roles in the family's network (CareTeam.participant.role); the list lives in Shared/Codes.</summary>
    public static class NetworkRole
    {
        public const string System = NetworkRoles.System;

        public static IReadOnlyDictionary<string, string> Display => NetworkRoles.Display;
    }

    /// <summary>When a questionnaire was filled in (extension on QuestionnaireResponse).</summary>
    public static class MeasurementMoment
    {
        public const string System = Base + "/CodeSystem/meetmoment";
        public const string Nul = "0-meting";
        public const string Een = "1-meting";
        public const string Twee = "2-meting";

        public static readonly IReadOnlyList<string> All = [Nul, Een, Twee];

        public static readonly IReadOnlyDictionary<string, string> Display = new Dictionary<string, string>
        {
            [Nul] = "0-meting (begin)", [Een] = "1-meting (na ongeveer een half jaar)", [Twee] = "2-meting (na ongeveer een jaar)",
        };
    }

    /// <summary>Five-point Likert answers of the naaste-burden questionnaire (1 = helemaal niet … 5 = heel erg).</summary>
    public static class Likert5
    {
        public const string System = Base + "/CodeSystem/likert-5";

        public static readonly IReadOnlyDictionary<string, string> Display = new Dictionary<string, string>
        {
            ["1"] = "Helemaal niet", ["2"] = "Een beetje", ["3"] = "Matig", ["4"] = "Behoorlijk", ["5"] = "Heel erg",
        };
    }

    /// <summary>Yes or no (an instrument a coach adds, issue 20): 1 = ja, 0 = nee, so a total counts the yeses.</summary>
    public static class YesNo
    {
        public const string System = Base + "/CodeSystem/ja-nee";

        public static readonly IReadOnlyDictionary<string, string> Display = new Dictionary<string, string> { ["1"] = "Ja", ["0"] = "Nee" };
    }

    /// <summary>A 5-point scale of agreement with a statement (pilot 3's resilience list, issue 20).</summary>
    public static class Agreement5
    {
        public const string System = Base + "/CodeSystem/eens-5";

        public static readonly IReadOnlyDictionary<string, string> Display = new Dictionary<string, string>
        {
            ["1"] = "Helemaal oneens", ["2"] = "Oneens", ["3"] = "Neutraal", ["4"] = "Eens", ["5"] = "Helemaal eens",
        };
    }

    /// <summary>A firm goal or a loose expectation (second Goal.category coding).</summary>
    public static class GoalKind
    {
        public const string System = GoalKinds.System;
        public const string Doel = GoalKinds.Doel;
        public const string Verwachting = GoalKinds.Verwachting;
    }

    /// <summary>Extensions of the dossier content.</summary>
    public static class DossierExtensions
    {
        /// <summary>dateTime (repeating) on CarePlan: when the plan is evaluated together.</summary>
        public const string EvaluationDate = PlanExtensions.EvaluationDate;
        /// <summary>Reference(RelatedPerson) on Goal: the family member the goal is about (a naaste goal).</summary>
        public const string GoalConcerns = PlanExtensions.GoalConcerns;
        /// <summary>Coding (meetmoment) on QuestionnaireResponse.</summary>
        public const string MeasurementMoment = Base + "/StructureDefinition/measurement-moment";
        /// <summary>boolean on QuestionnaireResponse: the supporter filled it in on behalf of <c>source</c>.</summary>
        public const string Proxy = Base + "/StructureDefinition/proxy-answer";
        /// <summary>Duration (UCUM <c>min</c>) on Basic: the minutes of a time registration (section tijd).</summary>
        public const string TimeMinutes = Base + "/StructureDefinition/time-minutes";
        /// <summary>string on Basic: the supporter's short note with a time registration.</summary>
        public const string TimeNote = Base + "/StructureDefinition/time-note";
        /// <summary>string on an event (Basic, section gebeurtenissen): what happened, in short.</summary>
        public const string EventDescription = Base + "/StructureDefinition/event-description";
        /// <summary>Coding (regeling) on an event: the regeling an application or objection is under.</summary>
        public const string EventRegeling = Base + "/StructureDefinition/event-regeling";
        /// <summary>Coding (instantie) on an event: the instantie it is about.</summary>
        public const string EventInstantie = Base + "/StructureDefinition/event-instantie";
        /// <summary>Reference(DocumentReference | Task) on an event, repeating: documents and agreements of the same dossier.</summary>
        public const string EventLink = Base + "/StructureDefinition/event-link";
        /// <summary>code (procedure-status) on a procedure (aanvraag, bezwaar, beroep, klacht).</summary>
        public const string ProcedureStatus = Base + "/StructureDefinition/procedure-status";
        /// <summary>date on a procedure: its deadline (beslistermijn, bezwaartermijn, ...); the reminder comes before it.</summary>
        public const string ProcedureDeadline = Base + "/StructureDefinition/procedure-deadline";
        /// <summary>code (procedure-termijn) on a procedure: whose deadline it is.</summary>
        public const string ProcedureDeadlineKind = Base + "/StructureDefinition/procedure-deadline-kind";
        /// <summary>Reference(DocumentReference) on a procedure: the decision (beschikking) of the same dossier.</summary>
        public const string ProcedureDecision = Base + "/StructureDefinition/procedure-decision";
        /// <summary>code (procedure-uitkomst) on a procedure: how it ended.</summary>
        public const string ProcedureOutcome = Base + "/StructureDefinition/procedure-outcome";
        /// <summary>Reference(Consent) on a procedure: the share package that went to the instantie (same dossier).</summary>
        public const string ProcedureSharePackage = Base + "/StructureDefinition/procedure-share-package";
        /// <summary>Reference(Basic) on a bezwaar, beroep or klacht: the event of the same dossier it contests (the application or decision).</summary>
        public const string EventContests = Base + "/StructureDefinition/event-contests";
    }

    private static IEnumerable<CodeSystem> DossierCodeSystems()
    {
        yield return Build("leefgebied", LifeDomain.System, "Leefgebieden", "Het leefgebied waar een doel over gaat.", Pairs(LifeDomain.Display));
        yield return Build("ondersteuningsactiviteit", SupporterActivity.System, "Activiteiten van de cliëntondersteuner",
            "De 18 activiteiten van gespecialiseerde cliëntondersteuning met een gezin, en de tijd buiten een gezin (lerend netwerk, intervisie, signalering, reistijd, scholing), voor de tijdregistratie.", Pairs(SupporterActivity.Display));
        yield return Build("intensiteit", Intensity.System, "Intensiteit van ondersteuning", "Van intake tot waakvlam, en opnieuw opschalen.", Pairs(Intensity.Display));
        yield return Build("netwerkrol", NetworkRole.System, "Rollen in het netwerk", "Wie er rond het gezin staat en in welke rol.", Pairs(NetworkRole.Display));
        yield return Build("meetmoment", MeasurementMoment.System, "Meetmomenten", "Wanneer een vragenlijst is ingevuld.", Pairs(MeasurementMoment.Display));
        yield return Build("meetplan", Pgo.Shared.Codes.MeasurementPlanCodes.System, "Meetplan", "Een geplande meting (0-, 1- of 2-meting) en wat erbij hoort.",
            Pairs(Pgo.Shared.Codes.MeasurementPlanCodes.Display));
        yield return Build("likert-5", Likert5.System, "Vijfpuntsschaal", "Antwoorden van 1 (helemaal niet) tot 5 (heel erg).", Pairs(Likert5.Display));
        yield return Build("ja-nee", YesNo.System, "Ja of nee", "Ja (1) of nee (0).", Pairs(YesNo.Display));
        yield return Build("eens-5", Agreement5.System, "Vijfpuntsschaal eens/oneens", "Antwoorden van 1 (helemaal oneens) tot 5 (helemaal eens).", Pairs(Agreement5.Display));
        yield return Build("doelsoort", GoalKind.System, "Soort doel", "Een vast doel of een losse verwachting.",
            [(GoalKind.Doel, "Doel"), (GoalKind.Verwachting, "Verwachting (los, zonder meetpunt)")]);
        yield return Build("event-type", EventCodes.TypeSystem, "Soorten gebeurtenissen",
            "Gebeurtenissen die tellen: aanvragen, besluiten, bezwaren, klachten, crises, verhuizingen, contact met instanties.", Pairs(EventCodes.TypeDisplay));
        yield return Build("regeling", EventCodes.RegelingSystem, "Regelingen", "De regeling waaronder een aanvraag of bezwaar valt.", Pairs(EventCodes.RegelingDisplay));
        yield return Build("instantie", EventCodes.InstantieSystem, "Instanties", "De instantie waar een gebeurtenis of knelpunt over gaat.", Pairs(EventCodes.InstantieDisplay));
        yield return Build("procedure-status", EventCodes.StatusSystem, "Status van een procedure", "Waar een aanvraag, bezwaar, beroep of klacht staat.", Pairs(EventCodes.StatusDisplay));
        yield return Build("procedure-termijn", EventCodes.DeadlineSystem, "Termijnen", "Welke termijn de uiterste datum van een procedure is.", Pairs(EventCodes.DeadlineDisplay));
        yield return Build("procedure-uitkomst", EventCodes.OutcomeSystem, "Uitkomst van een procedure", "Hoe een aanvraag, bezwaar, beroep of klacht afliep.", Pairs(EventCodes.OutcomeDisplay));
        yield return Build("mbc-oordeel", BusinessCaseJudgements.System, "Oordeel over een post van de businesscase",
            "Of een gebeurtenis uit de maatschappelijke businesscase voorkomen is, toch gebeurde of niet van toepassing is.", Pairs(BusinessCaseJudgements.Display));
        foreach (var cs in Family.CodeSystems()) yield return cs;
    }

    private static IEnumerable<(string, string)> Pairs(IReadOnlyDictionary<string, string> display) => display.Select(kv => (kv.Key, kv.Value));

    /// <summary>One ValueSet per project CodeSystem (all its codes), at <c>{Base}/ValueSet/{name}</c>.</summary>
    public static IEnumerable<ValueSet> ValueSets() => CodeSystems().Select(cs => new ValueSet
    {
        Id = cs.Id,
        Url = cs.Url!.Replace("/CodeSystem/", "/ValueSet/", StringComparison.Ordinal),
        Name = cs.Name,
        Title = cs.Title,
        Status = PublicationStatus.Active,
        Description = cs.Description,
        Compose = new ValueSet.ComposeComponent { Include = [new ValueSet.ConceptSetComponent { System = cs.Url }] },
    });
}
