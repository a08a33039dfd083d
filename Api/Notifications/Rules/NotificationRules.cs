using Pgo.Shared.Codes;
using Hl7.Fhir.Model;
using Pgo.Api.Realtime;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using Pgo.Fhir.Storage;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Notifications.Rules;

/// <summary>One decision: tell <paramref name="Recipient"/> (a Person key) <paramref name="Kind"/> about an item of the
/// dossier. <paramref name="Key"/> makes it idempotent per recipient (a second instance or a re-run adds nothing).</summary>
public sealed record Notice(string Recipient, string Kind, string Key, string PatientId, string? Section, string? Item);

/// <summary>
/// Who is told what when a change is committed (one outbox row). Every recipient is decided with their own access now,
/// as a read of the item (<see cref="AccessScope.CanRead"/>; for a message only its participants): nobody hears of what
/// they may not read, and a revoked person hears of nothing more. The one who made the change is never told.
/// </summary>
/// <remarks>
/// Kinds: a message (to its participants), an agreement (Task) created with or handed to an owner (to the owner's
/// Persons), a goal or plan changed (to its followers and to who manage access), a document filed (to who read its
/// section; not logbook or profile notes), a grant given, changed or ended (to the grant's actors' Persons; "ended" is
/// told even though they no longer see the dossier: it names only the family). Only references and the kind are kept,
/// never content (the Portal shows the item once it is opened, under the reader's access then).
/// </remarks>
public sealed class NotificationRules(FhirRepository repo, NotificationAudience audience, INotificationStore store, TimeProvider clock, AccessNotices? access = null)
{
    private static readonly HashSet<string> NotDocuments = new(StringComparer.Ordinal) { Section.Logboek, Section.Profiel };

    /// <summary>The notices of one change; <paramref name="scopes"/> keeps the recipients' compiled access for one batch.</summary>
    public async Task<IReadOnlyList<Notice>> DecideAsync(ChangeEvent e, ScopeCache scopes, CancellationToken ct)
    {
        if (e.PatientId is not { } patient) return [];
        switch (e.Type)
        {
            case "Communication" or "CommunicationRequest" when e.Change == "create":
                var participants = await MessageAudience.ParticipantsAsync(repo.AsPlatform(PlatformPurpose.MessageAudience), e, ct);
                return await ToReadersAsync(e, NotificationKinds.Message, await audience.CandidatesAsync(patient, ct), scopes, ct,
                    (_, scope) => scope.TakesPart(participants) && scope.CanRead(e.Type, e.Id, e.Section, [patient], participants));
            case "Task" when e.Change != "delete":
                return await AgreementAsync(e, scopes, ct);
            case "Goal" or "CarePlan":
                return await FollowedAsync(e, scopes, ct);
            case "DocumentReference" when e.Change == "create" && e.Section is { } section && !NotDocuments.Contains(section):
                return await ToReadersAsync(e, NotificationKinds.DocumentShared, await audience.CandidatesAsync(patient, ct), scopes, ct);
            case "Consent":
                // Stand-ins, a new supporter, another regiehouder's change (issue 18) first; nobody hears twice of one change.
                var told = access is null ? [] : await access.DecideAsync(e, scopes, ct);
                return [.. told, .. (await GrantAsync(e, scopes, ct)).Where(n => !told.Any(t => t.Recipient == n.Recipient))];
            default:
                return [];
        }
    }

    /// <summary>After the notices of a change to a goal or plan are stored: whoever wrote a version follows it from now on; after a
    /// measurement, the planned meting it fulfils is completed.</summary>
    public async System.Threading.Tasks.Task AfterAsync(ChangeEvent e, CancellationToken ct)
    {
        if (e is { Type: "Goal" or "CarePlan", PatientId: { } patient } && e.Change != "delete" && IsPerson(e.Who))
            await store.FollowAsync(e.Who!, patient, $"{e.Type}/{e.Id}", clock.GetUtcNow(), ct);
        // A measurement completes the planned meting of its instrument and moment (issue 20), written by the platform.
        if (e is { Type: "QuestionnaireResponse", PatientId: { } dossier } && e.Change != "delete")
            await Pgo.Api.Dossier.MeasurementPlanApi.CompleteAsync(repo, dossier, e.Id, clock, ct);
    }

    private static bool IsPerson(string? who) => who is not null && who.StartsWith("Person/", StringComparison.Ordinal);

    /// <summary>One outbox row (a change in one dossier) tells a person one thing of a kind, once.</summary>
    private static string Key(string kind, ChangeEvent e) => $"outbox:{e.Cursor}:{kind}";

    /// <summary>The candidates (never the author) whose access allows <paramref name="allowed"/> (default: reading the item).</summary>
    private async Task<IReadOnlyList<Notice>> ToReadersAsync(ChangeEvent e, string kind, IEnumerable<string> candidates, ScopeCache scopes, CancellationToken ct,
        Func<string, AccessScope, bool>? allowed = null)
    {
        var patient = e.PatientId!;
        allowed ??= (_, scope) => scope.CanRead(e.Type, e.Id, e.Section, [patient]);
        var notices = new List<Notice>();
        foreach (var person in candidates.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (person == e.Who) continue;
            if (allowed(person, await scopes.GetAsync(person, ct)))
                notices.Add(new Notice(person, kind, Key(kind, e), patient, e.Section, $"{e.Type}/{e.Id}"));
        }
        return notices;
    }

    // ---------------------------------------------------------------- agreements

    /// <summary>A Task created with an owner, or whose owner changed: its owner's Persons who may read it.</summary>
    private async Task<IReadOnlyList<Notice>> AgreementAsync(ChangeEvent e, ScopeCache scopes, CancellationToken ct)
    {
        var platform = repo.AsPlatform(PlatformPurpose.Notifications);
        if (await ParseAsync(platform, e.Type, e.Id, e.Version, ct) is not Hl7.Fhir.Model.Task task || Pgo.Shared.Codes.MeasurementPlanCodes.IsPlanned(task)) return [];
        var owner = MessageRules.Local(task.Owner?.Reference);
        if (owner is null) return [];
        if (e.Version > 1 && await ParseAsync(platform, e.Type, e.Id, e.Version - 1, ct) is Hl7.Fhir.Model.Task before
            && MessageRules.Local(before.Owner?.Reference) == owner) return [];
        return await ToReadersAsync(e, NotificationKinds.AgreementAssigned, await audience.PersonsActingAsAsync([owner], ct), scopes, ct);
    }

    // ---------------------------------------------------------------- goals and plans

    /// <summary>A goal or plan changed: its followers and who manage access to the dossier, if they may read it.</summary>
    private async Task<IReadOnlyList<Notice>> FollowedAsync(ChangeEvent e, ScopeCache scopes, CancellationToken ct)
    {
        var patient = e.PatientId!;
        var kind = e.Type == "Goal" ? NotificationKinds.GoalChanged : NotificationKinds.PlanChanged;
        var followers = (await store.FollowersAsync($"{e.Type}/{e.Id}", ct)).ToHashSet(StringComparer.Ordinal);
        var candidates = new HashSet<string>(followers, StringComparer.Ordinal);
        candidates.UnionWith(await audience.CandidatesAsync(patient, ct));
        // A deletion is judged by the version before it (the deleted marker is in the same section and dossier).
        return await ToReadersAsync(e, kind, candidates, scopes, ct,
            (person, scope) => (followers.Contains(person) || DossierOperations.Allows(scope, patient, DossierOperation.ManageAccess)) && scope.CanRead(e.Type, e.Id, e.Section, [patient]));
    }

    // ---------------------------------------------------------------- grants

    /// <summary>
    /// A Consent created, changed or ended: the Persons of its actors. Given (in force now, not before) and changed (in
    /// force before and now) go to those who see the dossier now; ended (in force before, not now, or removed) goes to
    /// those who no longer see anything of it, as "changed" to those who still do. Hiding something from someone (a deny)
    /// is never announced: that would tell them something is hidden.
    /// </summary>
    private async Task<IReadOnlyList<Notice>> GrantAsync(ChangeEvent e, ScopeCache scopes, CancellationToken ct)
    {
        var patient = e.PatientId!;
        var platform = repo.AsPlatform(PlatformPurpose.Notifications);
        var now = clock.GetUtcNow();
        var after = await ParseAsync(platform, e.Type, e.Id, e.Version, ct) is Consent c ? ConsentGrant.Of(c) : null;
        var before = e.Version > 1 && await ParseAsync(platform, e.Type, e.Id, e.Version - 1, ct) is Consent b ? ConsentGrant.Of(b) : null;
        if (after?.IsDeny == true || before?.IsDeny == true) return [];
        var nowIn = after is not null && after.InForce(now) ? after.Actors.Select(a => a.Reference).ToHashSet(StringComparer.Ordinal) : [];
        var wasIn = before is not null && before.InForce(now) ? before.Actors.Select(a => a.Reference).ToHashSet(StringComparer.Ordinal) : [];

        var notices = new List<Notice>();
        async System.Threading.Tasks.Task TellAsync(IEnumerable<string> identities, Func<AccessScope, string?> kindFor)
        {
            var list = identities.ToList();
            foreach (var person in (await audience.PersonsActingAsAsync(list, ct)).Order(StringComparer.Ordinal))
            {
                if (person == e.Who || notices.Any(n => n.Recipient == person)) continue;
                var scope = await scopes.GetAsync(person, ct);
                if (kindFor(scope) is not { } kind) continue;
                // An ended grant names only the family: no item the person can no longer open.
                var item = kind == NotificationKinds.AccessEnded ? null : $"Consent/{e.Id}";
                notices.Add(new Notice(person, kind, Key(kind, e), patient, Section.Toegang, item));
            }
        }

        var sees = (AccessScope s) => DossierOperations.Allows(s, patient, DossierOperation.ReadOverview);
        await TellAsync(nowIn.Except(wasIn), s => sees(s) ? NotificationKinds.AccessGranted : null);
        await TellAsync(nowIn.Intersect(wasIn), s => sees(s) ? NotificationKinds.AccessChanged : null);
        await TellAsync(wasIn.Except(nowIn), s => sees(s) ? NotificationKinds.AccessChanged : NotificationKinds.AccessEnded);
        return notices;
    }

    private static async Task<Resource?> ParseAsync(PlatformReader platform, string type, string id, int version, CancellationToken ct) =>
        version >= 1 && await platform.ReadVersionAsync(type, id, version, ct) is { Deleted: false, Json.Length: > 0 } stored ? FhirJson.Parse(stored.Json) : null;
}

/// <summary>
/// The compiled access of each recipient, kept for one batch of changes so a busy dossier does not compile the same
/// person's access for every change; emptied by the dispatcher before any change access is derived from (a Consent, a
/// Person, a PractitionerRole, a Patient), so a revocation counts from the change that made it.
/// </summary>
public sealed class ScopeCache(NotificationAudience audience)
{
    private readonly Dictionary<string, AccessScope> _scopes = new(StringComparer.Ordinal);

    public async Task<AccessScope> GetAsync(string person, CancellationToken ct)
    {
        if (!_scopes.TryGetValue(person, out var scope)) _scopes[person] = scope = await audience.ScopeAsync(person, ct);
        return scope;
    }

    public void Clear() => _scopes.Clear();
}
