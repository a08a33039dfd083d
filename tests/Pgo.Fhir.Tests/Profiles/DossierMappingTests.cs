using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Fhir.Tests.Profiles;

/// <summary>Each section of the dossier mapping (docs/adr/0005-dossier-mapping.md) lands in its consent section.</summary>
public sealed class DossierMappingTests
{
    private static readonly ResourceReference Client = new("Patient/p1");

    private static DocumentReference Note(string section) => new()
    {
        Subject = Client,
        Category = [new CodeableConcept(Section.System, section)],
    };

    public static TheoryData<string, Resource, string?> Mapping() => new()
    {
        { "Over mij: the client", new Patient { Id = "p1" }, Section.Profiel },
        { "Over mij: the paspoort", Note(Section.Profiel), Section.Profiel },
        { "Plan and waakvlam-plan", new CarePlan { Subject = Client, Category = [new CodeableConcept(Intensity.System, Intensity.Waakvlam)] }, Section.Plan },
        { "Doelen", new Goal { Subject = Client }, Section.Doelen },
        { "Afspraken", new Hl7.Fhir.Model.Task { For = Client }, Section.Afspraken },
        { "Logboek", Note(Section.Logboek), Section.Logboek },
        { "Berichten", new Communication { Subject = Client }, Section.Berichten },
        { "Netwerk", new CareTeam { Subject = Client }, Section.Netwerk },
        { "Agenda", new Appointment { Participant = [new Appointment.ParticipantComponent { Actor = Client }] }, Section.Agenda },
        { "Metingen: answers", new QuestionnaireResponse { Subject = Client }, Section.Metingen },
        { "Metingen: the questionnaire is directory", new Questionnaire(), null },
        { "Tijd: a time registration", Pgo.Fhir.Profiles.TimeRegistration.New("p1", "Practitioner/s1", null, "luisterend-oor", new DateOnly(2026, 11, 2), 30, null), Section.Tijd },
        { "Terminology is directory", new CodeSystem(), null },
        { "A financial goal carries the financien label", new Goal { Subject = Client, Meta = new Meta { Security = [new Coding(Section.System, Section.Financien)] } }, Section.Financien },
    };

    [Theory, MemberData(nameof(Mapping))]
    public void Each_dossier_part_is_in_its_section(string part, Resource resource, string? section) =>
        SectionClassifier.Classify(resource).ShouldBe(section, part);
}
