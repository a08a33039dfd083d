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

    /// <summary>The mails that failed or were refused (GET /api/admin/mail-deliveries; the Api allows role admin only).
    /// Read field by field: the screen shows what the Api gives and never a mail's content (there is none to show).</summary>
    public async Task<IReadOnlyList<MailDeliveryRow>> MailDeliveriesAsync(CancellationToken cancel = default)
    {
        using var json = JsonDocument.Parse(await api.GetAsync("api/admin/mail-deliveries", cancel));
        var root = json.RootElement;
        var items = root.ValueKind == JsonValueKind.Array ? root
            : root.TryGetProperty("items", out var i) && i.ValueKind == JsonValueKind.Array ? i : default;
        if (items.ValueKind != JsonValueKind.Array) return [];
        return items.EnumerateArray().Select(MailDeliveryRow.From).ToList();
    }
}

/// <summary>One recorded mail delivery as the administrator's screen shows it (the Api's MailDeliveryView: Kind is
/// <c>direct</c> or <c>digest</c>; Recipient the address the mail went to, else the person's key).</summary>
public sealed record MailDeliveryRow(string Id, string? Recipient, string? Kind, string State, int Attempts, DateTimeOffset? Created,
    DateTimeOffset? LastAttempt, DateTimeOffset? NextAttempt, string? LastError)
{
    public static MailDeliveryRow From(JsonElement e) => new(
        Text(e, "id") ?? "",
        Text(e, "address", "email", "recipient"),
        Text(e, "kind"),
        Text(e, "state") ?? "",
        e.TryGetProperty("attempts", out var a) && a.TryGetInt32(out var n) ? n : 0,
        Moment(e, "created", "createdAt"),
        Moment(e, "lastAttempt", "lastAttemptAt", "updated"),
        Moment(e, "nextAttempt", "nextAttemptAt"),
        Text(e, "lastError", "error"));

    private static string? Text(JsonElement e, params string[] names)
    {
        foreach (var name in names)
            if (e.TryGetProperty(name, out var v))
                return v.ValueKind switch
                {
                    JsonValueKind.String => v.GetString(),
                    JsonValueKind.Number => v.GetRawText(),
                    _ => null,
                };
        return null;
    }

    private static DateTimeOffset? Moment(JsonElement e, params string[] names)
    {
        foreach (var name in names)
            if (e.TryGetProperty(name, out var v))
            {
                if (v.ValueKind == JsonValueKind.String && v.TryGetDateTimeOffset(out var at)) return at;
                if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var ms)) return DateTimeOffset.FromUnixTimeMilliseconds(ms);
            }
        return null;
    }
}
