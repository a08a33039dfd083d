using Pgo.Fhir.Access;
using Pgo.Fhir.Storage;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Notifications.Schedule;

/// <summary>One person to be told of one notice (the recipient's key is their Person, as the fhirUser claim names it).</summary>
public sealed record ScheduledDelivery(string Recipient, ScheduledNotice Notice);

/// <summary>
/// One sweep of what time brings: reads the facts (<see cref="ScheduleFacts"/>), asks <see cref="ScheduleRules"/> what
/// is due now, finds the candidates (the Persons acting as the owner, the holder, the dossier's regiehouders, supporters
/// and the agency's people), and keeps each candidate only if their own compiled access, as for a read, allows
/// (<see cref="ScheduleRules.MayBeTold"/>). Adding is idempotent by the notice's key, so a second instance or a re-run
/// adds nothing.
/// </summary>
public sealed class NotificationSchedule(ScheduleFacts facts, IAccessPolicy policy, NotificationSink sink, TimeProvider clock, ILogger<NotificationSchedule> logger)
{
    /// <summary>Tells everyone what time brought; returns how many notifications were new (0 on a re-run).</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var added = 0;
        var now = clock.GetUtcNow();
        foreach (var (recipient, n) in await DecideAsync(ct))
        {
            // Time is the actor: no person caused it, and nothing of the record's content is kept.
            if (await sink.AddAsync(new NewNotification(recipient, n.Key, n.Kind, n.PatientId, n.Section, n.Item, null, null, now), ct) is not null)
                added++;
        }
        if (added > 0) logger.LogInformation("Notifications: the schedule added {Added} notifications", added);
        return added;
    }

    /// <summary>Whom to tell of what, now.</summary>
    public async Task<List<ScheduledDelivery>> DecideAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var grants = await facts.ActiveGrantsAsync(ct);
        var notices = new List<ScheduledNotice>();
        foreach (var task in await facts.OpenAgreementsAsync(ct)) notices.AddRange(ScheduleRules.Agreement(task, now));
        foreach (var grant in grants) notices.AddRange(ScheduleRules.Grant(grant, now));
        var (from, to) = ScheduleRules.BirthWindow(now);
        foreach (var (patient, birth) in await facts.BirthDatesAsync(from, to, ct)) notices.AddRange(ScheduleRules.Birthday(patient, birth, now));
        if (notices.Count == 0) return [];

        // The dossier's regiehouders and supporters are among the actors of its grants, and its client (own regie from 16).
        var byPatient = grants.Where(g => !g.IsDeny && g.PatientId is not null).GroupBy(g => g.PatientId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        List<string> DossierPeople(ScheduledNotice n) =>
        [
            $"Patient/{n.PatientId}",
            .. (byPatient.GetValueOrDefault(n.PatientId) ?? []).SelectMany(g => g.Actors)
                .Where(a => a.Roles.Contains(GrantRole.Regiehouder) || (n.To == ScheduleAudience.RegiehoudersAndSupporters && a.Roles.Contains(GrantRole.Ondersteuner)))
                .Select(a => a.Reference),
        ];
        var candidates = notices.ToDictionary(n => n, n => n.To is ScheduleAudience.Owner or ScheduleAudience.Holder ? n.Records : [.. n.Records, .. DossierPeople(n)]);
        var persons = await facts.PersonsActingAsAsync(candidates.Values.SelectMany(r => r).ToHashSet(StringComparer.Ordinal), ct);

        var scopes = new Dictionary<string, AccessScope>(StringComparer.Ordinal);
        var deliveries = new List<ScheduledDelivery>();
        foreach (var (notice, records) in candidates)
        {
            foreach (var person in records.SelectMany(r => persons.GetValueOrDefault(r) ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                if (!scopes.TryGetValue(person, out var scope))
                    scopes[person] = scope = await policy.CompileAsync(NotificationRecipient.AsCaller(person)!, ct);
                if (ScheduleRules.MayBeTold(notice, scope)) deliveries.Add(new ScheduledDelivery(person, notice));
            }
        }
        logger.LogDebug("Notifications: the schedule found {Notices} notices for {Deliveries} people", notices.Count, deliveries.Count);
        return deliveries;
    }
}
