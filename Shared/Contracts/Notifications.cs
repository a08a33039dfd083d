namespace Pgo.Shared.Contracts;

/// <summary>One notification in the bell (GET /api/notifications). It names what happened, never its content: the
/// Portal shows the item itself only when the person opens it, under their access then.</summary>
/// <param name="Kind">A code of <c>Pgo.Shared.Codes.NotificationKinds</c>.</param>
/// <param name="DossierName">The client's name (null for the team space).</param>
/// <param name="Section">The dossier section of the item (e.g. <c>berichten</c>), for its link.</param>
/// <param name="Item">The item: <c>Task/abc</c>, <c>Communication/x</c>, or a team link <c>team/1/post/5</c>.</param>
/// <param name="ActorName">Who caused it, by name; null when the platform did (a date passed).</param>
public sealed record NotificationView(
    long Id,
    string Kind,
    string? PatientId,
    string? DossierName,
    string? Section,
    string? Item,
    string? ActorName,
    DateTimeOffset Created,
    bool Read);

/// <summary>A page of the bell's list and the person's unread count.</summary>
public sealed record NotificationList(IReadOnlyList<NotificationView> Items, int Unread);

/// <summary>Unread notifications counted per dossier, section, item and kind (GET /api/notifications/unread): the marks
/// on Berichten, on a conversation, on a team channel.</summary>
public sealed record UnreadSummary(int Total, IReadOnlyList<UnreadMark> Marks);

public sealed record UnreadMark(string? PatientId, string? Section, string? Item, string Kind, int Count);

/// <summary>What to mark read (POST /api/notifications/read): these ids, items of one dossier (or a whole dossier), or all.</summary>
public sealed record MarkRead(IReadOnlyList<long>? Ids = null, string? PatientId = null, IReadOnlyList<string>? Items = null, bool All = false);

/// <summary>The answer to <see cref="MarkRead"/>, and the live message <c>notifications</c> on /hubs/notifications.</summary>
public sealed record UnreadCountMessage(int Unread, NotificationView? Latest = null);

// i17 mail

/// <summary>A person's mail preferences (GET/PUT /api/notifications/preferences): per kind <c>direct</c>, <c>dagelijks</c>
/// or <c>uit</c>; quiet hours (a direct mail waits until they end; equal times: none), the maximum of direct mails a day
/// (more go to the digest) and the time of the daily digest, all "HH:mm" on the Dutch clock. A PUT may leave kinds out:
/// they keep their default.</summary>
public sealed record NotificationPreferences(
    IReadOnlyList<KindPreference> Kinds,
    string QuietFrom = "21:00",
    string QuietUntil = "08:00",
    int MaxPerDay = 6,
    string DigestAt = "08:00");

/// <param name="Kind">A code of <c>Pgo.Shared.Codes.NotificationKinds</c>.</param>
/// <param name="Mail"><c>direct</c>, <c>dagelijks</c> or <c>uit</c>.</param>
public sealed record KindPreference(string Kind, string Mail);

/// <summary>One notification mail as an administrator sees it (GET /api/admin/mail-deliveries): never its content.</summary>
/// <param name="Recipient">The person's key (<c>Person/x</c>).</param>
/// <param name="Address">The address of the last attempt (null before one).</param>
/// <param name="Kind"><c>direct</c> or <c>digest</c>.</param>
/// <param name="State"><c>pending</c>, <c>sent</c>, <c>failed</c> (gave up after retries), <c>refused</c> (the mail server
/// refused it for good) or <c>skipped</c> (no confirmed address, or nothing the person may still know of).</param>
/// <param name="LastError">The mail server's reply or the reason it was skipped; never mail content.</param>
public sealed record MailDeliveryView(
    long Id,
    string Recipient,
    string? Address,
    string Kind,
    string State,
    int Attempts,
    int Notifications,
    DateTimeOffset Created,
    DateTimeOffset? LastAttempt,
    DateTimeOffset NextAttempt,
    string? LastError);

public sealed record MailDeliveryList(IReadOnlyList<MailDeliveryView> Items);
