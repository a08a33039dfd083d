namespace Pgo.Api.Invitations;

/// <summary>
/// <c>Pgo:Invitations</c>: how the Api reads Identity's accepted-invitations feed. The feed runs when
/// <see cref="ClientSecret"/> (of Identity's <c>pgo-system</c> client) is set.
/// </summary>
public sealed class InvitationFeedOptions
{
    public const string Section = "Pgo:Invitations";

    public string ClientId { get; set; } = "pgo-system";
    public string? ClientSecret { get; set; }
    public string Scope { get; set; } = "system/*.rs invitations";

    /// <summary>Seconds between polls when the feed had nothing new (a full page is followed at once).</summary>
    public double PollSeconds { get; set; } = 15;

    public int PageSize { get; set; } = 100;
}
