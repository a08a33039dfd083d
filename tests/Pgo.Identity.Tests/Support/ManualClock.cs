namespace Pgo.Identity.Tests.Support;

/// <summary>A clock the test moves forward, to see what happens when tokens get old.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset now = start;

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}
