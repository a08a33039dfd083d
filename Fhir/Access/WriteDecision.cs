using Hl7.Fhir.Model;
using Pgo.Fhir.Search.Indexing;
using Pgo.Fhir.Serialization;
using Pgo.Fhir.Storage;
using static Pgo.Fhir.Access.PgoCodes;
using Pgo.Fhir.Messages;

namespace Pgo.Fhir.Access;

/// <summary>
/// THE place where a write is decided, next to the read decision (<see cref="ConsentAccessPolicy"/>): given the caller's
/// compiled scope, the incoming version and the stored one, it allows the write or throws a <see cref="FhirException"/>
/// (404 when the caller cannot see the record, 403 when it can, 422 when a Consent lacks what it needs). The repository
/// asks it for every create, update and delete, including each entry of a Bundle.
/// </summary>
/// <remarks>
/// The invariants (docs/adr/0003-consent-model.md, "The write side: invariants"):
/// <list type="bullet">
/// <item>W1: who someone is (Person, Practitioner, PractitionerRole, Organization) is written by the platform only.</item>
/// <item>W2: a section label that moves a resource away from its type's section needs write on both sections; Consent,
///   AuditEvent and Provenance are always toegang (<see cref="SectionClassifier"/>).</item>
/// <item>W3: the write right is needed in every patient compartment of the incoming and of the stored version.</item>
/// <item>W4: a Consent is written only by who may grant it, names one client, records its grantor (set here) and, for
///   legal representation, its document.</item>
/// <item>W7: a regiehouder does not end another regiehouder's regie, nor lift a hide another regiehouder set.</item>
/// <item>W8: a change of intensity is recorded by the family's supporter in their own name, never rewritten (<see cref="IntensityAuthorship"/>).</item>
/// <item>W9: a measurement is recorded in the recorder's own name, for another respondent of the dossier only "namens" (<see cref="MeasurementAuthorship"/>).</item>
/// </list>
/// The platform (<see cref="AccessScope.IsUnrestricted"/>) carries out decisions taken elsewhere (an accepted invitation,
/// a court decision recorded by the administrator) and is not held to W1, W4 and W7.
/// </remarks>
public sealed class WriteDecision(ConsentAccessPolicy policy, IFhirStore store, ISearchIndexer indexer, TimeProvider clock)
{
    /// <summary>Types that say who someone is or whom they work for: the policy derives identities from them.</summary>
    public static readonly IReadOnlySet<string> IdentityTypes = new HashSet<string>(StringComparer.Ordinal)
        { "Person", "Practitioner", "PractitionerRole", "Organization" };

    public static string OtherRegiehouderMustAgree => FhirText.OtherRegiehouderMustAgree;

    /// <summary>The place of a version that is not there (no stored version on create, none incoming on delete).</summary>
    private static readonly (string? Section, IReadOnlyList<string> Patients, string? Natural) Nowhere = (null, [], null);

    private static readonly IReadOnlySet<string> DossierSections = Section.Dossier.ToHashSet(StringComparer.Ordinal);

    public async ValueTask DecideAsync(CallerContext caller, AccessScope scope, string type, Resource? incoming, Resource? current, CancellationToken ct)
    {
        if (type == "AuditEvent")
            throw FhirException.Forbidden(FhirText.AuditEventReadOnly);
        if (scope.IsUnrestricted) return;
        var id = (incoming ?? current)!.Id ?? "";
        // Where each version lies, extracted once per write (the indexer is the costly part of a decision).
        var stored = current is null ? Nowhere : Place(current);
        var next = incoming is null ? Nowhere : Place(incoming);

        if (IdentityTypes.Contains(type)) RefuseIdentityWrite(scope, type, id, current is not null ? stored : null, next);

        if (current is not null)
        {
            if (!scope.CanRead(type, id, stored.Section, stored.Patients, MessageRules.Participants(current))) throw NotFound(type, id);
            var operation = incoming is null ? 'd' : 'u';
            if (!scope.CanWrite(operation, type, id, stored.Section, stored.Patients))
                throw Forbidden(type, stored.Section, incoming is null ? FhirText.WriteForbiddenDelete : FhirText.WriteForbiddenUpdate);
            if (!MayWriteNatural(scope, operation, type, id, stored)) throw Relabelled(type, stored);
        }
        // W6: a person sends a message only as its sender; each logbook note version records its writer.
        MessageRules.Apply(caller, scope, type, incoming, current, incoming is null ? [] : next.Patients);
        if (incoming is not null)
        {
            var operation = current is null ? 'c' : 'u';
            if (!scope.CanWrite(operation, type, id, next.Section, next.Patients)) RefuseIncoming(scope, type, next, current is not null);
            if (!MayWriteNatural(scope, operation, type, id, next)) throw Relabelled(type, next);
        }
        // W7: a note on a plan or goal is written, changed and removed only by whom it names as its author.
        NoteAuthorship.Apply(caller, scope, incoming, current);
        // W8: a change of intensity only by the family's supporter, in their own name; the history is never rewritten.
        IntensityAuthorship.Apply(scope, incoming, current);
        // W9: a measurement is recorded in the recorder's own name; for someone else only as "namens" that respondent.
        MeasurementAuthorship.Apply(caller, scope, incoming, current);

        if (incoming is Consent || current is Consent)
            await DecideConsentAsync(caller, scope, incoming as Consent, current as Consent, next.Patients, ct);
    }

    // ---------------------------------------------------------------- W1, W2, W3

    /// <summary>W1: 403 when the caller sees the record (or it belongs to no dossier), 404 when it does not.</summary>
    private static void RefuseIdentityWrite(AccessScope scope, string type, string id,
        (string? Section, IReadOnlyList<string> Patients, string? Natural)? stored, (string? Section, IReadOnlyList<string> Patients, string? Natural) next)
    {
        var visible = stored is { } place ? scope.CanRead(type, id, place.Section, place.Patients) : next.Patients.All(scope.HasAnyAccessTo);
        if (!visible) throw NotFound(type, id);
        throw FhirException.Forbidden(Text.Format(FhirText.IdentityByPlatform, type));
    }

    /// <summary>W2: a label that files a resource outside its type's own section needs write on that section too.</summary>
    private static bool MayWriteNatural(AccessScope scope, char operation, string type, string id, (string? Section, IReadOnlyList<string> Patients, string? Natural) place) =>
        place.Natural is null || place.Natural == place.Section || scope.CanWrite(operation, type, id, place.Natural, place.Patients);

    private static void RefuseIncoming(AccessScope scope, string type, (string? Section, IReadOnlyList<string> Patients, string? Natural) place, bool update)
    {
        if (update) throw Forbidden(type, place.Section, FhirText.WriteForbiddenMove);
        if (place.Section is null) throw FhirException.Forbidden(Text.Format(FhirText.BelongsToNoDossier, type));
        if (place.Patients.Count == 0) throw FhirException.Forbidden(Text.Format(FhirText.BelongsToNoClient, type));
        // Creating in a dossier the caller cannot see answers like a missing patient (also when only one of several is unseen).
        if (place.Patients.FirstOrDefault(p => !scope.HasAnyAccessTo(p)) is { } unseen) throw FhirException.NotFound(Text.Format(FhirText.PatientNotFound, unseen));
        throw Forbidden(type, place.Section, FhirText.WriteForbiddenCreate);
    }

    // ---------------------------------------------------------------- W4, W7: Consents

    private async ValueTask DecideConsentAsync(CallerContext caller, AccessScope scope, Consent? incoming, Consent? current, IReadOnlyList<string> compartment, CancellationToken ct)
    {
        var patient = PatientOf(incoming ?? current!);
        if (incoming is not null)
        {
            // One client per Consent, and only that client's compartment: a grant never reaches into a second dossier.
            if (patient is null || compartment.Count != 1 || compartment[0] != patient)
                throw FhirException.Unprocessable(FhirText.ConsentOneClient);
            if (current is not null && PatientOf(current) != patient)
                throw FhirException.Unprocessable(FhirText.ConsentCannotMove);
        }
        if (patient is null) throw Forbidden("Consent", Section.Toegang, FhirText.WriteForbiddenUpdate);

        var next = incoming is null ? null : ConsentGrant.Of(incoming);
        var stored = current is null ? null : ConsentGrant.Of(current);
        var regie = scope.IsRegiehouder(patient);
        if (!regie && !scope.CanManage(patient))
            throw FhirException.Forbidden(FhirText.ConsentOnlyManager);

        // Regie and legal representation: recorded, changed and ended by a regiehouder only.
        if (!regie && (TouchesRegie(next) || TouchesRegie(stored)))
            throw FhirException.Forbidden(FhirText.RegieOnlyRegiehouder);

        // W7: nobody ends or changes another regiehouder's regie alone, nor lifts the hide another regiehouder set.
        // The adult client may end the regie of a representative without a legal basis in force: it is their dossier.
        // Research consent grants no one anything (issue 21): any regiehouder gives or ends it, whatever actors it names.
        if (stored is not null && !stored.IsResearch)
        {
            var others = stored.Actors.Where(a => a.Roles.Contains(GrantRole.Regiehouder) && !scope.Identities.Contains(a.Reference)).ToList();
            if (others.Count > 0 && !(others.All(a => !stored.KeepsRegieByLaw(a, clock.GetUtcNow())) && await AdultClientAsync(scope, patient, ct)))
                throw FhirException.Forbidden(OtherRegiehouderMustAgree);
            if (stored.IsDeny && await SetByAnotherRegiehouderAsync(scope, patient, current!, ct))
                throw FhirException.Forbidden(OtherRegiehouderMustAgree);
        }

        if (next is not null)
        {
            // Only what is in force must name this dossier's people and items: ending an old grant stays possible.
            if (next.Active) await RequireOwnDossierAsync(next, patient, ct);
            if (next.SourceConsentId is { } sourceId)
            {
                // A stand-in acts with the supporter's grant: that grant must be of this same client.
                var source = (await policy.ConsentsAsync([sourceId], ct)).FirstOrDefault();
                if (source is null || source.PatientId != patient)
                    throw FhirException.Unprocessable(FhirText.SubstituteSameDossier);
                if (!regie) await RequireNoWiderAsync(scope, patient, source with { Actions = source.Actions.Where(a => a != PgoCodes.Action.Manage).ToHashSet(StringComparer.Ordinal) }, ct);
            }
            if (!regie && !next.IsDeny) await RequireNoWiderAsync(scope, patient, next, ct);
            if (next.Active && next.SourceConsentId is not null) await RequireSameTeamAsync(next, ct);
            if (next.Actors.Any(a => a.Roles.Contains(GrantRole.Bewindvoerder) || a.LegalBasis == LegalRepresentation.Bewind))
                RequireFinancesOnly(next);
            if (incoming!.Status == Consent.ConsentState.Active && next.Actors.Any(a => a.HasLegalBasis)
                && (stored is null || !stored.Actors.Any(a => a.HasLegalBasis) || HasEvidenceShape(current!) || Changed(stored.RepresentationReason, next.RepresentationReason)
                    || BasesChanged(stored, next)))
                await RequireEvidenceAsync(incoming, next, patient, ct);

            // The grantor is recorded by the server: on create the caller's acting record in this dossier, on update the stored one.
            incoming.Performer = current is not null
                ? ((Consent)current.DeepCopy()).Performer
                : Grantor(caller, scope, patient) is { } grantor ? [new ResourceReference(grantor)] : [];
        }
    }

    /// <summary>What a Consent names lives in its own dossier: a client actor is this client, a RelatedPerson actor is in
    /// this client's network, and every item is this client's. Missing and another family's answer alike (no existence leak).</summary>
    private async ValueTask RequireOwnDossierAsync(ConsentGrant grant, string patient, CancellationToken ct)
    {
        var foreign = FhirText.ConsentNamesOtherDossier;
        foreach (var actor in grant.Actors.Select(a => a.Reference).Concat(grant.Nested.SelectMany(n => n.Actors)).Distinct(StringComparer.Ordinal))
        {
            switch (actor.Split('/'))
            {
                case ["Patient", var id] when id != patient:
                    throw FhirException.Unprocessable(foreign);
                case ["RelatedPerson", var id]:
                    var related = await store.Resources.ReadAsync("RelatedPerson", id, AccessScope.Unrestricted, ct);
                    if (related is not { Deleted: false } || !Place(FhirJson.Parse(related.Json)).Patients.Contains(patient))
                        throw FhirException.Unprocessable(foreign);
                    break;
            }
        }
        var items = (grant.Items ?? new HashSet<(string, string)>()).Concat(grant.Nested.Where(n => n.Items is not null).SelectMany(n => n.Items!)).Distinct();
        foreach (var (type, id) in items)
        {
            var stored = await store.Resources.ReadAsync(type, id, AccessScope.Unrestricted, ct);
            if (stored is not { Deleted: false } || !Place(FhirJson.Parse(stored.Json)).Patients.Contains(patient))
                throw FhirException.Unprocessable(foreign);
        }
    }

    /// <summary>Regie, a successor, a legal basis (mentor, curator, bewind, WGBO), the choice for after 18 or research consent
    /// (issue 21): a regiehouder's alone.</summary>
    private static bool TouchesRegie(ConsentGrant? g) =>
        g is not null && (g.After18 is not null || g.IsResearch
                          || g.Actors.Any(a => a.Roles.Contains(GrantRole.Regiehouder) || a.Roles.Contains(GrantRole.Opvolger) || a.HasLegalBasis));

    private static bool Changed(string? a, string? b) => !string.Equals(a ?? "", b ?? "", StringComparison.Ordinal);

    /// <summary>Whether the legal bases recorded changed (a WGBO representation turned into a mentorship needs the court's
    /// decision, though the Consent already carried a basis and its reason).</summary>
    private static bool BasesChanged(ConsentGrant stored, ConsentGrant next) =>
        !stored.Actors.Select(a => a.LegalBasis).OfType<string>().ToHashSet(StringComparer.Ordinal)
            .SetEquals(next.Actors.Select(a => a.LegalBasis).OfType<string>());

    /// <summary>Whether the caller is the client of this dossier and an adult (then their regie is their own to give or end).</summary>
    private async ValueTask<bool> AdultClientAsync(AccessScope scope, string patient, CancellationToken ct)
    {
        if (!scope.Identities.Contains($"Patient/{patient}")) return false;
        var births = await policy.BirthDatesAsync([patient], ct);
        return AgeRules.StageOf(births.TryGetValue(patient, out var b) ? b : null, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)) == AgeStage.Adult;
    }

    /// <summary>A bewindvoerder manages the finances: a grant naming one gives section financien only, never manage.</summary>
    private static void RequireFinancesOnly(ConsentGrant grant)
    {
        if (grant.IsDeny) return;
        if (grant.Items is not null || grant.Sections is not { Count: > 0 } sections || sections.Any(s => s != Section.Financien)
            || grant.Actions.Contains(PgoCodes.Action.Manage) || grant.Actors.Any(a => a.Roles.Contains(GrantRole.Regiehouder)))
            throw FhirException.Unprocessable(FhirText.BewindFinancesOnly);
    }

    /// <summary>A stand-in works in the same team as the supporter they stand in for: one of the stand-in's Practitioners
    /// shares an organisation (through PractitionerRole) with one of the source grant's Practitioners.</summary>
    private async ValueTask RequireSameTeamAsync(ConsentGrant standIn, CancellationToken ct)
    {
        var source = (await policy.ConsentsAsync([standIn.SourceConsentId!], ct)).FirstOrDefault();
        if (source is null) return; // the same-dossier rule answers this one
        if (!await policy.SameTeamAsync(standIn.Actors.Select(a => a.Reference), source.Actors.Select(a => a.Reference), ct))
            throw FhirException.Unprocessable(FhirText.StandInSameTeam);
    }

    /// <summary>A manage holder passes on no more than they hold themselves in this dossier, and never manage.</summary>
    private async ValueTask RequireNoWiderAsync(AccessScope scope, string patient, ConsentGrant grant, CancellationToken ct)
    {
        var wider = FhirText.ConsentWiderThanOwn;
        var access = scope.Patients.TryGetValue(patient, out var a) ? a : null;
        var write = grant.Actions.Contains(PgoCodes.Action.Write) || grant.Actions.Contains(PgoCodes.Action.Manage);
        if (access is null || grant.Actions.Contains(PgoCodes.Action.Manage)) throw FhirException.Forbidden(wider);
        var items = (grant.Items ?? new HashSet<(string, string)>()).Concat(grant.Nested.Where(n => !n.IsDeny && n.Items is not null).SelectMany(n => n.Items!)).ToList();
        if (grant.Items is null)
        {
            var mine = write ? access.WriteSections : access.ReadSections;
            if (!(grant.Sections ?? DossierSections).All(mine.Contains)) throw FhirException.Forbidden(wider);
        }
        foreach (var (type, id) in items.Distinct())
        {
            var stored = await store.Resources.ReadAsync(type, id, AccessScope.Unrestricted, ct);
            if (stored is null || stored.Deleted) throw FhirException.Forbidden(wider);
            var place = Place(FhirJson.Parse(stored.Json));
            var allowed = place.Patients.Contains(patient)
                && (write ? scope.CanWrite('u', type, id, place.Section, place.Patients) : scope.CanRead(type, id, place.Section, place.Patients));
            if (!allowed) throw FhirException.Forbidden(wider);
        }
    }

    private static bool HasEvidenceShape(Consent c) => c.Source is ResourceReference { Reference.Length: > 0 } or Attachment;

    /// <summary>Legal representation needs its evidence: for mentor, curator and bewind the court decision (a DocumentReference
    /// in this dossier, or the document itself); for a WGBO representative the reason the client cannot decide.</summary>
    private async ValueTask RequireEvidenceAsync(Consent consent, ConsentGrant grant, string patient, CancellationToken ct)
    {
        if (grant.Actors.Any(a => a.LegalBasis == LegalRepresentation.Wgbo) && string.IsNullOrWhiteSpace(grant.RepresentationReason))
            throw FhirException.Unprocessable(FhirText.WgboReasonMissing);
        if (!grant.Actors.Any(a => LegalRepresentation.NeedsCourtDecision(a.LegalBasis))) return;
        var missing = FhirText.ConsentEvidenceMissing;
        switch (consent.Source)
        {
            case Attachment { Data.Length: > 0 } or Attachment { Url.Length: > 0 }:
                return;
            case ResourceReference { Reference: { } reference } when reference.Split('/') is ["DocumentReference", var id]:
                var stored = await store.Resources.ReadAsync("DocumentReference", id, AccessScope.Unrestricted, ct);
                if (stored is { Deleted: false } && Place(FhirJson.Parse(stored.Json)).Patients.Contains(patient)) return;
                break;
        }
        throw FhirException.Unprocessable(missing);
    }

    /// <summary>Whether a hide (deny Consent) was recorded by a regiehouder of this dossier other than the caller.</summary>
    private async ValueTask<bool> SetByAnotherRegiehouderAsync(AccessScope scope, string patient, Consent deny, CancellationToken ct)
    {
        var performers = deny.Performer.Select(p => p.Reference).OfType<string>().Where(p => !scope.Identities.Contains(p)).ToList();
        if (performers.Count == 0) return false;
        var regiehouders = await RegiehoudersAsync(patient, ct);
        foreach (var performer in performers)
        {
            if (regiehouders.Contains(performer)) return true;
            if (performer.Split('/') is ["Person", var personId] && (await policy.IdentitiesOfPersonAsync(personId, ct)).Overlaps(regiehouders))
                return true;
        }
        return false;
    }

    /// <summary>The records holding regie over the dossier now: regiehouder actors of grants in force (by the age rules)
    /// and the client from 16.</summary>
    private async ValueTask<HashSet<string>> RegiehoudersAsync(string patient, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var stage = AgeRules.StageOf((await policy.BirthDatesAsync([patient], ct)).TryGetValue(patient, out var b) ? b : null, DateOnly.FromDateTime(now.UtcDateTime));
        var holders = new HashSet<string>(StringComparer.Ordinal);
        var clientHasAccount = await policy.ClientHasAccountAsync(patient, ct);
        if (AgeRules.OwnAccess(stage).Manage) holders.Add($"Patient/{patient}");
        foreach (var g in await policy.ConsentsOfPatientAsync(patient, ct))
        {
            if (g.IsDeny || g.IsResearch || !g.InForce(now)) continue;
            foreach (var a in g.Actors.Where(a => a.Roles.Contains(GrantRole.Regiehouder)))
                if (a.Reference == $"Patient/{patient}" || AgeRules.RepresentativeKeepsRegie(stage, g.KeepsRegieByLaw(a, now), clientHasAccount)) holders.Add(a.Reference);
        }
        return holders;
    }

    /// <summary>Who grants: the caller's first acting record in this dossier, else its Person; a system client is named by its client id.</summary>
    private static string? Grantor(CallerContext caller, AccessScope scope, string patient)
    {
        if (scope.ActingAs.TryGetValue(patient, out var acting) && acting.Count > 0) return acting[0];
        if (scope.Identities.FirstOrDefault(i => i.Split('/')[0] is "Patient" or "RelatedPerson" or "Practitioner") is { } identity) return identity;
        return caller.FhirUser;
    }

    // ---------------------------------------------------------------- helpers

    private (string? Section, IReadOnlyList<string> Patients, string? Natural) Place(Resource resource) =>
        (SectionClassifier.Classify(resource),
         SectionClassifier.IsDossierType(resource.TypeName) ? indexer.Extract(resource).PatientCompartment : [],
         SectionClassifier.NaturalSection(resource));

    private static string? PatientOf(Consent consent) =>
        consent.Patient?.Reference is { } r && r.Split('/') is ["Patient", var id] && id.Length > 0 ? id : null;

    private static FhirException NotFound(string type, string id) => FhirException.NotFound(Text.Format(FhirText.ResourceNotFound, type, id));

    private static FhirException Relabelled(string type, (string? Section, IReadOnlyList<string> Patients, string? Natural) place) =>
        FhirException.Forbidden(Text.Format(FhirText.Relabelled, type, place.Natural, place.Section));

    /// <param name="text">One of FhirText.WriteForbidden*: {0} the type, {1} the section.</param>
    private static FhirException Forbidden(string type, string? section, string text) => FhirException.Forbidden(section == Section.Toegang
        ? FhirText.ConsentOnlyManager
        : Text.Format(text, type, section));
}
