using Microsoft.Extensions.Options;
using Pgo.Fhir.Storage;
using Pgo.Shared.Text;

namespace Pgo.Api.Notifications.Mail;

/// <summary>
/// Decides, for every new notification, whether and when it is mailed (<see cref="MailPlan"/> with the recipient's
/// preferences and the day's count), and makes each person's daily digest when it is due. Several instances may run it
/// at once: a notification's move out of <c>new</c> (or <c>digest</c>) is its claim, and each mail's key is unique.
/// </summary>
public sealed class MailPlanner(INotificationStore notifications, IMailDeliveryStore deliveries, MailPreferences preferences,
    IOptions<NotificationMailOptions> options, TimeProvider clock, ILogger<MailPlanner> log)
{
    private const int Batch = 200;
    private const int DigestBatch = 5000;

    /// <summary>One pass: new notifications first, then the digests that are due. Returns what it planned.</summary>
    public async Task<int> PlanAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var settings = new Dictionary<string, MailSettings>(StringComparer.Ordinal);
        async Task<MailSettings> SettingsOf(string recipient) =>
            settings.TryGetValue(recipient, out var s) ? s : settings[recipient] = await preferences.ForAsync(recipient, ct);

        var planned = 0;
        foreach (var n in await notifications.NotificationsInMailStateAsync(MailStates.New, Batch, ct))
            if (await PlanOneAsync(n, await SettingsOf(n.Recipient), now, ct)) planned++;

        var waiting = await notifications.NotificationsInMailStateAsync(NotificationMailStates.Digest, DigestBatch, ct);
        foreach (var group in waiting.GroupBy(n => n.Recipient, StringComparer.Ordinal))
            if (await DigestAsync(group.Key, group.ToList(), await SettingsOf(group.Key), now, ct)) planned++;
        return planned;
    }

    private async Task<bool> PlanOneAsync(StoredNotification n, MailSettings settings, DateTimeOffset now, CancellationToken ct)
    {
        if (now - n.Created > options.Value.MaxAge)
            return await notifications.SetMailStateAsync([n.Id], MailStates.New, NotificationMailStates.TooOld, ct) > 0;

        // The day a direct mail would go out on (after quiet hours): its count decides against the maximum.
        var day = DutchTime.Today(MailPlan.OutsideQuietHours(settings.Rhythm, now));
        var count = await deliveries.CountMailDeliveriesAsync(n.Recipient, MailDeliveryKinds.Direct, DayStart(day), DayStart(day.AddDays(1)), ct);
        var decision = MailPlan.Decide(settings.ChoiceFor(n.Kind), settings.Rhythm, now, _ => count);
        switch (decision.Route)
        {
            case MailRoute.None:
                return await notifications.SetMailStateAsync([n.Id], MailStates.New, NotificationMailStates.Off, ct) > 0;
            case MailRoute.Digest:
                return await notifications.SetMailStateAsync([n.Id], MailStates.New, NotificationMailStates.Digest, ct) > 0;
            default:
                var id = await deliveries.AddMailDeliveryAsync(
                    new NewMailDelivery($"direct:{n.Id}", n.Recipient, MailDeliveryKinds.Direct, [n.Id], decision.SendAt!.Value, now),
                    MailStates.New, NotificationMailStates.Direct, ct);
                return id is not null;
        }
    }

    /// <summary>The person's digest of the day that is due, with what waited from before its moment; never an empty one.</summary>
    private async Task<bool> DigestAsync(string recipient, List<StoredNotification> waiting, MailSettings settings, DateTimeOffset now, CancellationToken ct)
    {
        var (day, moment) = MailPlan.DueDigest(settings.Rhythm, now);
        var ids = waiting.Where(n => n.Created < moment).Select(n => n.Id).ToList();
        if (ids.Count == 0) return false;
        var key = $"digest:{recipient}:{day:yyyy-MM-dd}";
        // Made already today (what came in since waits for tomorrow's).
        if (await deliveries.MailDeliveryExistsAsync(key, ct)) return false;
        var id = await deliveries.AddMailDeliveryAsync(new NewMailDelivery(key, recipient, MailDeliveryKinds.Digest, ids, moment, now),
            NotificationMailStates.Digest, NotificationMailStates.InDigest, ct);
        if (id is not null) log.LogInformation("Mail: digest {Delivery} of {Count} notifications planned", id, ids.Count);
        return id is not null;
    }

    private static DateTimeOffset DayStart(DateOnly day) => DutchTime.FromWallClock(day.ToDateTime(TimeOnly.MinValue), DutchTime.Amsterdam);
}
