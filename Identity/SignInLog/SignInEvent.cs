namespace Pgo.Identity.SignInLog;

/// <summary>
/// One line of an account's sign-in log ("recente aanmeldingen"): what happened, when, from where.
/// Kept for the account holder to see; never shown to anyone else.
/// </summary>
public sealed class SignInEvent
{
    public long Id { get; set; }
    public string UserId { get; set; } = "";

    /// <summary>UTC.</summary>
    public DateTime At { get; set; }

    public SignInEventKind Kind { get; set; }

    /// <summary>False for what the holder should look at twice: a failed attempt, a lockout.</summary>
    public bool Succeeded { get; set; }

    public string? IpAddress { get; set; }
    public string? UserAgent { get; set; }

    /// <summary>How (password, authenticator code, recovery code, Entra ID) or which app.</summary>
    public string? Detail { get; set; }
}

public enum SignInEventKind
{
    SignedIn,
    SignInFailed,
    LockedOut,
    TwoFactorFailed,
    RecoveryCodeUsed,
    TwoFactorEnabled,
    TwoFactorDisabled,
    RecoveryCodesRenewed,
    PasswordResetRequested,
    PasswordReset,
    EmailConfirmed,
    ExternalLoginLinked,
    AppRevoked,
    InvitationAccepted,
}
