namespace Pgo.Identity.Accounts;

/// <summary>The Dutch addresses of the account pages, for code that links or limits them (keep equal to the @page lines).</summary>
public static class AccountPaths
{
    public const string SignIn = "/aanmelden";
    public const string Register = "/registreren";
    public const string SignOut = "/afmelden";
}
