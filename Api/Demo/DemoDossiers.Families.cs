using System.Globalization;
using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Demo;

// The whole family (issue 18): two naastes with a dossier of their own, and the two families that group them.
// Cheryl Strikwerda (19, young carer) holds her own regie; Ricardo supports her too, and they talk in private.
// Lex de Wit (14, Kim's brother): Ilona and Frank hold regie, Ilse supports him; what Ilse and Lex write each other
// the parents do not read (a message reaches its participants only). Portal tests rely on these ids.
public static partial class DemoDossiers
{
    /// <summary>The naastes' own dossiers (Patient, records, content, grants) and the families (Group, code gezin).</summary>
    public static IEnumerable<Resource> FamilyMembers(DateTimeOffset now)
    {
        var d = new Dates(now);
        var ricardo = Ref("Practitioner/bondgenoot-ricardo", "Ricardo (bondgenoot)");
        var ilse = Ref("Practitioner/bondgenoot-ilse", "Ilse (bondgenoot)");

        // Cheryl Strikwerda (19): her own dossier, linked to her record in her father's network.
        const string c = "strikwerda-cheryl";
        var cheryl = Ref($"Patient/{c}", "Cheryl Strikwerda");
        yield return OwnDossier(c, "Cheryl", "Strikwerda", AdministrativeGender.Female, "2007-02-14", "Leeuwarden", "RelatedPerson/strikwerda-cheryl");
        yield return Paspoort(c, "strikwerda-cheryl-paspoort", d.Day(-60), """
            Ik ben Cheryl, 19 jaar. Ik doe de mbo-opleiding Pedagogisch werk en zorg thuis mee voor mijn vader.
            Wat ik nodig heb: **tijd voor mijn opleiding** en iemand bij wie ik mijn verhaal kwijt kan.
            """);
        yield return NewGoal(c, "strikwerda-cheryl-doel-opleiding", "onderwijs", "Ik maak mijn opleiding af en heb één avond per week voor mezelf",
            Goal.GoalLifecycleStatus.Active, "in-progress", d.Day(-50), d.Day(180), ("Ricardo", d.Day(-10), "Cheryl heeft met haar studieloopbaanbegeleider een rooster zonder avonddiensten afgesproken."));
        yield return Message(c, "strikwerda-cheryl-bericht-1", ricardo, [cheryl], d.Day(-6), "Even voor jou",
            "Hoi Cheryl, hoe gaat het nu met school en thuis? Dit gesprek is alleen tussen ons.", null);
        yield return Message(c, "strikwerda-cheryl-bericht-2", cheryl, [ricardo], d.Day(-6, 4), null,
            "Best zwaar eerlijk gezegd. Ik wil mijn moeder niet nog meer belasten. Kunnen we volgende week afspreken?", "strikwerda-cheryl-bericht-1");
        yield return Stamp("regie-strikwerda-cheryl", Grants.Regie(null, c, [$"Patient/{c}"], from: d.Day(-60)), d.Day(-60));
        yield return Stamp("toegang-strikwerda-cheryl-ricardo",
            Grants.Grant(null, c, "Practitioner/bondgenoot-ricardo", GrantRole.Ondersteuner, DemoGrants.BondgenootSections, write: true, from: d.Day(-60)), d.Day(-60));

        // Lex de Wit (14): his parents hold regie (by age), each through their record in Lex's own network.
        const string l = "dewit-lex";
        var lex = Ref($"Patient/{l}", "Lex de Wit");
        var ilona = Ref("RelatedPerson/dewit-lex-ilona", "Ilona de Wit");
        yield return OwnDossier(l, "Lex", "de Wit", AdministrativeGender.Male, "2012-05-20", "Zwolle", "RelatedPerson/dewit-lex");
        yield return Parent("dewit-lex-ilona", l, "Ilona", AdministrativeGender.Female);
        yield return Parent("dewit-lex-frank", l, "Frank", AdministrativeGender.Male);
        yield return NewGoal(l, "dewit-lex-doel-voetbal", "vrije-tijd", "Ik train twee keer per week bij de voetbalclub, ook als het thuis druk is",
            Goal.GoalLifecycleStatus.Active, "in-progress", d.Day(-40), null, ("Ilse", d.Day(-12), "Lex heeft een vaste ophaalregeling met de vader van een teamgenoot."));
        yield return Message(l, "dewit-lex-bericht-1", ilse, [lex], d.Day(-5), "Alleen voor jou",
            "Hoi Lex, je zei dat je soms liever niet over thuis praat waar je ouders bij zijn. Hier kan dat: alleen jij en ik lezen dit.", null);
        yield return Message(l, "dewit-lex-bericht-2", lex, [ilse], d.Day(-5, 3), null,
            "Ik voel me soms schuldig als ik ga voetballen terwijl mama met Kim bezig is.", "dewit-lex-bericht-1");
        yield return Logbook(l, "dewit-lex-logboek-1", ilona, d.Day(-20), "Lex had een goede week op school. Hij wil graag zelf met Ilse praten.");
        yield return Stamp("regie-dewit-lex", Grants.Regie(null, l, ["RelatedPerson/dewit-lex-ilona", "RelatedPerson/dewit-lex-frank"], from: d.Day(-40)), d.Day(-40));
        yield return Stamp("toegang-dewit-lex-ilse",
            Grants.Grant(null, l, "Practitioner/bondgenoot-ilse", GrantRole.Ondersteuner, DemoGrants.BondgenootSections, write: true, from: d.Day(-40)), d.Day(-40));

        // The families: no display on the members (whoever reads one member's netwerk reads the Group).
        yield return FamilyGroup("gezin-strikwerda", "Gezin Strikwerda", ("strikwerda-jesse", Family.Client), (c, Family.JongeMantelzorger));
        yield return FamilyGroup("gezin-dewit", "Gezin De Wit", ("dewit-kim", Family.Client), (l, Family.BroerZus));
    }

    private static Patient OwnDossier(string id, string given, string family, AdministrativeGender gender, string birthDate, string city, string naaste) => new()
    {
        Id = id,
        Active = true,
        Name = [new HumanName { Use = HumanName.NameUse.Official, Family = family, Given = [given] }],
        Gender = gender,
        BirthDate = birthDate,
        Address = [new Address { City = city, Country = "NL" }],
        Communication = [new Patient.CommunicationComponent { Language = new CodeableConcept("urn:ietf:bcp:47", "nl"), Preferred = true }],
        // The naaste's record in the client's network: one person, two places (issue 18).
        Link = [new Patient.LinkComponent { Other = new ResourceReference(naaste), Type = Patient.LinkType.Seealso }],
    };

    private static RelatedPerson Parent(string id, string patientId, string given, AdministrativeGender gender) => new()
    {
        Id = id,
        Active = true,
        Patient = new ResourceReference($"Patient/{patientId}"),
        Name = [new HumanName { Family = "de Wit", Given = [given] }],
        Gender = gender,
        Relationship = [new CodeableConcept(NetworkRole.System, "ouder", NetworkRole.Display["ouder"], null)],
    };

    private static Group FamilyGroup(string id, string name, params (string Patient, string Role)[] members) => new()
    {
        Id = id,
        Active = true,
        Type = Group.GroupType.Person,
        Actual = true,
        Code = new CodeableConcept(Family.System, Family.Gezin, "Gezin", null),
        Name = name,
        Member = members.Select(m => new Group.MemberComponent
        {
            Entity = new ResourceReference($"Patient/{m.Patient}"),
            Extension = [new Extension(Family.RoleExtension, new Code(m.Role))],
        }).ToList(),
    };

    private static Consent Stamp(string id, Consent consent, DateTimeOffset at)
    {
        consent.Id = id;
        consent.DateTime = at.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture);
        return consent;
    }
}
