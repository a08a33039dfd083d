using System.Globalization;
using Hl7.Fhir.Model;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Fhir.Access;

/// <summary>
/// A Consent read as a grant: what it says, independent of who asks. Parsed once per stored version
/// (versions never change, so the parse may be reused); whether it applies to a caller is decided per request.
/// </summary>
public sealed record ConsentGrant(
    string Id,
    string? PatientId,
    bool Active,
    bool IsDeny,
    DateTimeOffset? From,
    DateTimeOffset? Until,
    IReadOnlyList<GrantActor> Actors,
    IReadOnlySet<string> Actions,
    IReadOnlySet<string>? Sections,
    IReadOnlySet<(string Type, string Id)>? Items,
    IReadOnlyList<NestedProvision> Nested,
    bool AllowStandIn,
    string? SourceConsentId,
    string? Purpose = null)
{
    public bool InForce(DateTimeOffset now) => Active && (From is null || From <= now) && (Until is null || now < Until);

    /// <summary>When the legal representation recorded on this grant holds (extension representation-period; none = as the grant).</summary>
    public DateTimeOffset? RepresentationFrom { get; init; }
    public DateTimeOffset? RepresentationUntil { get; init; }

    /// <summary>Why a WGBO representative represents (extension representation-reason).</summary>
    public string? RepresentationReason { get; init; }

    /// <summary>What the client keeps of their own dossier while this representation holds (RegieCodes.ClientAccess; null = read and write).</summary>
    public string? ClientAccess { get; init; }

    /// <summary>The choice for after the 18th birthday this Consent records (RegieCodes.After18), if any.</summary>
    public string? After18 { get; init; }

    /// <summary>A research consent (scope research or category onderzoek, issue 21): the dossier counts in the programme's
    /// aggregates. It is never access: <see cref="ConsentAccessPolicy.Compile"/> ignores it, whatever actors it names.</summary>
    public bool IsResearch { get; init; }

    /// <summary>The supporter's grant this one replaced (a change of supporter), if any.</summary>
    public string? ReplacesConsentId { get; init; }

    /// <summary>Whether the legal representation recorded here holds at <paramref name="now"/>: the grant is in force and
    /// now lies within the representation period.</summary>
    public bool RepresentationInForce(DateTimeOffset now) =>
        InForce(now) && (RepresentationFrom is null || RepresentationFrom <= now) && (RepresentationUntil is null || now < RepresentationUntil);

    /// <summary>Whether an actor of this grant holds regie after the client's 18th birthday by a legal basis in force
    /// (mentor, curator, WGBO representative; bewind is finances only).</summary>
    public bool KeepsRegieByLaw(GrantActor actor, DateTimeOffset now) => actor.LegalRepresentative && RepresentationInForce(now);

    /// <summary>The next moment after <paramref name="now"/> at which this grant starts or ends by its period (null: none).</summary>
    public DateTimeOffset? NextBoundary(DateTimeOffset now) =>
        !Active ? null : From > now ? From : Until > now ? Until : null;

    /// <summary>A share package: read access for an organisation (role instantie) to single items or sections, for one purpose.</summary>
    public bool IsSharePackage => !IsDeny && SourceConsentId is null && Actors.Any(a => a.Roles.Contains(GrantRole.Instantie));

    public static ConsentGrant Of(Consent consent)
    {
        var p = consent.Provision;
        var actors = (p?.Actor ?? []).Where(a => a.Reference?.Reference is { Length: > 0 })
            .Select(a => new GrantActor(
                a.Reference.Reference!,
                (a.Role?.Coding ?? []).Where(c => c.System == GrantRole.System && c.Code is not null).Select(c => c.Code!).ToHashSet(StringComparer.Ordinal),
                (a.Role?.Coding ?? []).FirstOrDefault(c => c.System == LegalRepresentation.System && LegalRepresentation.All.Contains(c.Code))?.Code))
            .ToList();
        var (from, until) = Window(p?.Period);
        var (repFrom, repUntil) = Window(consent.GetExtensionValue<Period>(Extensions.RepresentationPeriod));
        return new ConsentGrant(
            consent.Id ?? "",
            PatientOf(consent.Patient?.Reference),
            consent.Status == Consent.ConsentState.Active,
            p?.Type == Consent.ConsentProvisionType.Deny,
            from, until,
            actors,
            (p?.Action ?? []).SelectMany(a => a.Coding).Select(PgoCodes.Action.FromCoding).OfType<string>().ToHashSet(StringComparer.Ordinal),
            SectionsOf(p?.Code),
            ItemsOf(p?.Data),
            (p?.Provision ?? []).Select(n => new NestedProvision(
                n.Type == Consent.ConsentProvisionType.Deny,
                (n.Actor ?? []).Select(a => a.Reference?.Reference).OfType<string>().ToHashSet(StringComparer.Ordinal),
                SectionsOf(n.Code),
                ItemsOf(n.Data))).ToList(),
            consent.GetExtensionValue<FhirBoolean>(Extensions.AllowStandIn)?.Value == true,
            consent.Source is ResourceReference { Reference: { } src } && src.StartsWith("Consent/", StringComparison.Ordinal) ? src["Consent/".Length..] : null,
            consent.GetStringExtension(Extensions.Purpose))
        {
            IsResearch = IsResearchConsent(consent),
            RepresentationFrom = repFrom,
            RepresentationUntil = repUntil,
            RepresentationReason = consent.GetStringExtension(Extensions.RepresentationReason),
            ClientAccess = CodeOf(consent.GetExtensionValue<DataType>(Extensions.ClientAccess)),
            After18 = CodeOf(consent.GetExtensionValue<DataType>(Extensions.RegieAfter18)),
            ReplacesConsentId = consent.GetExtensionValue<ResourceReference>(Extensions.Replaces) is { Reference: { } replaced }
                && replaced.StartsWith("Consent/", StringComparison.Ordinal) ? replaced["Consent/".Length..] : null,
        };
    }

    /// <summary>Whether a Consent is a research consent: scope research, or category onderzoek (either suffices, so that a
    /// Consent carrying one of them can never also count as a grant).</summary>
    public static bool IsResearchConsent(Consent consent) =>
        (consent.Scope?.Coding ?? []).Any(c => c.Code == Research && (c.System is null || c.System == ConsentScopeSystem))
        || (consent.Category ?? []).SelectMany(c => c.Coding).Any(c => c.System == ConsentCategory.System && c.Code == ConsentCategory.Onderzoek);

    /// <summary>A code extension's value, as a code or a Coding.</summary>
    private static string? CodeOf(DataType? value) => value switch
    {
        Code c => c.Value,
        Coding coding => coding.Code,
        FhirString s => s.Value,
        _ => null,
    };

    private static string? PatientOf(string? reference) =>
        reference is not null && reference.StartsWith("Patient/", StringComparison.Ordinal) ? reference["Patient/".Length..] : null;

    private static HashSet<string>? SectionsOf(List<CodeableConcept>? codes)
    {
        var sections = (codes ?? []).SelectMany(c => c.Coding).Where(c => c.System == Section.System && Section.IsKnown(c.Code))
            .Select(c => c.Code!).ToHashSet(StringComparer.Ordinal);
        return sections.Count == 0 ? null : sections;
    }

    private static HashSet<(string, string)>? ItemsOf(List<Consent.provisionDataComponent>? data)
    {
        var items = (data ?? []).Select(d => d.Reference?.Reference).OfType<string>()
            .Select(r => r.Split('/')).Where(parts => parts.Length == 2).Select(parts => (parts[0], parts[1])).ToHashSet();
        return items.Count == 0 ? null : items;
    }

    /// <summary>Period start and end as instants; a date-only end includes that whole day (UTC).</summary>
    private static (DateTimeOffset?, DateTimeOffset?) Window(Period? period)
    {
        static DateTimeOffset? Parse(string? value, bool end)
        {
            if (string.IsNullOrEmpty(value)) return null;
            if (value.Length == 10 && DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                return new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(end ? 1 : 0);
            return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
        }
        return (Parse(period?.Start, end: false), Parse(period?.End, end: true));
    }
}

/// <summary>An actor of a grant: the FHIR record it names, its roles, and the legal basis recorded for it (mentor, curator,
/// bewind, wgbo; RegieCodes.Representation), if any.</summary>
public sealed record GrantActor(string Reference, IReadOnlySet<string> Roles, string? LegalBasis = null)
{
    /// <summary>A legal basis that keeps regie after 18 (mentor, curator, WGBO representative).</summary>
    public bool LegalRepresentative => LegalBasis is not null && LegalRepresentation.KeepRegie.Contains(LegalBasis);

    /// <summary>Any legal basis recorded (bewind included): recorded and changed by a regiehouder only, with its evidence.</summary>
    public bool HasLegalBasis => LegalBasis is not null;
}

/// <summary>A nested provision: deny (or permit) sections or single items, for the named actors (empty = all actors of the grant).</summary>
public sealed record NestedProvision(bool IsDeny, IReadOnlySet<string> Actors, IReadOnlySet<string>? Sections, IReadOnlySet<(string Type, string Id)>? Items);
