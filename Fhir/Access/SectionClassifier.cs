using Hl7.Fhir.Model;
using Pgo.Fhir.Search.Indexing;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Fhir.Access;

/// <summary>
/// Which dossier section a resource belongs to: the one table of the platform. Computed at write time and
/// stored on the resource row (column <c>section</c>), where the access predicate reads it.
/// </summary>
/// <remarks>
/// Order: (1) types outside the Patient compartment (Practitioner, Organization, CodeSystem, ...) are in no
/// section: they are the directory (null); (2) a security label with the section system in
/// <c>meta.security</c> wins, except for Consent, AuditEvent and Provenance (always toegang); (3) a DocumentReference whose category carries a section code (logboek,
/// financien, profiel, ...) is in that section, a Basic with an event-type code is in gebeurtenissen, one with an intensiteit code (a change of intensity) in plan, a Task coded meting-gepland (the measurement plan) in metingen; (4) the type table below; (5) any other compartment type is
/// <c>medisch</c>. A Subscription is in its owner's own section <c>eigen:&lt;owner&gt;</c> (<see cref="SubscriptionOwner"/>).
/// </remarks>
public static class SectionClassifier
{
    public static readonly IReadOnlyDictionary<string, string> ByType = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Patient"] = Section.Profiel,
        ["CarePlan"] = Section.Plan,
        ["Goal"] = Section.Doelen,
        ["Task"] = Section.Afspraken,
        ["ServiceRequest"] = Section.Afspraken,
        ["DocumentReference"] = Section.Documenten,
        ["DocumentManifest"] = Section.Documenten,
        ["Media"] = Section.Documenten,
        ["Composition"] = Section.Documenten,
        ["List"] = Section.Documenten,
        ["Communication"] = Section.Berichten,
        ["CommunicationRequest"] = Section.Berichten,
        ["CareTeam"] = Section.Netwerk,
        ["RelatedPerson"] = Section.Netwerk,
        ["Person"] = Section.Netwerk,
        ["Group"] = Section.Netwerk,
        ["Appointment"] = Section.Agenda,
        ["AppointmentResponse"] = Section.Agenda,
        ["Schedule"] = Section.Agenda,
        ["Encounter"] = Section.Agenda,
        ["Condition"] = Section.Medisch,
        ["MedicationStatement"] = Section.Medisch,
        ["AllergyIntolerance"] = Section.Medisch,
        ["Observation"] = Section.Medisch,
        ["QuestionnaireResponse"] = Section.Metingen,
        ["Coverage"] = Section.Financien,
        ["Claim"] = Section.Financien,
        ["ClaimResponse"] = Section.Financien,
        ["Invoice"] = Section.Financien,
        ["Account"] = Section.Financien,
        ["ExplanationOfBenefit"] = Section.Financien,
        ["Basic"] = Section.Tijd,
        ["Consent"] = Section.Toegang,
        ["AuditEvent"] = Section.Toegang,
        ["Provenance"] = Section.Toegang,
    };

    /// <summary>Types whose section never follows a label: grants and the logs are always <c>toegang</c> (a Consent
    /// labelled logboek would otherwise be written, and obeyed, by anyone who writes the logboek).</summary>
    public static readonly IReadOnlySet<string> FixedSection = new HashSet<string>(StringComparer.Ordinal) { "Consent", "AuditEvent", "Provenance" };

    /// <summary>The section of <paramref name="resource"/>, or null for a directory resource (outside every patient compartment).</summary>
    public static string? Classify(Resource resource)
    {
        var natural = NaturalSection(resource);
        if (natural is null || FixedSection.Contains(resource.TypeName) || resource.TypeName == "Subscription") return natural;
        return resource.Meta?.Security.FirstOrDefault(c => c.System == Section.System && Section.IsKnown(c.Code)) is { } label ? label.Code : natural;
    }

    /// <summary>
    /// Where the type belongs, ignoring <c>meta.security</c> section labels: the type table, or a DocumentReference's
    /// category (a document is filed by its category). A label that moves a resource away from this section is accepted
    /// only from a writer who may write both (docs/adr/0003: a label narrows, it never moves a type into a section).
    /// </summary>
    public static string? NaturalSection(Resource resource)
    {
        var type = resource.TypeName;
        // Owner-scoped: private to the one who created it (SubscriptionOwner); without a recorded owner, nobody's.
        if (type == "Subscription") return SubscriptionOwner.SectionOf(SubscriptionOwner.Recorded(resource) ?? "");
        if (!IsDossierType(type)) return null;
        if (resource is DocumentReference doc
            && doc.Category.SelectMany(c => c.Coding).FirstOrDefault(c => c.System == Section.System && Section.IsKnown(c.Code)) is { } category)
            return category.Code;
        // A Basic is a time registration (tijd) unless it is a countable event (issue 20), known by its event-type code.
        if (resource is Basic basic && basic.Code?.Coding.Any(c => c.System == Pgo.Shared.Codes.EventCodes.TypeSystem) == true)
            return Section.Gebeurtenissen;
        // A Task coded meting-gepland is a planned measurement (issue 20): part of metingen, like the measurements themselves.
        if (resource is Hl7.Fhir.Model.Task task && Pgo.Shared.Codes.MeasurementPlanCodes.IsPlanned(task))
            return Section.Metingen;
        // A judgement of a business-case item (issue 21) belongs with the events it judges: the same consent scopes both.
        if (resource is Basic judged && judged.Code?.Coding.Any(c => c.System == Pgo.Shared.Codes.BusinessCaseJudgements.System) == true)
            return Section.Gebeurtenissen;
        // A Basic coded with an intensity is a change of the intensity of support (issue 20): part of the plan.
        if (resource is Basic change && change.Code?.Coding.Any(c => c.System == Pgo.Shared.Codes.SupportIntensity.System) == true)
            return Section.Plan;
        return ByType.TryGetValue(type, out var section) ? section : Section.Medisch;
    }

    /// <summary>Types that can hold a family's data: those of the Patient compartment (with the project's additions).</summary>
    public static bool IsDossierType(string type) => PatientCompartmentDefinition.ParamsFor(type).Count > 0;
}
