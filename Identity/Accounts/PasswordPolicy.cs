using System.Reflection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace Pgo.Identity.Accounts;

/// <summary>
/// How accounts are protected: length over complexity (NIST SP 800-63B), common passwords refused,
/// lockout after repeated failures. The one place for these numbers.
/// </summary>
public static class PasswordPolicy
{
    public const int MinimumLength = 12;
    public const int MaxFailedAttempts = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    public static void Apply(IdentityOptions options)
    {
        options.Password.RequiredLength = MinimumLength;
        options.Password.RequireDigit = false;
        options.Password.RequireLowercase = false;
        options.Password.RequireUppercase = false;
        options.Password.RequireNonAlphanumeric = false;
        options.Password.RequiredUniqueChars = 1;

        options.Lockout.AllowedForNewUsers = true;
        options.Lockout.MaxFailedAccessAttempts = MaxFailedAttempts;
        options.Lockout.DefaultLockoutTimeSpan = LockoutDuration;

        options.User.RequireUniqueEmail = true;
    }
}

/// <summary>
/// Refuses the passwords every attacker tries first: those in the embedded list
/// (<c>common-passwords.txt</c>), those that only add digits or symbols to one of them
/// ("Wachtwoord2024!"), a single repeated character, and the account's own e-mail address.
/// </summary>
public sealed class CommonPasswordValidator(IStringLocalizer<Texts> text) : IPasswordValidator<PgoUser>
{
    private static readonly Lazy<HashSet<string>> Common = new(Load);

    public Task<IdentityResult> ValidateAsync(UserManager<PgoUser> manager, PgoUser user, string? password) =>
        Task.FromResult(password is not null && IsCommon(password, user)
            ? IdentityResult.Failed(new IdentityError
            {
                Code = "CommonPassword",
                Description = text["Dit wachtwoord wordt te vaak gebruikt en is makkelijk te raden. Kies een ander wachtwoord, bijvoorbeeld een zin van een paar woorden."],
            })
            : IdentityResult.Success);

    public static bool IsCommon(string password, PgoUser? user = null)
    {
        var lowered = password.Trim().ToLowerInvariant();
        if (lowered.Length == 0 || lowered.Distinct().Count() == 1) return true;
        if (user?.Email is { } email && string.Equals(lowered, email, StringComparison.OrdinalIgnoreCase)) return true;
        var stem = lowered.TrimEnd("0123456789!@#$%^&*()-_=+.,?~ ".ToCharArray());
        return Common.Value.Contains(lowered) || (stem.Length > 0 && Common.Value.Contains(stem));
    }

    private static HashSet<string> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Pgo.Identity.common-passwords.txt")
            ?? throw new InvalidOperationException("The embedded list of common passwords is missing.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var entry = line.Trim();
            if (entry.Length > 0 && !entry.StartsWith('#')) set.Add(entry.ToLowerInvariant());
        }
        return set;
    }
}
