namespace Pgo.Api.Realtime;

/// <summary>Configuration section <c>Realtime</c>; the backplane is <c>SignalR:Redis</c> (a StackExchange.Redis connection string).</summary>
public sealed class RealtimeOptions
{
    public const string Section = "Realtime";

    /// <summary>How long outbox rows are kept: a client that reconnects within this window gets everything it missed.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often the dispatcher looks for new outbox rows when nothing woke it (changes written by other instances without Redis).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often every joined connection's access is compiled again, so that a grant whose period ends stops the feed.</summary>
    public TimeSpan RecheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most events a reconnecting client is sent; beyond it the reply says the replay is incomplete (reload).</summary>
    public int ReplayLimit { get; set; } = 5000;

    /// <summary>How often a rest-hook Subscription's endpoint is tried for one notification before the Subscription gets status error.</summary>
    public int SubscriptionAttempts { get; set; } = 3;

    /// <summary>The wait before the second attempt; it doubles with every further attempt.</summary>
    public TimeSpan SubscriptionRetryDelay { get; set; } = TimeSpan.FromSeconds(2);
}
