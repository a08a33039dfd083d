using System.Globalization;
using System.Text.Json;
using Pgo.Shared.Contracts;

namespace Pgo.Portal.Api;

/// <summary>Notifications (Api/Notifications/NotificationsApi.cs): the person's list, the unread marks, marking read, the
/// mail preferences; and for an administrator the mails that failed or were refused.</summary>
public sealed class NotificationClient(PgoApi api)
{
    /// <summary>The person's notifications, newest first (<paramref name="before"/>: the id to page on from).</summary>
    public Task<NotificationList> ListAsync(bool unreadOnly = false, long? before = null, int count = 20, CancellationToken cancel = default)
    {
        var query = $"api/notifications?unread={(unreadOnly ? "true" : "false")}&count={count.ToString(CultureInfo.InvariantCulture)}";
        if (before is { } b) query += $"&before={b.ToString(CultureInfo.InvariantCulture)}";
        return api.GetJsonAsync<NotificationList>(query, cancel);
    }

    /// <summary>How many are unread, per dossier, section, item and kind (the marks on Berichten and on conversations).</summary>
    public Task<UnreadSummary> UnreadAsync(CancellationToken cancel = default) =>
        api.GetJsonAsync<UnreadSummary>("api/notifications/unread", cancel);

    /// <summary>Marks these notifications read; returns how many are still unread.</summary>
    public Task<int> MarkReadAsync(IReadOnlyCollection<long> ids, CancellationToken cancel = default) =>
        ReadAsync(new MarkRead(Ids: ids.ToList()), cancel);

    /// <summary>Marks read what was about these items of one dossier (the messages of a conversation just opened).</summary>
    public Task<int> MarkItemsReadAsync(string patientId, IReadOnlyCollection<string> items, CancellationToken cancel = default) =>
        ReadAsync(new MarkRead(PatientId: patientId, Items: items.ToList()), cancel);

    /// <summary>"Alles gelezen".</summary>
    public Task<int> MarkAllReadAsync(CancellationToken cancel = default) => ReadAsync(new MarkRead(All: true), cancel);

    private async Task<int> ReadAsync(MarkRead body, CancellationToken cancel) =>
        (await api.SendJsonAsync<UnreadCountMessage>(HttpMethod.Post, "api/notifications/read", body, cancel)).Unread;

    /// <summary>Per kind direct / dagelijks / uit, quiet hours, the maximum of direct mails per day, the digest's hour.</summary>
    public Task<NotificationPreferences> PreferencesAsync(CancellationToken cancel = default) =>
        api.GetJsonAsync<NotificationPreferences>("api/notifications/preferences", cancel);

    public Task<NotificationPreferences> SavePreferencesAsync(NotificationPreferences preferences, CancellationToken cancel = default) =>
        api.SendJsonAsync<NotificationPreferences>(HttpMethod.Put, "api/notifications/preferences", preferences, cancel);

    /// <summary>The goals and plans of one dossier the person follows (GET /api/dossiers/{id}/follows).</summary>
    public async Task<IReadOnlySet<string>> FollowsAsync(string patientId, CancellationToken cancel = default) =>
        (await api.GetJsonAsync<FollowedItems>($"api/dossiers/{Uri.EscapeDataString(patientId)}/follows", cancel)).Items.ToHashSet(StringComparer.Ordinal);

    /// <summary>Follows (or stops following) a goal or plan (<c>Goal/x</c>): a notification at each change. The Api reads the
    /// item as the person first, so only what they may read can be followed.</summary>
    public async Task<bool> SetFollowAsync(string patientId, string item, bool follow, CancellationToken cancel = default) =>
        (await api.SendJsonAsync<FollowState>(follow ? HttpMethod.Put : HttpMethod.Delete,
            $"api/dossiers/{Uri.EscapeDataString(patientId)}/follow?item={Uri.EscapeDataString(item)}", new { }, cancel)).Following;

    /// <summary>The mails that failed or were refused (GET /api/admin/mail-deliveries; the Api allows role admin only).
    /// A delivery record holds no mail content: who, what kind, when, how often tried, the mail server's answer.</summary>
    public async Task<IReadOnlyList<MailDeliveryView>> MailDeliveriesAsync(CancellationToken cancel = default) =>
        (await api.GetJsonAsync<MailDeliveryList>("api/admin/mail-deliveries", cancel)).Items;
}
