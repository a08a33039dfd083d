// TEMPORARY (i17 portal): the records of the brief's contract until the core (Shared/Contracts/Notifications.cs) and
// the mail helper's preferences land on main. Removed when main is merged.
namespace Pgo.Shared.Contracts;

public sealed record NotificationView(long Id, string Kind, string? PatientId, string? DossierName, string? Section, string? Item,
    string? ActorName, DateTimeOffset Created, DateTimeOffset? Read);

public sealed record NotificationList(NotificationView[] Items, int Unread);

public sealed record UnreadMark(string? PatientId, string? Section, string? Item, string Kind, int Count);

public sealed record UnreadSummary(int Total, UnreadMark[] Marks);

public sealed record KindPreference(string Kind, string Mail);

public sealed record NotificationPreferences(KindPreference[] Kinds, string QuietFrom, string QuietUntil, int MaxPerDay, string DigestAt);
