namespace Pgo.Fhir.Storage;

/// <summary>
/// What people are told (issue 17), stored beside the change outbox it follows. A notification never holds content:
/// its kind, the dossier, a reference to the item and who caused it. Whoever adds one has decided already, with the
/// recipient's access, that they may know of it (Api/Notifications).
/// </summary>
public interface INotificationStore
{
    /// <summary>Stores <paramref name="notification"/>; null when this person already has one with the same delivery key
    /// (several Api instances, a retried batch or a second sweep then deliver it once).</summary>
    Task<long?> AddNotificationAsync(NewNotification notification, CancellationToken ct = default);

    /// <summary>A person's notifications, newest first: those with an id below <paramref name="before"/> when given.</summary>
    Task<IReadOnlyList<StoredNotification>> ListNotificationsAsync(string recipient, bool unreadOnly, long? before, int count, CancellationToken ct = default);

    /// <summary>A person's unread notifications counted per dossier, section, item and kind.</summary>
    Task<IReadOnlyList<UnreadCount>> UnreadNotificationsAsync(string recipient, CancellationToken ct = default);

    /// <summary>Marks as read what <paramref name="which"/> selects of this person's (never another's) notifications.</summary>
    Task<int> MarkNotificationsReadAsync(string recipient, ReadSelection which, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>Notifications by id (any recipient): for the mail sender.</summary>
    Task<IReadOnlyList<StoredNotification>> NotificationsByIdAsync(IReadOnlyCollection<long> ids, CancellationToken ct = default);

    /// <summary>Notifications whose mail state is <paramref name="mailState"/>, oldest first.</summary>
    Task<IReadOnlyList<StoredNotification>> NotificationsInMailStateAsync(string mailState, int max, CancellationToken ct = default);

    /// <summary>Moves notifications from mail state <paramref name="from"/> to <paramref name="to"/>; returns those it moved
    /// (a row another instance moved first is not counted: the move is the claim).</summary>
    Task<int> SetMailStateAsync(IReadOnlyCollection<long> ids, string from, string to, CancellationToken ct = default);

    /// <summary>How far <paramref name="consumer"/> has handled its source; null before its first run.</summary>
    Task<long?> NotificationCursorAsync(string consumer, CancellationToken ct = default);

    /// <summary>Moves the consumer's cursor to <paramref name="pos"/>, never back (two instances may both advance it).</summary>
    Task AdvanceNotificationCursorAsync(string consumer, long pos, CancellationToken ct = default);

    /// <summary>Makes <paramref name="recipient"/> follow <paramref name="item"/> (<c>Goal/x</c>) of a dossier; false when already.</summary>
    Task<bool> FollowAsync(string recipient, string patientId, string item, DateTimeOffset at, CancellationToken ct = default);

    Task<bool> UnfollowAsync(string recipient, string item, CancellationToken ct = default);

    /// <summary>Who follows <paramref name="item"/>.</summary>
    Task<IReadOnlyList<string>> FollowersAsync(string item, CancellationToken ct = default);

    /// <summary>What <paramref name="recipient"/> follows in one dossier.</summary>
    Task<IReadOnlyList<string>> FollowsAsync(string recipient, string patientId, CancellationToken ct = default);
}

/// <summary>A notification to add. <paramref name="Key"/> names the event for this person (<c>outbox:123:bericht</c>,
/// <c>afspraak-morgen:Task/x:2026-12-05</c>, <c>team:17</c>): the same key is delivered once.</summary>
public sealed record NewNotification(
    string Recipient,
    string Key,
    string Kind,
    string? PatientId,
    string? Section,
    string? Item,
    string? Actor,
    string? ActorName,
    DateTimeOffset Created);

public sealed record StoredNotification(
    long Id,
    string Recipient,
    string Kind,
    string? PatientId,
    string? Section,
    string? Item,
    string? Actor,
    string? ActorName,
    DateTimeOffset Created,
    DateTimeOffset? Read,
    string MailState);

public sealed record UnreadCount(string? PatientId, string? Section, string? Item, string Kind, int Count);

/// <summary>Which of a person's notifications to mark read: these ids, the items of one dossier, one whole dossier, or all.</summary>
public sealed record ReadSelection(IReadOnlyCollection<long>? Ids = null, string? PatientId = null, IReadOnlyCollection<string>? Items = null, bool All = false)
{
    public bool IsEmpty => !All && (Ids is null || Ids.Count == 0) && PatientId is null && (Items is null || Items.Count == 0);
}

/// <summary>The mail states of a notification (the mail sender moves them).</summary>
public static class MailStates
{
    /// <summary>Not looked at by the mail sender yet.</summary>
    public const string New = "new";
}
