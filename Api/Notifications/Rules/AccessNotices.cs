using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using Pgo.Fhir.Storage;
using Pgo.Shared.Codes;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Notifications.Rules;

/// <summary>
/// What a change in access tells beyond "your access changed" (issue 18), each recipient decided with their own access now:
/// <list type="bullet">
/// <item><c>invaller-genoemd</c>: a stand-in is named; to the supporter, the stand-in and the regiehouders who see the dossier
///   (the stand-in also when their period has not begun: the Consent names them).</item>
/// <item><c>ondersteuner-gewisseld</c>: a supporter's grant moved to another (a Consent with extension replaces); to the new
///   supporter and the regiehouders who see the dossier, and to the old supporter (who no longer does: no item, as for an
///   ended grant).</item>
/// <item><c>toegang-gewijzigd-door-ander</c>: a regiehouder gave, changed or ended a grant; to the other regiehouders, who
///   read the dossier's grants (so each sees what the other changed). A hide is not announced to whom it hides from.</item>
/// </list>
/// "Regiehouder" is what <see cref="DossierOperations"/> says (<see cref="DossierOperation.DecideRegie"/>); the author is never told.
/// </summary>
public sealed class AccessNotices(FhirRepository repo, NotificationAudience audience)
{
    public async Task<IReadOnlyList<Notice>> DecideAsync(ChangeEvent e, ScopeCache scopes, CancellationToken ct)
    {
        if (e is not { Type: "Consent", PatientId: { } patient }) return [];
        var platform = repo.AsPlatform(PlatformPurpose.Notifications);
        var after = await ParseAsync(platform, e.Id, e.Version, ct);
        var before = e.Version > 1 ? await ParseAsync(platform, e.Id, e.Version - 1, ct) : null;
        var grant = after ?? before;
        if (grant is null) return [];

        var notices = new List<Notice>();
        var item = $"Consent/{e.Id}";
        List<string>? regiehouders = null;
        async Task<List<string>> RegiehoudersAsync()
        {
            if (regiehouders is not null) return regiehouders;
            var list = regiehouders = [];
            // The dossier's candidates are read only when a notice may go to its regiehouders (each read is audited).
            foreach (var person in await audience.CandidatesAsync(patient, ct))
                if (DossierOperations.Allows(await scopes.GetAsync(person, ct), patient, DossierOperation.DecideRegie)) list.Add(person);
            return list;
        }
        async System.Threading.Tasks.Task TellAsync(IEnumerable<string> persons, string kind, Func<AccessScope, bool> allowed, string? itemFor = "")
        {
            foreach (var person in persons.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                if (person == e.Who || notices.Any(n => n.Recipient == person)) continue;
                if (!allowed(await scopes.GetAsync(person, ct))) continue;
                notices.Add(new Notice(person, kind, $"outbox:{e.Cursor}:{kind}", patient, Section.Toegang, itemFor == "" ? item : itemFor));
            }
        }
        bool Sees(AccessScope s) => DossierOperations.Allows(s, patient, DossierOperation.ReadOverview);

        var created = e.Change == "create" && after is not null && after.Active;
        if (created && SupporterRules.IsStandIn(after!))
        {
            var source = await ParseAsync(platform, after!.SourceConsentId!, null, ct);
            var standIns = await audience.PersonsActingAsAsync(after.Actors.Select(a => a.Reference).ToList(), ct);
            await TellAsync(standIns, NotificationKinds.StandInNamed, _ => true, itemFor: null);
            var supporters = source is null ? [] : await audience.PersonsActingAsAsync(SupporterRules.Supporters(source).ToList(), ct);
            await TellAsync(supporters.Concat(await RegiehoudersAsync()), NotificationKinds.StandInNamed, Sees);
        }
        else if (created && after!.ReplacesConsentId is { } replaced)
        {
            var old = await ParseAsync(platform, replaced, null, ct);
            await TellAsync(await audience.PersonsActingAsAsync(SupporterRules.Supporters(after).ToList(), ct), NotificationKinds.SupporterChanged, Sees);
            await TellAsync(await RegiehoudersAsync(), NotificationKinds.SupporterChanged, Sees);
            if (old is not null)
                await TellAsync(await audience.PersonsActingAsAsync(SupporterRules.Supporters(old).ToList(), ct), NotificationKinds.SupporterChanged, _ => true, itemFor: null);
        }

        // Another regiehouder changed access: only when the author holds regie themselves.
        if (e.Who is { } author && author.StartsWith("Person/", StringComparison.Ordinal)
            && DossierOperations.Allows(await scopes.GetAsync(author, ct), patient, DossierOperation.DecideRegie))
        {
            var hiddenFrom = grant.IsDeny ? await audience.PersonsActingAsAsync(grant.Actors.Select(a => a.Reference).ToList(), ct) : [];
            await TellAsync((await RegiehoudersAsync()).Except(hiddenFrom), NotificationKinds.AccessChangedByOther,
                s => s.CanRead("Consent", e.Id, Section.Toegang, [patient]));
        }
        return notices;
    }

    private static async Task<ConsentGrant?> ParseAsync(PlatformReader platform, string id, int? version, CancellationToken ct)
    {
        var stored = version is { } v ? await platform.ReadVersionAsync("Consent", id, v, ct) : await platform.ReadAsync("Consent", id, ct);
        return stored is { Deleted: false, Json.Length: > 0 } ? ConsentGrant.Of(FhirJson.Parse<Consent>(stored.Json)) : null;
    }
}
