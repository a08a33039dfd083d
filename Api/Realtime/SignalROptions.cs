namespace Pgo.Api.Realtime;

/// <summary>SignalR across instances (docs/settings.md).</summary>
public sealed class SignalROptions
{
    public const string Section = "SignalR";

    /// <summary>StackExchange.Redis connection string: the backplane, the dispatcher's wake-ups and presence across
    /// instances. Without it real time stays in one process.</summary>
    public string? Redis { get; set; }
}
