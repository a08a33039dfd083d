using Pgo.Api.Notifications;
using Pgo.Api.Notifications.Rules;
using Pgo.Fhir.Access;
using Pgo.Fhir.Storage;
using Pgo.Shared.Codes;
using SuccessionCase = Pgo.Fhir.Access.Succession;

namespace Pgo.Api.Regie.Succession;

/// <summary>
/// opvolging-gevraagd and opvolging-rond, through <see cref="NotificationSink"/>, each decided with the recipient's own
/// compiled scope: who may see regie of the dossier (the regiehouders, the supporter, after the take-over the successor)
/// is told about the dossier; a successor who sees nothing of it is told only that a take-over was asked and by whom
/// (no dossier, no item). Whoever caused it is not told. The key is the succession and the moment, so a retry tells nobody twice.
/// </summary>
internal static class SuccessionNotices
{
    public static async System.Threading.Tasks.Task RequestedAsync(NotificationSink sink, NotificationAudience audience, SuccessionFacts facts,
        SuccessionCase s, string? author, string? authorPerson, DateTimeOffset now, CancellationToken ct)
    {
        var key = $"succession:{s.ConsentId}:gevraagd:{s.Request?.RequestedAt.ToUnixTimeMilliseconds()}";
        var names = await facts.NamesAsync([author], ct);
        var who = facts.Regiehouders.Append(s.Successor).Concat(facts.Supporters).Append(s.ForRegiehouder).OfType<string>().ToList();
        var successorPersons = await audience.PersonsActingAsAsync([s.Successor], ct);
        await TellAsync(sink, audience, facts.PatientId, NotificationKinds.SuccessionRequested, key, who, successorPersons, author,
            author is null ? null : names.GetValueOrDefault(author), authorPerson, s.Request?.RequestedAt ?? now, ct);
    }

    public static async System.Threading.Tasks.Task DoneAsync(NotificationSink sink, NotificationAudience audience, SuccessionFacts facts,
        SuccessionCase s, string? authorPerson, DateTimeOffset now, CancellationToken ct)
    {
        var names = await facts.NamesAsync([s.Successor], ct);
        var who = facts.Regiehouders.Append(s.Successor).Concat(facts.Supporters).ToList();
        await TellAsync(sink, audience, facts.PatientId, NotificationKinds.SuccessionDone, $"succession:{s.ConsentId}:rond", who, [], s.Successor,
            names.GetValueOrDefault(s.Successor), authorPerson, now, ct);
    }

    private static async System.Threading.Tasks.Task TellAsync(NotificationSink sink, NotificationAudience audience, string patientId, string kind, string key,
        IReadOnlyCollection<string> records, IReadOnlyList<string> unseenAllowed, string? actor, string? actorName, string? authorPerson, DateTimeOffset at, CancellationToken ct)
    {
        foreach (var person in (await audience.PersonsActingAsAsync(records.Distinct(StringComparer.Ordinal).ToList(), ct)).Distinct(StringComparer.Ordinal))
        {
            if (person == authorPerson) continue;
            var scope = await audience.ScopeAsync(person, ct);
            if (DossierOperations.Allows(scope, patientId, DossierOperation.ViewRegie))
                await sink.AddAsync(new NewNotification(person, key, kind, patientId, null, null, actor, actorName, at), ct);
            else if (unseenAllowed.Contains(person))
                // Told by name only: no dossier, no item (the bell shows neither, the mail names nobody).
                await sink.AddAsync(new NewNotification(person, key, kind, null, null, null, null, actorName, at), ct);
        }
    }
}
