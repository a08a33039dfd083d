using Microsoft.AspNetCore.SignalR;
using Pgo.Fhir.Storage;
using Pgo.Shared.Contracts;

namespace Pgo.Api.Notifications;

/// <summary>
/// The one way a notification is added: stored once per person and delivery key, then the person's open Portals hear
/// the new unread count at once. It decides no access: whoever calls it (the outbox rules, the schedule, the team-space
/// forwarder) has decided with the recipient's compiled scope that they may know of it.
/// </summary>
public sealed class NotificationSink(INotificationStore store, IHubContext<NotificationHub> hub, ILogger<NotificationSink> log)
{
    /// <summary>The live message on /hubs/notifications: <see cref="UnreadCountMessage"/>.</summary>
    public const string Message = "notifications";

    /// <summary>Stores <paramref name="notification"/>; returns its id, or null when this person had it already.</summary>
    public async Task<long?> AddAsync(NewNotification notification, CancellationToken ct = default)
    {
        var id = await store.AddNotificationAsync(notification, ct);
        if (id is { } added)
            await PushAsync(notification.Recipient, new NotificationView(added, notification.Kind, notification.PatientId, null,
                notification.Section, notification.Item, notification.ActorName, notification.Created, Read: false), ct);
        return id;
    }

    /// <summary>Tells the person's connections their unread count now (after adding, or after marking read elsewhere).</summary>
    public async Task PushAsync(string recipient, NotificationView? latest, CancellationToken ct = default)
    {
        try
        {
            var unread = (await store.UnreadNotificationsAsync(recipient, ct)).Sum(u => u.Count);
            await hub.Clients.Group(NotificationRecipient.Group(recipient)).SendAsync(Message, new UnreadCountMessage(unread, latest), ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // Stored is what counts: the bell reads the count again when the page loads or reconnects.
            log.LogWarning(e, "Notifications: telling {Recipient}'s connections failed", recipient);
        }
    }
}
