using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Pgo.Identity.Accounts;

namespace Pgo.Identity.TwoFactor;

/// <summary>
/// The authenticator-app codes (TOTP: SHA-1, 6 digits, 30 s, the current step ±2 like ASP.NET Core Identity's own
/// provider), but each code works once per account: the time steps already accepted are kept with the account
/// (an AspNetUserTokens row) and a code from one of them is refused, so a code seen over someone's shoulder or
/// caught in transit cannot be replayed within its window. Every use goes through here: the sign-in code page,
/// the dev password grant's <c>otp</c>, set-up and switching off.
/// </summary>
public sealed class OneTimeAuthenticatorCodes(TimeProvider clock) : AuthenticatorTokenProvider<PgoUser>
{
    public const string Name = "pgo-authenticator";
    private const string LoginProvider = "[PgoAuthenticator]";
    private const string UsedStepsToken = "UsedSteps";
    private const int Window = 2;

    public override async Task<bool> ValidateAsync(string purpose, string token, UserManager<PgoUser> manager, PgoUser user)
    {
        var key = await manager.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key) || token.Length != 6 || !token.All(char.IsAsciiDigit)) return false;
        var secret = Base32(key);
        if (secret is null) return false;

        var now = clock.GetUtcNow().ToUnixTimeSeconds() / 30;
        var used = (await manager.GetAuthenticationTokenAsync(user, LoginProvider, UsedStepsToken) ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var step) ? step : -1)
            .Where(step => step >= now - Window) // older steps can no longer be accepted anyway
            .ToHashSet();
        for (var step = now - Window; step <= now + Window; step++)
        {
            if (!CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(Code(secret, step)), System.Text.Encoding.ASCII.GetBytes(token)))
                continue;
            if (!used.Add(step)) return false; // accepted before: a replay
            // Saved with the account's concurrency stamp: of two simultaneous uses of one code only one is stored.
            var saved = await manager.SetAuthenticationTokenAsync(user, LoginProvider, UsedStepsToken,
                string.Join(',', used.Order().Select(s => s.ToString(CultureInfo.InvariantCulture))));
            return saved.Succeeded;
        }
        return false;
    }

    /// <summary>RFC 6238 / RFC 4226: HMAC-SHA1 over the time step, dynamic truncation, six digits.</summary>
    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms",
        Justification = "TOTP is HMAC-SHA1 by RFC 6238 and the authenticator apps (otpauth algorithm=SHA1); HMAC-SHA1 is not weakened by SHA-1 collisions.")]
    private static string Code(byte[] secret, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(counter, step);
        Span<byte> hash = stackalloc byte[20];
        HMACSHA1.HashData(secret, counter, hash);
        var offset = hash[^1] & 0x0F;
        var binary = ((hash[offset] & 0x7F) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
    }

    /// <summary>The key as stored (RFC 4648 base32, no padding).</summary>
    private static byte[]? Base32(string key)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>(key.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in key.TrimEnd('=').ToUpperInvariant())
        {
            var value = alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0) return null;
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits < 8) continue;
            bits -= 8;
            bytes.Add((byte)(buffer >> bits));
            buffer &= (1 << bits) - 1;
        }
        return bytes.ToArray();
    }
}
