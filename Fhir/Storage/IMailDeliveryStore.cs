namespace Pgo.Fhir.Storage;

/// <summary>
/// The notification mail (issue 17, migration 7): one row per mail to send (a notification's own mail, or a person's
/// daily digest), its delivery attempts and outcome, and each person's mail preferences. A row never holds the mail
/// itself, only which notifications it is about (docs/adr/0008-what-a-mail-may-say.md). Several Api instances share it:
/// a mail is planned once (its delivery key is unique) and sent by the one instance that claimed it.
/// </summary>
public interface IMailDeliveryStore
{
    /// <summary>
    /// In one transaction: adds the delivery (nothing when its key exists) and moves its notifications from mail state
    /// <paramref name="fromMailState"/> to <paramref name="toMailState"/>. Null, with nothing changed, when the key was
    /// there or another instance moved any of the notifications first: the move is the claim.
    /// </summary>
    Task<long?> AddMailDeliveryAsync(NewMailDelivery delivery, string fromMailState, string toMailState, CancellationToken ct = default);

    /// <summary>How many mails of <paramref name="kind"/> are planned for a person in [from, to) (any state but skipped).</summary>
    Task<int> CountMailDeliveriesAsync(string recipient, string kind, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default);

    /// <summary>Whether a delivery with this key exists (a digest already made for a day).</summary>
    Task<bool> MailDeliveryExistsAsync(string key, CancellationToken ct = default);

    /// <summary>
    /// Claims up to <paramref name="max"/> pending deliveries that are due at <paramref name="now"/> and not held by
    /// another instance, for <paramref name="claimer"/> until <paramref name="until"/>; returns them.
    /// </summary>
    Task<IReadOnlyList<MailDelivery>> ClaimMailDeliveriesAsync(string claimer, DateTimeOffset now, DateTimeOffset until, int max, CancellationToken ct = default);

    /// <summary>Records an attempt of a delivery this claimer holds; false when it no longer holds it.</summary>
    Task<bool> FinishMailDeliveryAsync(long id, string claimer, MailAttempt attempt, CancellationToken ct = default);

    /// <summary>Deliveries in any of <paramref name="states"/>, newest first (ids below <paramref name="before"/>).</summary>
    Task<IReadOnlyList<MailDelivery>> ListMailDeliveriesAsync(IReadOnlyCollection<string> states, long? before, int count, CancellationToken ct = default);

    /// <summary>A person's stored mail preferences (JSON), or null for the defaults.</summary>
    Task<string?> MailPreferencesAsync(string recipient, CancellationToken ct = default);

    Task SaveMailPreferencesAsync(string recipient, string json, DateTimeOffset at, CancellationToken ct = default);
}

/// <summary>A mail to plan. <paramref name="Key"/> is unique (<c>direct:&lt;notification id&gt;</c>, <c>digest:&lt;person&gt;:&lt;day&gt;</c>);
/// <paramref name="Planned"/> is when it is to go (the first attempt).</summary>
public sealed record NewMailDelivery(
    string Key, string Recipient, string Kind, IReadOnlyList<long> NotificationIds, DateTimeOffset Planned, DateTimeOffset Created);

public sealed record MailDelivery(
    long Id,
    string Key,
    string Recipient,
    string Kind,
    IReadOnlyList<long> NotificationIds,
    string State,
    int Attempts,
    DateTimeOffset Planned,
    DateTimeOffset NextAttempt,
    DateTimeOffset Created,
    DateTimeOffset? LastAttempt,
    DateTimeOffset? Sent,
    string? Address,
    string? LastError);

/// <summary>The outcome of one attempt: the new state; when to try again (pending); the address used; the error (no content).</summary>
public sealed record MailAttempt(string State, DateTimeOffset At, DateTimeOffset? NextAttempt, string? Address, string? Error);

/// <summary>The states of a mail delivery.</summary>
public static class MailDeliveryStates
{
    /// <summary>To be sent at its next attempt.</summary>
    public const string Pending = "pending";

    public const string Sent = "sent";

    /// <summary>Given up after the last retry (the server or the address could not be reached).</summary>
    public const string Failed = "failed";

    /// <summary>The mail server refused it for good (a 5xx reply: unknown mailbox, refused sender or message).</summary>
    public const string Refused = "refused";

    /// <summary>Nothing was sent on purpose: no confirmed address, or nothing left that the person may still know of.</summary>
    public const string Skipped = "skipped";

    public static readonly IReadOnlyList<string> All = [Pending, Sent, Failed, Refused, Skipped];
}

/// <summary>The kinds of mail.</summary>
public static class MailDeliveryKinds
{
    public const string Direct = "direct";
    public const string Digest = "digest";
}

/// <summary>The mail states the mail planner moves a notification through (from <see cref="MailStates.New"/>).</summary>
public static class NotificationMailStates
{
    /// <summary>The person wants no mail of this kind.</summary>
    public const string Off = "off";

    /// <summary>Waiting for the person's next daily digest.</summary>
    public const string Digest = "digest";

    /// <summary>A mail of its own is planned (a <see cref="MailDelivery"/> of kind direct).</summary>
    public const string Direct = "direct";

    /// <summary>In a digest delivery.</summary>
    public const string InDigest = "in-digest";

    /// <summary>Too old when the mail first saw it (mail was switched on later): not mailed.</summary>
    public const string TooOld = "too-old";
}
