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
/// <remarks>
/// The facts are read again only when something was written since (the change outbox moved), the Dutch day changed, or
/// they are <see cref="MaxFactAge"/> old: what is due is computed from them and the clock on every sweep, but the
/// family's "wie heeft wat bekeken" shows each read of their dossier, and a read every quarter of an hour of an
/// unchanged dossier would bury what people looked at. Access is compiled fresh for every candidate on every sweep.
/// </remarks>
public sealed class NotificationSchedule(ScheduleFacts facts, IOutboxStore outbox, IAccessPolicy policy, NotificationSink sink, TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<Pgo.Api.Regie.TransitionOptions> transition, ScheduleOptions options,
    Microsoft.Extensions.Options.IOptions<Pgo.Api.Caseload.IntensityOptions> intensity, Microsoft.Extensions.Options.IOptions<Pgo.Api.Dossier.MeasurementOptions> measurements,
    ILogger<NotificationSchedule> logger) : IDisposable
{
    /// <summary>The longest the facts are used without being read again.</summary>
    public static readonly TimeSpan MaxFactAge = TimeSpan.FromHours(6);

    private sealed record Facts(long Cursor, DateOnly Day, DateTimeOffset ReadAt, List<Hl7.Fhir.Model.Task> Tasks, List<Hl7.Fhir.Model.Basic> Procedures,
        List<(Hl7.Fhir.Model.Basic Change, DateOnly? LastContact)> Waakvlam, List<ConsentGrant> Grants,
        Dictionary<string, DateOnly> Births, Dictionary<string, HashSet<string>> Persons, Dictionary<string, DateOnly?> OtherBirths);

    private readonly SemaphoreSlim _one = new(1, 1);
    private Facts? _facts;

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
        await _one.WaitAsync(ct);
        try
        {
            return await DecideOnceAsync(ct);
        }
        finally
        {
            _one.Release();
        }
    }

    private async Task<Facts> FactsAsync(DateTimeOffset now, CancellationToken ct)
    {
        var cursor = (await outbox.ChangeBoundsAsync(ct)).Latest;
        var day = Pgo.Shared.Text.DutchTime.Today(now);
        if (_facts is { } known && known.Cursor == cursor && known.Day == day && now - known.ReadAt < MaxFactAge && now >= known.ReadAt) return known;
        // The clients turning 18 soon, and those with an age step (12 to 18) now.
        var (from, to) = ScheduleRules.BirthWindow(now);
        var (stepFrom, stepTo) = ScheduleRules.AgeStepWindow(now);
        return _facts = new Facts(cursor, day, now, await facts.OpenAgreementsAsync(ct), await facts.OpenProceduresAsync(ct), await facts.WaakvlamAsync(ct), await facts.ActiveGrantsAsync(ct),
            await facts.BirthDatesAsync(from < stepFrom ? from : stepFrom, to > stepTo ? to : stepTo, ct),
            new Dictionary<string, HashSet<string>>(StringComparer.Ordinal), new Dictionary<string, DateOnly?>(StringComparer.Ordinal));
    }

    private async Task<List<ScheduledDelivery>> DecideOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var known = await FactsAsync(now, ct);
        var grants = known.Grants;
        var notices = new List<ScheduledNotice>();
        foreach (var task in known.Tasks)
            notices.AddRange(Pgo.Shared.Codes.MeasurementPlanCodes.IsPlanned(task)
                ? ScheduleRules.PlannedMeasurement(task, now, measurements.Value.RemindDaysBefore)
                : ScheduleRules.Agreement(task, now));
        foreach (var grant in grants) notices.AddRange(ScheduleRules.Grant(grant, now));
        foreach (var procedure in known.Procedures) notices.AddRange(ScheduleRules.Procedure(procedure, now, options.ProcedureReminderDays));
        foreach (var (change, lastContact) in known.Waakvlam) notices.AddRange(ScheduleRules.Contact(change, lastContact, now, intensity.Value.WaakvlamRhythmWeeks));
        var (birthFrom, birthTo) = ScheduleRules.BirthWindow(now);
        var startAge = transition.Value.StartAge;
        foreach (var (patient, birth) in known.Births)
        {
            if (birth >= birthFrom && birth <= birthTo) notices.AddRange(ScheduleRules.Birthday(patient, birth, now));
            notices.AddRange(ScheduleRules.AgeSteps(patient, birth, now, startAge));
        }

        // The dossier's regiehouders and supporters are among the actors of its grants, and its client (own regie from 16).
        var byPatient = grants.Where(g => !g.IsDeny && g.PatientId is not null).GroupBy(g => g.PatientId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        notices.AddRange(await ProvisionalAsync(known, byPatient, now, ct));
        if (notices.Count == 0) return [];
        List<string> DossierPeople(ScheduledNotice n) =>
        [
            $"Patient/{n.PatientId}",
            .. NotificationDecisions.RegieActors(byPatient.GetValueOrDefault(n.PatientId) ?? [], withSupporters: n.To == ScheduleAudience.RegiehoudersAndSupporters),
        ];
        var candidates = notices.Select(n => (Notice: n, Records: n.To is ScheduleAudience.Owner or ScheduleAudience.Holder ? n.Records : [.. n.Records, .. DossierPeople(n)])).ToList();
        // Who acts as a record is looked up once per set of facts (a change to a Person moves the outbox too).
        var unknown = candidates.SelectMany(c => c.Records).Where(r => !known.Persons.ContainsKey(r)).ToHashSet(StringComparer.Ordinal);
        if (unknown.Count > 0)
            foreach (var (record, people) in await facts.PersonsActingAsAsync(unknown, ct)) known.Persons[record] = people;
        var persons = known.Persons;

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

    /// <summary>
    /// The monthly reminder while regie after 18 is "voorlopig" (<see cref="RegieStatus"/>: a parent's regie without a legal
    /// basis, the client without an account): only dossiers where a representative holds regie without a legal basis are
    /// looked at; their birth dates and whether the client has an account are read once per set of facts.
    /// </summary>
    private async Task<List<ScheduledNotice>> ProvisionalAsync(Facts known, Dictionary<string, List<ConsentGrant>> byPatient, DateTimeOffset now, CancellationToken ct)
    {
        var candidates = byPatient.Where(p => RegieStatus.MayBecomeProvisional(p.Key, p.Value, now)).Select(p => p.Key).ToList();
        var unknown = candidates.Where(p => !known.Births.ContainsKey(p) && !known.OtherBirths.ContainsKey(p)).ToList();
        if (unknown.Count > 0)
        {
            var read = await facts.BirthDatesOfAsync(unknown, ct);
            foreach (var p in unknown) known.OtherBirths[p] = read.TryGetValue(p, out var b) ? b : null;
        }
        var adults = candidates.Select(p => (Patient: p, Birth: known.Births.TryGetValue(p, out var b) ? b : known.OtherBirths.GetValueOrDefault(p)))
            .Where(c => c.Birth is { } b && AgeRules.StageOf(b, DateOnly.FromDateTime(now.UtcDateTime)) == AgeStage.Adult).ToList();
        var clients = adults.Select(a => $"Patient/{a.Patient}").Where(r => !known.Persons.ContainsKey(r)).ToList();
        if (clients.Count > 0)
            foreach (var (record, people) in await facts.PersonsActingAsAsync(clients, ct)) known.Persons[record] = people;
        var notices = new List<ScheduledNotice>();
        foreach (var (patient, birth) in adults)
        {
            var hasAccount = known.Persons.GetValueOrDefault($"Patient/{patient}") is { Count: > 0 };
            if (RegieStatus.Of(patient, byPatient[patient], birth, hasAccount, now, transition.Value.StartAge).State == RegieStatus.States.Voorlopig)
                notices.AddRange(ScheduleRules.Provisional(patient, birth!.Value, now));
        }
        return notices;
    }

    public void Dispose() => _one.Dispose();
}
