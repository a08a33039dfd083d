using OtpNet;

namespace Pgo.Identity.Tests.Support;

/// <summary>What an authenticator app shows for a key (Otp.NET: SHA-1, 6 digits, 30 seconds).</summary>
public static class Totp
{
    public static string Code(string key, DateTime? at = null) =>
        new OtpNet.Totp(Base32Encoding.ToBytes(key.Replace(" ", ""))).ComputeTotp(at ?? DateTime.UtcNow);

    /// <summary>A code from a time window the server no longer accepts.</summary>
    public static string OldCode(string key) => Code(key, DateTime.UtcNow.AddMinutes(-10));
}
