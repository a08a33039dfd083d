using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace Pgo.Identity.Accounts;

/// <summary>
/// The secret in a link we mail (confirm an e-mail address, set a new password). Like ASP.NET Core Identity's
/// own data-protection tokens, but on the injected <see cref="TimeProvider"/> (so expiry can be tested) and
/// bound to the address it was sent to. A password-reset link is also bound to the security stamp, which the
/// reset changes: the link works once.
/// </summary>
public sealed class LinkTokens(IDataProtectionProvider protection, TimeProvider clock) : IUserTwoFactorTokenProvider<PgoUser>
{
    public const string Name = "pgo-link";

    /// <summary>How long a link in a mail works.</summary>
    public static TimeSpan LifetimeOf(string purpose) =>
        purpose == UserManager<PgoUser>.ResetPasswordTokenPurpose ? TimeSpan.FromHours(1) : TimeSpan.FromDays(3);

    public async Task<string> GenerateAsync(string purpose, UserManager<PgoUser> manager, PgoUser user)
    {
        using var buffer = new MemoryStream();
        await using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(clock.GetUtcNow().UtcTicks);
            writer.Write(user.Id);
            writer.Write(user.Email ?? "");
            writer.Write(await StampAsync(purpose, manager, user));
        }
        return WebEncoders.Base64UrlEncode(Protector(purpose).Protect(buffer.ToArray()));
    }

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<PgoUser> manager, PgoUser user)
    {
        try
        {
            var bytes = Protector(purpose).Unprotect(WebEncoders.Base64UrlDecode(token));
            using var reader = new BinaryReader(new MemoryStream(bytes));
            var created = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
            var userId = reader.ReadString();
            var email = reader.ReadString();
            var stamp = reader.ReadString();
            var age = clock.GetUtcNow() - created;
            return age >= TimeSpan.Zero && age <= LifetimeOf(purpose)
                && userId == user.Id
                && string.Equals(email, user.Email ?? "", StringComparison.OrdinalIgnoreCase)
                && stamp == await StampAsync(purpose, manager, user);
        }
        catch (Exception exception) when (exception is FormatException or System.Security.Cryptography.CryptographicException or EndOfStreamException or IOException)
        {
            return false;
        }
    }

    public Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<PgoUser> manager, PgoUser user) => Task.FromResult(false);

    private IDataProtector Protector(string purpose) => protection.CreateProtector("Pgo.Identity.LinkTokens", purpose);

    private static async Task<string> StampAsync(string purpose, UserManager<PgoUser> manager, PgoUser user) =>
        purpose == UserManager<PgoUser>.ResetPasswordTokenPurpose ? await manager.GetSecurityStampAsync(user) : "";
}
