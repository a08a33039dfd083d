namespace Pgo.Identity.Accounts;

/// <summary>The Dutch addresses of the account pages, for code that links or limits them (keep equal to the @page lines).</summary>
public static class AccountPaths
{
    public const string SignIn = "/aanmelden";
    public const string SignInCode = "/aanmelden/code";
    public const string SignInRecoveryCode = "/aanmelden/herstelcode";
    public const string SignInExternal = "/aanmelden/extern";
    public const string Register = "/registreren";
    public const string SignOut = "/afmelden";
    public const string Account = "/account";
    public const string TwoFactorSetup = "/account/tweestapsverificatie";
    public const string ConfirmEmail = "/account/bevestigen";
    public const string ForgotPassword = "/wachtwoord-vergeten";
    public const string ResetPassword = "/wachtwoord-herstellen";
    public const string Language = "/taal";
    public const string Invitation = "/uitnodiging";
    public const string PickPatient = "/connect/patient";

    /// <summary>Form posts that guess or try secrets: rate-limited per address (RateLimiting/RateLimits.cs).</summary>
    public static readonly IReadOnlyList<string> Guessable =
        [SignIn, SignInCode, SignInRecoveryCode, Register, ForgotPassword, ResetPassword, Invitation];
}
