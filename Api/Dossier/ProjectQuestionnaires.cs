using Hl7.Fhir.Model;
using Pgo.Fhir.Access;

namespace Pgo.Api.Dossier;

/// <summary>
/// The project's measurement questionnaires (Metingen), filled in at the 0-, 1- and 2-meting by the family or by the
/// supporter as proxy: a family capability / quality-of-life list with 0–10 grades (as pilot 2 asked them) and a
/// naaste-burden list on a 1–5 Likert scale (as pilot 3). Directory resources, loaded at start-up with the terminology.
/// </summary>
public static class ProjectQuestionnaires
{
    public const string KwaliteitVanLeven = "kwaliteit-van-leven";
    public const string BelastingNaaste = "belasting-naaste";
    public const string Capabilities = "capabilities";
    public const string Veerkracht = "veerkracht";

    public static string Canonical(string id) => $"{PgoCodes.Base}/Questionnaire/{id}";

    /// <summary>The platform's own lists (not retired through /api/instruments).</summary>
    public static bool IsProject(string id) => id is KwaliteitVanLeven or BelastingNaaste or Capabilities or Veerkracht;

    internal static Questionnaire.AnswerOptionComponent[] YesNo() =>
        PgoCodes.YesNo.Display.Select(kv => new Questionnaire.AnswerOptionComponent { Value = new Coding(PgoCodes.YesNo.System, kv.Key, kv.Value) }).ToArray();

    public static IEnumerable<Questionnaire> All()
    {
        yield return Build(KwaliteitVanLeven, "Gezinsvragenlijst kwaliteit van leven",
            "Hoe gaat het met het gezin? Een cijfer van 0 (heel slecht) tot 10 (uitstekend) per onderwerp. Een hoger totaal is beter.",
            Grades(),
            ("rust", "Rust en ritme in het gezin"),
            ("gezondheid", "De gezondheid en het welzijn van de cliënt"),
            ("regie", "Het gevoel dat wij zelf de regie hebben"),
            ("zorg-geregeld", "De zorg en ondersteuning zijn goed geregeld"),
            ("netwerk", "Steun van familie, vrienden en buren"),
            ("toekomst", "Vertrouwen in de toekomst"));
        yield return Build(BelastingNaaste, "Vragenlijst belasting van de naaste",
            "Hoe zwaar is de zorg voor de naaste? 1 = helemaal niet, 5 = heel erg. Een lager totaal is beter.",
            Likert(),
            ("overbelast", "Ik voel me overbelast door de zorg"),
            ("geen-tijd", "Ik heb te weinig tijd voor mezelf"),
            ("slaap", "Ik slaap slecht door zorgen of nachtelijke zorg"),
            ("werk", "De zorg gaat ten koste van mijn werk of school"),
            ("alleen", "Ik sta er alleen voor"));
        // Issue 20: the pilots' own instruments. Pilot 2's statements after the capability approach (what someone can be
        // and do), each graded 0–10 as the pilot asked them (wording from the pilots' effect measurement, seed 000).
        yield return Build(Capabilities, "Wat kan ik (capabilitylijst)",
            "Hoe zeer geldt dit voor u? Een cijfer van 0 (helemaal niet) tot 10 (helemaal wel) per uitspraak. Een hoger totaal is beter.",
            Grades(),
            ("structuur", "Ik heb structuur in mijn leven"),
            ("kwetsbaarheden", "Ik kan omgaan met mijn kwetsbaarheden"),
            ("tevreden", "Ik ben tevreden met mezelf"),
            ("doel", "Ik heb een doel in mijn leven"),
            ("zelfredzaam", "Ik ben zelfredzaam"),
            ("problemen-oplossen", "Ik kan mijn eigen problemen oplossen"),
            ("bijdrage", "Ik lever een bijdrage aan de maatschappij"));
        // Pilot 3's resilience statements on a 5-point Likert scale of agreement (grip, influence, feeling well).
        yield return Build(Veerkracht, "Vragenlijst veerkracht",
            "In hoeverre bent u het eens met deze uitspraken? 1 = helemaal oneens, 5 = helemaal eens. Een hoger totaal is beter.",
            Agreement(),
            ("in-mijn-vel", "Ik zit goed in mijn vel"),
            ("grip", "Ik heb grip op mijn eigen leven"),
            ("invloed", "Ik heb invloed op de zorg of ondersteuning die ik krijg"),
            ("tegenslag", "Na een tegenslag pak ik de draad weer op"),
            ("hulp-vragen", "Ik weet bij wie ik terecht kan als het niet gaat"));
    }

    /// <summary>A 5-point Likert scale of agreement (pilot 3's statements), codes 1–5 in the project's Likert CodeSystem.</summary>
    internal static Questionnaire.AnswerOptionComponent[] Agreement() =>
        PgoCodes.Agreement5.Display.Select(kv => new Questionnaire.AnswerOptionComponent { Value = new Coding(PgoCodes.Agreement5.System, kv.Key, kv.Value) }).ToArray();

    internal static Questionnaire.AnswerOptionComponent[] Grades() =>
        Enumerable.Range(0, 11).Select(i => new Questionnaire.AnswerOptionComponent { Value = new Integer(i) }).ToArray();

    private static Questionnaire.AnswerOptionComponent[] Likert() =>
        PgoCodes.Likert5.Display.Select(kv => new Questionnaire.AnswerOptionComponent { Value = new Coding(PgoCodes.Likert5.System, kv.Key, kv.Value) }).ToArray();

    internal static Questionnaire Build(string id, string title, string description, Questionnaire.AnswerOptionComponent[] options, params (string LinkId, string Text)[] items) => new()
    {
        Id = id,
        Url = Canonical(id),
        Name = string.Concat(id.Split('-').Select(p => char.ToUpperInvariant(p[0]) + p[1..])),
        Title = title,
        Status = PublicationStatus.Active,
        Description = description,
        SubjectType = [ResourceType.Patient],
        Item = items.Select(i => new Questionnaire.ItemComponent
        {
            LinkId = i.LinkId,
            Text = i.Text,
            Type = options[0].Value is Integer ? Questionnaire.QuestionnaireItemType.Integer : Questionnaire.QuestionnaireItemType.Choice,
            Required = true,
            AnswerOption = options.Select(o => (Questionnaire.AnswerOptionComponent)o.DeepCopy()).ToList(),
        }).ToList(),
    };
}
