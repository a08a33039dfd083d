using System.Globalization;
using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using Pgo.Shared.Codes;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Fhir.Tests.Access;

/// <summary>
/// The Consents of issue 18 in the shape the brief records them (a legal basis as a second coding on the actor's role,
/// the representation period, the WGBO reason and what the client keeps as extensions, the court decision as
/// sourceReference; bewind as role bewindvoerder; a successor as role opvolger), built on <see cref="Grants"/>.
/// </summary>
public static class RegieConsents
{
    private static string Stamp(DateTimeOffset t) => t.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture);

    /// <summary>A regie Consent for representatives with a legal basis (mentor, curator, wgbo), its period, reason,
    /// what the client keeps and its court document.</summary>
    public static Consent Represent(string? id, string patient, IEnumerable<string> representatives, string basis,
        DateTimeOffset? from = null, DateTimeOffset? until = null, string? reason = null, string? clientAccess = null, string? document = null)
    {
        var c = Grants.Regie(id, patient, representatives, basis);
        return WithRepresentation(c, from, until, reason, clientAccess, document);
    }

    /// <summary>Adds the representation's period, reason, client access and court document to a Consent.</summary>
    public static Consent WithRepresentation(Consent c, DateTimeOffset? from = null, DateTimeOffset? until = null, string? reason = null,
        string? clientAccess = null, string? document = null)
    {
        if (from is not null || until is not null)
            c.SetExtension(PgoCodes.Extensions.RepresentationPeriod, new Period { Start = from is { } f ? Stamp(f) : null, End = until is { } u ? Stamp(u) : null });
        if (reason is not null) c.SetExtension(PgoCodes.Extensions.RepresentationReason, new FhirString(reason));
        if (clientAccess is not null) c.SetExtension(PgoCodes.Extensions.ClientAccess, new Code(clientAccess));
        if (document is not null) c.Source = new ResourceReference($"DocumentReference/{document}");
        return c;
    }

    /// <summary>A bewindvoerder: role bewindvoerder, coding bewind, section financien (read or write), its period and court document.</summary>
    public static Consent Bewind(string? id, string patient, string actor, bool write = true, IEnumerable<string>? sections = null,
        DateTimeOffset? from = null, DateTimeOffset? until = null, string? document = null, bool manage = false)
    {
        var c = Grants.Grant(id, patient, actor, GrantRole.Bewindvoerder, sections ?? [Section.Financien], write, manage);
        c.Provision.Actor[0].Role.Coding.Add(new Coding(LegalRepresentation.System, LegalRepresentation.Bewind));
        return WithRepresentation(c, from, until, document: document);
    }

    /// <summary>A named successor (role opvolger): grants nothing until the take-over, whatever sections it lists.</summary>
    public static Consent Opvolger(string? id, string patient, string actor, IEnumerable<string>? sections = null, bool allowStandIn = false) =>
        Grants.Grant(id, patient, actor, GrantRole.Opvolger, sections, write: true, allowStandIn: allowStandIn);

    /// <summary>The choice for after 18 on a regie Consent (extension regie-na-18).</summary>
    public static Consent WithChoice(Consent c, string choice)
    {
        c.SetExtension(PgoCodes.Extensions.RegieAfter18, new Code(choice));
        return c;
    }

    /// <summary>A supporter's new grant replacing an old one (a change of supporter).</summary>
    public static Consent Replacing(Consent c, string replacedConsentId)
    {
        c.SetExtension(PgoCodes.Extensions.Replaces, new ResourceReference($"Consent/{replacedConsentId}"));
        return c;
    }
}
