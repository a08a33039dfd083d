using System.Globalization;
using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Demo;

/// <summary>
/// Who may see what in the demo families (issue 4): each family's founding regie Consent, a bondgenoot per family
/// with read/write on plan, doelen, afspraken, logboek, berichten, agenda, netwerk, metingen, tijd and gebeurtenissen, the Strikwerda finances hidden from the dementia case
/// manager, Frank with two regiehouders, Luc van Assen his own regiehouder with Paula reading the agenda only, and a
/// gemeente share package. Also the FHIR Persons of the demo accounts (ids exactly as in Identity/Demo/DemoAccounts.cs)
/// and the Practitioners, Organizations and PractitionerRoles they act as.
/// </summary>
public static class DemoGrants
{
    /// <summary>Grants of the demo run from this day; the share package ends a year later.</summary>
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The bondgenoot co-writes plan, goals, agreements and logbook, messages the network, joins meetings, keeps the
    /// network map, fills in measurements (as proxy too) and registers the time spent with the family; never the medical
    /// file, the finances or the documents.</summary>
    internal static readonly string[] BondgenootSections =
        [Section.Plan, Section.Doelen, Section.Afspraken, Section.Logboek, Section.Berichten, Section.Agenda, Section.Netwerk, Section.Metingen, Section.Tijd, Section.Gebeurtenissen];

    /// <summary>The directory: organisations, practitioners, their roles, and the Person of every demo account.</summary>
    public static IEnumerable<Resource> Directory()
    {
        yield return Organization("bondgenoten", "Bondgenoten (onafhankelijke cliëntondersteuning)");
        yield return Organization("dementiezorg-noord", "Dementiezorg Noord");
        yield return Organization("gemeente-leeuwarden", "Gemeente Leeuwarden, team Wmo");

        foreach (var (id, name) in new[] { ("ricardo", "Ricardo"), ("khadija", "Khadija"), ("sven", "Sven"), ("hans", "Hans"), ("ilse", "Ilse"), ("elise", "Elise") })
        {
            yield return Practitioner($"bondgenoot-{id}", name, "bondgenoot");
            yield return Role($"bondgenoot-{id}", "bondgenoten");
            yield return Person($"bondgenoot-{id}", $"{name} (bondgenoot)", $"Practitioner/bondgenoot-{id}");
        }
        yield return Practitioner("coach-smit", "Marieke Smit", "coach");
        yield return Role("coach-smit", "bondgenoten");
        yield return Person("coach-smit", "Marieke Smit (coach)", "Practitioner/coach-smit");

        // The second team of the team space (Copiloten Zuid, issue 19): no family grants.
        yield return Organization("copiloten-zuid", "Copiloten Zuid (cliëntondersteuning)");
        yield return Practitioner("coach-verbeek", "Joost Verbeek", "coach");
        yield return Role("coach-verbeek", "copiloten-zuid");
        yield return Person("coach-verbeek", "Joost Verbeek (coach)", "Practitioner/coach-verbeek");
        yield return Practitioner("copiloot-noor", "Noor", "copiloot");
        yield return Role("copiloot-noor", "copiloten-zuid");
        yield return Person("copiloot-noor", "Noor (copiloot)", "Practitioner/copiloot-noor");

        yield return Practitioner("casemanager-dementie-bos", "Annelies Bos", "casemanager dementie");
        yield return Role("casemanager-dementie-bos", "dementiezorg-noord");
        yield return Person("casemanager-dementie-bos", "Annelies Bos (casemanager dementie)", "Practitioner/casemanager-dementie-bos");

        yield return Practitioner("gemeente-wmo-degroot", "Peter de Groot", "Wmo-consulent");
        yield return Role("gemeente-wmo-degroot", "gemeente-leeuwarden");
        yield return Person("gemeente-wmo-degroot", "Peter de Groot (Wmo-consulent)", "Practitioner/gemeente-wmo-degroot");

        // Family members with an account act as their RelatedPerson; Luc acts as himself (Patient).
        yield return Person("strikwerda-tessa", "Tessa Strikwerda", "RelatedPerson/strikwerda-tessa");
        yield return Person("bilic-gulan", "Gulan Bilic", "RelatedPerson/bilic-gulan");
        yield return Person("sterk-loes", "Loes Sterk", "RelatedPerson/sterk-loes");
        yield return Person("frank-karin", "Karin Frank", "RelatedPerson/frank-karin");
        yield return Person("frank-ruben", "Ruben Frank", "RelatedPerson/frank-ruben");
        // Ilona is regiehouder of Kim and of Lex (his own dossier, issue 18): a record in each.
        yield return Person("dewit-ilona", "Ilona de Wit", "RelatedPerson/dewit-ilona", "RelatedPerson/dewit-lex-ilona");
        // Cheryl (19) is a naaste in her father's network and the client of her own dossier.
        yield return Person("strikwerda-cheryl", "Cheryl Strikwerda", "RelatedPerson/strikwerda-cheryl", "Patient/strikwerda-cheryl");
        yield return Person("vanassen-luc", "Luc van Assen", "Patient/vanassen-luc");
        yield return Person("vanassen-paula", "Paula van Assen", "RelatedPerson/vanassen-paula");
    }

    /// <summary>A little content per section, so that the grants show.</summary>
    public static IEnumerable<Resource> DossierContent()
    {
        yield return Document("strikwerda-financien-overzicht", "strikwerda-jesse", Section.Financien, "Overzicht schulden en vrijwillig bewind");
        yield return Document("strikwerda-wmo-aanvraag", "strikwerda-jesse", null, "Aanvraag Wmo: huishoudelijke hulp en dagbesteding");
        yield return Document("strikwerda-logboek-1", "strikwerda-jesse", Section.Logboek, "Ricardo: gesprek met Tessa over de dagstructuur van Jesse.");
        yield return new Condition
        {
            Id = "strikwerda-dementie",
            Subject = new ResourceReference("Patient/strikwerda-jesse"),
            Code = new CodeableConcept { Text = "Beginnende dementie na arbeidsongeval" },
            ClinicalStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-clinical", "active"),
        };
        yield return new Goal
        {
            Id = "strikwerda-doel-rust",
            LifecycleStatus = Goal.GoalLifecycleStatus.Active,
            Subject = new ResourceReference("Patient/strikwerda-jesse"),
            Description = new CodeableConcept { Text = "Tessa heeft twee middagen per week voor zichzelf" },
            Category = [new CodeableConcept(LifeDomain.System, "mantelzorg-ontlasting"), new CodeableConcept(GoalKind.System, GoalKind.Doel)],
            Extension = [new Extension(DossierExtensions.GoalConcerns, new ResourceReference("RelatedPerson/strikwerda-tessa", "Tessa"))],
        };
        yield return new Appointment
        {
            Id = "vanassen-thuiszorg-intake",
            Status = Appointment.AppointmentStatus.Booked,
            Description = "Intake thuiszorg na de val",
            Start = new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.FromHours(1)),
            End = new DateTimeOffset(2026, 12, 3, 11, 0, 0, TimeSpan.FromHours(1)),
            Participant = [new Appointment.ParticipantComponent { Actor = new ResourceReference("Patient/vanassen-luc", "Luc van Assen"), Status = ParticipationStatus.Accepted }],
        };
        yield return Document("vanassen-logboek-1", "vanassen-luc", Section.Logboek, "Elise: thuiszorg geregeld in plaats van verpleeghuis.");
        yield return new Goal
        {
            Id = "vanassen-doel-thuis",
            LifecycleStatus = Goal.GoalLifecycleStatus.Active,
            Subject = new ResourceReference("Patient/vanassen-luc"),
            Description = new CodeableConcept { Text = "Luc blijft zelfstandig thuis wonen" },
            Category = [new CodeableConcept(LifeDomain.System, "wonen"), new CodeableConcept(GoalKind.System, GoalKind.Doel)],
        };
    }

    public static IEnumerable<Consent> Consents()
    {
        // 1. Strikwerda: Tessa is mentor of Jesse (an adult with dementia), so her regie holds after 18.
        yield return Id("regie-strikwerda", Grants.Regie(null, "strikwerda-jesse", ["RelatedPerson/strikwerda-tessa"], LegalRepresentation.Mentor, Start));
        yield return Id("toegang-strikwerda-ricardo", Grants.Grant(null, "strikwerda-jesse", "Practitioner/bondgenoot-ricardo", GrantRole.Ondersteuner, BondgenootSections, write: true, from: Start, allowStandIn: true));
        // The dementia case manager reads what the care needs, never the finances (also denied explicitly).
        var casemanager = Grants.Grant(null, "strikwerda-jesse", "Practitioner/casemanager-dementie-bos", GrantRole.Zorgverlener,
            [Section.Profiel, Section.Plan, Section.Doelen, Section.Afspraken, Section.Logboek, Section.Agenda, Section.Medisch, Section.Netwerk, Section.Documenten], from: Start);
        casemanager.Provision!.Provision.Add(new Consent.provisionComponent
        {
            Type = Consent.ConsentProvisionType.Deny,
            Code = [new CodeableConcept(Section.System, Section.Financien)],
        });
        yield return Id("toegang-strikwerda-casemanager", casemanager);
        yield return Id("deelpakket-strikwerda-wmo", Grants.SharePackage(null, "strikwerda-jesse", "Organization/gemeente-leeuwarden",
            "Aanvraag Wmo: huishoudelijke hulp en dagbesteding", Start.AddYears(2), items: ["DocumentReference/strikwerda-wmo-aanvraag"], from: Start));

        // 2. Bilic: both parents; Atilla is 13.
        yield return Id("regie-bilic", Grants.Regie(null, "bilic-atilla", ["RelatedPerson/bilic-gulan", "RelatedPerson/bilic-ali"], from: Start));
        yield return Id("toegang-bilic-khadija", Grants.Grant(null, "bilic-atilla", "Practitioner/bondgenoot-khadija", GrantRole.Ondersteuner, BondgenootSections, write: true, from: Start));

        // 3. Sterk: Johan is 30; his parents are his mentors.
        yield return Id("regie-sterk", Grants.Regie(null, "sterk-johan", ["RelatedPerson/sterk-loes", "RelatedPerson/sterk-wim"], LegalRepresentation.Mentor, Start));
        yield return Id("toegang-sterk-sven", Grants.Grant(null, "sterk-johan", "Practitioner/bondgenoot-sven", GrantRole.Ondersteuner, BondgenootSections, write: true, from: Start));

        // 4. Frank: two regiehouders in two households (Leo is 17; at 18 their regie ends unless mentorship is recorded).
        yield return Id("regie-frank", Grants.Regie(null, "frank-leo", ["RelatedPerson/frank-karin", "RelatedPerson/frank-ruben"], from: Start));
        yield return Id("toegang-frank-hans", Grants.Grant(null, "frank-leo", "Practitioner/bondgenoot-hans", GrantRole.Ondersteuner, BondgenootSections, write: true, from: Start));

        // 5. De Wit: Kim is 11.
        yield return Id("regie-dewit", Grants.Regie(null, "dewit-kim", ["RelatedPerson/dewit-ilona", "RelatedPerson/dewit-frank"], from: Start));
        yield return Id("toegang-dewit-ilse", Grants.Grant(null, "dewit-kim", "Practitioner/bondgenoot-ilse", GrantRole.Ondersteuner, BondgenootSections, write: true, from: Start));

        // 6. Van Assen: Luc is his own regiehouder; his sister reads the agenda only.
        yield return Id("regie-vanassen", Grants.Regie(null, "vanassen-luc", ["Patient/vanassen-luc"], from: Start));
        yield return Id("toegang-vanassen-paula", Grants.Grant(null, "vanassen-luc", "RelatedPerson/vanassen-paula", GrantRole.Gezinslid, [Section.Agenda], from: Start));
        yield return Id("toegang-vanassen-elise", Grants.Grant(null, "vanassen-luc", "Practitioner/bondgenoot-elise", GrantRole.Ondersteuner, BondgenootSections, write: true, from: Start));

        // Issue 21: four families take part in research (Toegang, "Deelnemen aan onderzoek"). Fewer than 10, so the programme
        // view (/programma) shows every figure suppressed; De Wit does not take part (the browser test gives and stops it).
        foreach (var patient in (string[])["strikwerda-jesse", "bilic-atilla", "frank-leo", "vanassen-luc"])
            yield return Id($"onderzoek-{patient}", Grants.Research(null, patient, Start));
    }

    private static Consent Id(string id, Consent consent)
    {
        consent.Id = id;
        consent.DateTime = Start.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture);
        return consent;
    }

    private static Organization Organization(string id, string name) => new() { Id = id, Active = true, Name = name };

    private static Practitioner Practitioner(string id, string given, string function) => new()
    {
        Id = id,
        Active = true,
        Name = [new HumanName { Given = [given], Text = $"{given} ({function})" }],
    };

    private static PractitionerRole Role(string practitionerId, string organizationId) => new()
    {
        Id = $"{practitionerId}-bij-{organizationId}",
        Active = true,
        Practitioner = new ResourceReference($"Practitioner/{practitionerId}"),
        Organization = new ResourceReference($"Organization/{organizationId}"),
    };

    private static Person Person(string id, string name, params string[] acts) => new()
    {
        Id = id,
        Active = true,
        Name = [new HumanName { Text = name }],
        Link = acts.Select(a => new Person.LinkComponent { Target = new ResourceReference(a), Assurance = Hl7.Fhir.Model.Person.IdentityAssuranceLevel.Level2 }).ToList(),
    };

    private static DocumentReference Document(string id, string patientId, string? section, string text) => new()
    {
        Id = id,
        Status = DocumentReferenceStatus.Current,
        Subject = new ResourceReference($"Patient/{patientId}"),
        Category = section is null ? [] : [new CodeableConcept(Section.System, section)],
        Description = text,
        Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { ContentType = "text/markdown", Data = System.Text.Encoding.UTF8.GetBytes(text) } }],
    };
}
