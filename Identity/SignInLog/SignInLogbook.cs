using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Pgo.Identity.Accounts;
using Pgo.Identity.Data;

namespace Pgo.Identity.SignInLog;

/// <summary>
/// Writes and reads the sign-in log of an account. Every sign-in, failure, lockout, two-factor change and
/// password reset goes through <see cref="RecordAsync"/>, with the caller's address and browser.
/// </summary>
public sealed class SignInLogbook(IdentityDb db, IHttpContextAccessor http, TimeProvider clock)
{
    public const int Shown = 20;
    private const int UserAgentLength = 300;

    public async Task RecordAsync(PgoUser user, SignInEventKind kind, string? detail = null)
    {
        var request = http.HttpContext;
        var agent = request?.Request.Headers.UserAgent.ToString();
        db.SignInEvents.Add(new SignInEvent
        {
            UserId = user.Id,
            At = clock.GetUtcNow().UtcDateTime,
            Kind = kind,
            Succeeded = kind is not (SignInEventKind.SignInFailed or SignInEventKind.LockedOut or SignInEventKind.TwoFactorFailed),
            IpAddress = request?.Connection.RemoteIpAddress?.ToString(),
            UserAgent = string.IsNullOrEmpty(agent) ? null : agent[..Math.Min(agent.Length, UserAgentLength)],
            Detail = detail,
        });
        await db.SaveChangesAsync();
    }

    /// <summary>The newest events first.</summary>
    public Task<List<SignInEvent>> RecentAsync(string userId, int count = Shown) =>
        db.SignInEvents.Where(e => e.UserId == userId).OrderByDescending(e => e.Id).Take(count).ToListAsync();

    /// <summary>What happened, in the holder's words.</summary>
    public static string Describe(SignInEventKind kind, IStringLocalizer<Texts> text) => kind switch
    {
        SignInEventKind.SignedIn => text["Aangemeld"],
        SignInEventKind.SignInFailed => text["Aanmelden mislukt: verkeerd wachtwoord"],
        SignInEventKind.LockedOut => text["Account tijdelijk geblokkeerd na te veel pogingen"],
        SignInEventKind.TwoFactorFailed => text["Aanmelden mislukt: verkeerde code"],
        SignInEventKind.RecoveryCodeUsed => text["Herstelcode gebruikt"],
        SignInEventKind.TwoFactorEnabled => text["Tweestapsverificatie aangezet"],
        SignInEventKind.TwoFactorDisabled => text["Tweestapsverificatie uitgezet"],
        SignInEventKind.RecoveryCodesRenewed => text["Nieuwe herstelcodes gemaakt"],
        SignInEventKind.PasswordResetRequested => text["Link voor een nieuw wachtwoord aangevraagd"],
        SignInEventKind.PasswordReset => text["Nieuw wachtwoord ingesteld"],
        SignInEventKind.EmailConfirmed => text["E-mailadres bevestigd"],
        SignInEventKind.ExternalLoginLinked => text["Werkaccount gekoppeld"],
        SignInEventKind.AppRevoked => text["Toegang van een app ingetrokken"],
        SignInEventKind.InvitationAccepted => text["Uitnodiging aangenomen"],
        _ => kind.ToString(),
    };
}
