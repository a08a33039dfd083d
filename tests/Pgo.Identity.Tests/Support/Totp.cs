using OtpNet;

namespace Pgo.Identity.Tests.Support;

/// <summary>What an authenticator app shows for a key (Otp.NET: SHA-1, 6 digits, 30 seconds).</summary>
public static class Totp
{
    public static string Code(string key, DateTime? at = null) =>
        new OtpNet.Totp(Base32Encoding.ToBytes(key.Replace(" ", ""))).ComputeTotp(at ?? DateTime.UtcNow);

    /// <summary>The code of a neighbouring 30-second step, still inside the window the server accepts (±2 steps).
    /// Each code works once per account, so a test that needs a second code in the same half minute takes the next one.</summary>
    public static string Step(string key, int steps) => Code(key, DateTime.UtcNow.AddSeconds(30 * steps));

    /// <summary>Codes the server accepts now, the current one first: for a helper that signs in a shared demo
    /// account whose current code another test may just have used.</summary>
    public static IEnumerable<string> Acceptable(string key) => new[] { 0, 1, -1 }.Select(s => Step(key, s));

    /// <summary>A code from a time window the server no longer accepts.</summary>
    public static string OldCode(string key) => Code(key, DateTime.UtcNow.AddMinutes(-10));
}
