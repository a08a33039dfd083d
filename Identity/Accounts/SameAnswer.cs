using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace Pgo.Identity.Accounts;

/// <summary>
/// Whether an address has an account, or an account is locked, must not show in an answer (issue 13, W8): not in
/// the text, not in the status, and as far as we can help it not in the time it takes. One message for every failed
/// password sign-in, and the password hash computed even when there is no account (or it is locked) to check it against.
/// </summary>
public static class SameAnswer
{
    private static readonly PgoUser Nobody = new();
    private static string? _nobodysHash;

    /// <summary>The page's message for an unknown address, a wrong password and a locked account alike.</summary>
    public static string WrongCredentials(IStringLocalizer<Texts> text) =>
        text["Het e-mailadres of het wachtwoord klopt niet. Na {0} verkeerde pogingen kunt u {1} minuten niet aanmelden.",
            PasswordPolicy.MaxFailedAttempts, (int)PasswordPolicy.LockoutDuration.TotalMinutes];

    /// <summary>The token endpoint's error_description for the same cases (ASCII, as OAuth requires; Dutch, then English).</summary>
    public const string WrongCredentialsDescription =
        "Het e-mailadres of het wachtwoord klopt niet, of het account is tijdelijk geblokkeerd. " +
        "The e-mail address or password is wrong, or the account is temporarily locked.";

    /// <summary>Checks the password against a hash of no one's: as slow as checking a real account's.</summary>
    public static void HashAnyway(UserManager<PgoUser> users, string? password)
    {
        var hash = _nobodysHash ??= users.PasswordHasher.HashPassword(Nobody, Guid.NewGuid().ToString("N"));
        users.PasswordHasher.VerifyHashedPassword(Nobody, hash, password ?? "");
    }
}
