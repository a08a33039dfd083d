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
