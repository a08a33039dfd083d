using System.Globalization;
using Hl7.Fhir.Model;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Fhir.Access;

/// <summary>
/// Builds the Consent resources that are the platform's grants, in the one shape <see cref="ConsentGrant"/> reads:
/// scope patient-privacy, category dossiertoegang, patient = the client, provision.actor with a role from
/// <see cref="GrantRole"/>, provision.action from <see cref="PgoCodes.Action"/>, provision.code = sections,
/// provision.data = single items, nested deny provisions for hidden items.
/// </summary>
public static class Grants
{
    /// <summary>The founding regie grant: the actors hold control over the client's dossier.
    /// <paramref name="legalBasis"/> (mentor or curator) keeps a representative's regie after the client turns 18.</summary>
    public static Consent Regie(string? id, string patientId, IEnumerable<string> regiehouders, string? legalBasis = null, DateTimeOffset? from = null) =>
        NewConsent(id, patientId, from, null, regiehouders.Select(a => Actor(a, GrantRole.Regiehouder, legalBasis)),
            [PgoCodes.Action.Read, PgoCodes.Action.Write, PgoCodes.Action.Manage], null, null);

    /// <summary>Access for one actor to sections of the dossier, with read, write and/or manage, for a period.</summary>
    public static Consent Grant(string? id, string patientId, string actor, string role, IEnumerable<string>? sections, bool write = false, bool manage = false,
        DateTimeOffset? from = null, DateTimeOffset? until = null, bool allowStandIn = false)
    {
        var actions = new List<string> { PgoCodes.Action.Read };
        if (write) actions.Add(PgoCodes.Action.Write);
        if (manage) actions.Add(PgoCodes.Action.Manage);
        var consent = NewConsent(id, patientId, from, until, [Actor(actor, role)], actions, sections?.ToList(), null);
        if (allowStandIn) consent.SetExtension(Extensions.AllowStandIn, new FhirBoolean(true));
        return consent;
    }

    /// <summary>A share package: read-only access for an organisation to selected items or sections, for one purpose, until a date.</summary>
    public static Consent SharePackage(string? id, string patientId, string organization, string purpose, DateTimeOffset until,
        IEnumerable<string>? items = null, IEnumerable<string>? sections = null, DateTimeOffset? from = null)
    {
        var itemList = items?.ToList();
        var consent = NewConsent(id, patientId, from, until, [Actor(organization, GrantRole.Instantie)], [PgoCodes.Action.Read],
            itemList is { Count: > 0 } ? null : sections?.ToList(), itemList);
        consent.SetExtension(Extensions.Purpose, new FhirString(purpose));
        return consent;
    }

    /// <summary>Hides one item from one person (a deny; also against family members and, for an adult client, parents).</summary>
    public static Consent Hide(string? id, string patientId, string item, string hiddenFrom)
    {
        var consent = NewConsent(id, patientId, null, null, [Actor(hiddenFrom, null)], [], null, [item]);
        consent.Provision!.Type = Consent.ConsentProvisionType.Deny;
        return consent;
    }

    /// <summary>A stand-in: a colleague acts with the supporter's grant (which must allow stand-ins) during the period.</summary>
    public static Consent StandIn(string? id, string patientId, string sourceGrantId, string colleague, DateTimeOffset from, DateTimeOffset until)
    {
        var consent = NewConsent(id, patientId, from, until, [Actor(colleague, GrantRole.Invaller)], [], null, null);
        consent.Source = new ResourceReference($"Consent/{sourceGrantId}");
        return consent;
    }

    /// <summary>Research consent (issue 21): the client's dossier counts in the programme's pseudonymised aggregates from
    /// <paramref name="from"/> on. Scope research, category onderzoek, no actor, no action, no section: it opens nothing to
    /// anyone (the access compiler ignores it). Revoking sets it inactive.</summary>
    public static Consent Research(string? id, string patientId, DateTimeOffset? from = null) => new()
    {
        Id = id,
        Status = Consent.ConsentState.Active,
        Scope = new CodeableConcept(ConsentScopeSystem, PgoCodes.Research),
        Category = [new CodeableConcept(ConsentCategory.System, ConsentCategory.Onderzoek)],
        Patient = new ResourceReference($"Patient/{patientId}"),
        DateTime = from?.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture),
        Policy = [new Consent.PolicyComponent { Uri = PgoCodes.Base + "/policy/onderzoek" }],
        Provision = new Consent.provisionComponent
        {
            Type = Consent.ConsentProvisionType.Permit,
            Period = from is null ? null : new Period { Start = from.Value.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture) },
        },
    };

    private static Consent.provisionActorComponent Actor(string reference, string? role, string? legalBasis = null)
    {
        var concept = new CodeableConcept();
        if (role is not null) concept.Coding.Add(new Coding(GrantRole.System, role, GrantRole.Display.GetValueOrDefault(role)));
        if (legalBasis is not null) concept.Coding.Add(new Coding(LegalRepresentation.System, legalBasis));
        if (concept.Coding.Count == 0) concept.Text = "betrokkene";
        return new Consent.provisionActorComponent { Reference = new ResourceReference(reference), Role = concept };
    }

    private static Consent NewConsent(string? id, string patientId, DateTimeOffset? from, DateTimeOffset? until,
        IEnumerable<Consent.provisionActorComponent> actors, IEnumerable<string> actions, List<string>? sections, List<string>? items) => new()
    {
        Id = id,
        Status = Consent.ConsentState.Active,
        Scope = new CodeableConcept(ConsentScopeSystem, PatientPrivacy),
        Category = [new CodeableConcept(ConsentCategory.System, ConsentCategory.Toegang)],
        Patient = new ResourceReference($"Patient/{patientId}"),
        // When it was given: the start if known; otherwise the writer stamps it with its clock (AccessApi).
        DateTime = from?.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture),
        Policy = [new Consent.PolicyComponent { Uri = PgoCodes.Base + "/policy/dossiertoegang" }],
        Provision = new Consent.provisionComponent
        {
            Type = Consent.ConsentProvisionType.Permit,
            Period = from is null && until is null ? null : new Period
            {
                Start = from?.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture),
                End = until?.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture),
            },
            Actor = actors.ToList(),
            Action = actions.Select(a => new CodeableConcept(PgoCodes.Action.System, a)).ToList(),
            Code = (sections ?? []).Select(s => new CodeableConcept(Section.System, s)).ToList(),
            Data = (items ?? []).Select(i => new Consent.provisionDataComponent { Meaning = Consent.ConsentDataMeaning.Instance, Reference = new ResourceReference(i) }).ToList(),
        },
    };
}
