using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using Pgo.Fhir;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using static Pgo.Fhir.Access.PgoCodes;
using Pgo.Api.Notifications.Rules;

namespace Pgo.Api.Invitations;

/// <summary>
/// Turns one accepted invitation into what it proposed: the invitee's records (their <c>Person</c>, so that the
/// token's <c>fhirUser</c> resolves, linking a <c>RelatedPerson</c> for family or a <c>Practitioner</c> for
/// supporters, professionals and agencies) and the grant, a <c>Consent</c> per ADR 3. Every write is idempotent
/// (conditional create on identifier <c>urn:pgo:invitation|&lt;id&gt;</c>, the Person's link added only when
/// missing), so an item handled twice changes nothing. Before anything is written the inviter must still manage the
/// dossier (the same <see cref="IAccessPolicy"/> that guards /fhir decides): Identity checks only that a
/// regiehouder invited, not whose dossier it is.
/// </summary>
public sealed class InvitationGrants(FhirRepository repo, ILogger<InvitationGrants> log, InvitationNotices? notices = null)
{
    public const string InvitationSystem = "urn:pgo:invitation";
    public const string AccountSystem = "urn:pgo:account";

    public enum Result { Granted, Refused }

    private static readonly Dictionary<string, string> RoleOf = new(StringComparer.Ordinal)
    {
        ["family"] = GrantRole.Gezinslid,
        ["supporter"] = GrantRole.Ondersteuner,
        ["professional"] = GrantRole.Zorgverlener,
        ["agency"] = GrantRole.Instantie,
    };

    public async Task<Result> ApplyAsync(AcceptedInvitation item, CancellationToken ct)
    {
        if (Refusal(item) is { } reason)
        {
            log.LogWarning("Invitation {Id} not turned into a grant: {Reason}", item.Id, reason);
            return Result.Refused;
        }
        var patientId = item.Patient.StartsWith("Patient/", StringComparison.Ordinal) ? item.Patient["Patient/".Length..] : item.Patient;
        var inviter = new CallerContext(item.InvitedBy!.Sub ?? item.InvitedBy.FhirUser!, item.InvitedBy.FhirUser, ["user/*.cruds"], IsSystem: false);
        // A second regiehouder only by someone who holds regie (not just manage): regie is a regiehouder's to give (issue 18).
        var needed = IsRegie(item) ? DossierOperation.DecideRegie : DossierOperation.ManageAccess;
        if (!DossierOperations.Allows(await repo.Access.CompileAsync(inviter, ct), patientId, needed))
        {
            log.LogWarning("Invitation {Id} not turned into a grant: {Inviter} may not {Operation} in Patient/{Patient}", item.Id, item.InvitedBy.FhirUser,
                DossierOperations.Name(needed), patientId);
            return Result.Refused;
        }

        var ctx = new FhirContext(CallerContext.System("invitations"), "urn:pgo:invitations");
        var actor = await ActorAsync(ctx, item, patientId, ct);
        await LinkPersonAsync(ctx, item.AcceptedByFhirUser!["Person/".Length..], item.Email, item.AcceptedByName, actor, ct);

        var until = item.Until is { } u ? new DateTimeOffset(DateTime.SpecifyKind(u, DateTimeKind.Utc)) : (DateTimeOffset?)null;
        var from = item.AcceptedAt is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : (DateTimeOffset?)null;
        var consent = IsRegie(item)
            ? Grants.Regie(null, patientId, [actor], from: from)
            : Grants.Grant(null, patientId, actor, RoleOf[item.Role], KnownSections(item), write: item.Access == "write", from: from, until: until);
        consent.Identifier = [new Identifier(InvitationSystem, item.Id)];
        consent.Performer = [new ResourceReference(item.InvitedBy.FhirUser) { Display = item.InvitedBy.Name }];
        var granted = await repo.CreateAsync(ctx, "Consent", consent, $"identifier={InvitationSystem}|{item.Id}", ct);
        // The inviter hears of it (keyed by the invitation: an item handled again tells nobody twice).
        if (notices is not null && granted.Stored is { } stored) await notices.AcceptedAsync(item, patientId, stored.Id, ct);
        log.LogInformation("Invitation {Id}: {Actor} may now {Access} {Sections} of Patient/{Patient}", item.Id, actor, item.Access, string.Join(",", KnownSections(item)), patientId);
        return Result.Granted;
    }

    /// <summary>Why an item cannot be applied at all (then nothing is written, and it is not tried again).</summary>
    private static string? Refusal(AcceptedInvitation item) =>
        item.Status != "accepted" || item.AcceptedAt is null ? "not accepted"
        : item.AcceptedByFhirUser is not { } f || !f.StartsWith("Person/", StringComparison.Ordinal) || f.Length <= "Person/".Length ? "the account has no fhirUser Person"
        : !RoleOf.ContainsKey(item.Role) && !IsRegie(item) ? $"unknown role '{item.Role}'"
        : string.IsNullOrWhiteSpace(item.Patient) ? "no patient"
        // No sections would mean "every section" in a Consent: an invitation always names what it shares (regie is everything).
        : KnownSections(item).Count == 0 && !IsRegie(item) ? "no known sections"
        : item.Access is not ("read" or "write") ? $"unknown access '{item.Access}'"
        : item.InvitedBy?.FhirUser is not { Length: > 0 } ? "the inviter is unknown"
        : null;

    /// <summary>An invitation as second regiehouder (Identity's account role of that name): a regie Consent, never a grant.</summary>
    private static bool IsRegie(AcceptedInvitation item) => item.Role == Pgo.Shared.Codes.AccountRoles.Regiehouder;

    private static List<string> KnownSections(AcceptedInvitation item) =>
        (item.Sections ?? []).Where(s => Section.Dossier.Contains(s)).Distinct().ToList();

    /// <summary>The record the grant names: a RelatedPerson of this dossier for family, the account's Practitioner otherwise.</summary>
    private async Task<string> ActorAsync(FhirContext ctx, AcceptedInvitation item, string patientId, CancellationToken ct)
    {
        if (item.Role == "family" || IsRegie(item))
        {
            var related = new RelatedPerson
            {
                Active = true,
                Identifier = [new Identifier(InvitationSystem, item.Id)],
                Patient = new ResourceReference($"Patient/{patientId}"),
                Relationship = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-RoleCode", "FAMMEMB", "gezinslid", "gezinslid")],
                Name = NameOf(item.AcceptedByName),
                Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Email, ContactPoint.ContactPointUse.Home, item.Email)],
            };
            var created = await repo.CreateAsync(ctx, "RelatedPerson", related, $"identifier={InvitationSystem}|{item.Id}", ct);
            return $"RelatedPerson/{created.Stored!.Id}";
        }

        // A supporter or professional already known (a demo account, a second invitation) keeps their Practitioner.
        var person = await PersonAsync(ctx, item.AcceptedByFhirUser!["Person/".Length..], ct);
        if (person?.Link.Select(l => l.Target?.Reference).FirstOrDefault(r => r?.StartsWith("Practitioner/", StringComparison.Ordinal) == true) is { } known)
            return known;
        var practitioner = new Practitioner
        {
            Active = true,
            Identifier = [new Identifier(AccountSystem, item.AcceptedBy ?? item.AcceptedByFhirUser)],
            // The name the invitee gave their account: what the family sees in Toegang and in "who changed this".
            Name = NameOf(item.AcceptedByName),
            Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Email, ContactPoint.ContactPointUse.Work, item.Email)],
        };
        var made = await repo.CreateAsync(ctx, "Practitioner", practitioner, $"identifier={AccountSystem}|{item.AcceptedBy ?? item.AcceptedByFhirUser}", ct);
        return $"Practitioner/{made.Stored!.Id}";
    }

    private static List<HumanName> NameOf(string? name) =>
        string.IsNullOrWhiteSpace(name) ? [] : [new HumanName { Use = HumanName.NameUse.Usual, Text = name.Trim() }];

    /// <summary>Creates the account's Person when it has none, and adds the link to <paramref name="actor"/> when it is missing.</summary>
    private async Task LinkPersonAsync(FhirContext ctx, string personId, string email, string? name, string actor, CancellationToken ct)
    {
        var person = await PersonAsync(ctx, personId, ct);
        if (person is not null && person.Link.Any(l => l.Target?.Reference == actor)) return;
        person ??= new Person
        {
            Id = personId,
            Active = true,
            Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Email, null, email)],
        };
        if (person.Name.Count == 0) person.Name = NameOf(name);
        person.Link.Add(new Person.LinkComponent { Target = new ResourceReference(actor), Assurance = Person.IdentityAssuranceLevel.Level3 });
        await repo.UpdateAsync(ctx, "Person", personId, person, person.Meta?.VersionId, ct);
    }

    /// <summary>The account's own Person (a platform read: an account's Person is readable by nobody but its owner).</summary>
    private Task<Person?> PersonAsync(FhirContext ctx, string id, CancellationToken ct) =>
        repo.AsPlatform(PlatformPurpose.AccountLink, ctx).ReadAsync<Person>(id, ct);
}
