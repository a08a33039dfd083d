using System.Collections.Concurrent;

namespace Pgo.Identity.TwoFactor;

/// <summary>
/// Refused authenticator codes in the Development password grant (<c>pgo-dev</c>, <c>otp</c>): they do not count towards
/// the account lockout, which stays for wrong passwords. Scripts and tests send a code that was already used (each code
/// works once, <see cref="OneTimeAuthenticatorCodes"/>) and would otherwise lock a demo account for 15 minutes. Guessing is
/// bounded here instead: only someone who knows the password gets this far, and after <see cref="MaxPerWindow"/> refused
/// codes for one account no code is checked for the rest of the <see cref="Window"/> (at most 5 guesses a minute
/// against the 5 codes of a million that are valid at any moment).
/// </summary>
public sealed class RefusedCodeLimit(TimeProvider clock)
{
    public const int MaxPerWindow = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (DateTimeOffset Start, int Count)> refused = new();

    public bool IsExhausted(string userId) =>
        refused.TryGetValue(userId, out var window) && clock.GetUtcNow() - window.Start < Window && window.Count >= MaxPerWindow;

    public void Record(string userId)
    {
        var now = clock.GetUtcNow();
        refused.AddOrUpdate(userId, _ => (now, 1), (_, window) => now - window.Start < Window ? (window.Start, window.Count + 1) : (now, 1));
        if (refused.Count > 10_000) // only accounts whose password was right get here; forget the finished windows
            foreach (var (key, window) in refused)
                if (now - window.Start >= Window) refused.TryRemove(key, out _);
    }
}
