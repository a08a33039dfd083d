using Microsoft.AspNetCore.Identity;
using Pgo.Identity.Hosting;
using Pgo.Identity.Mail;
using Pgo.Identity.SignInLog;

namespace Pgo.Identity.Accounts;

/// <summary>The mails about an account itself: confirm the e-mail address, set a new password.</summary>
public sealed class AccountMails(UserManager<PgoUser> users, MailSender sender, Mails mails, Links links,
    SignInLogbook log, ILogger<AccountMails> logger)
{
    public async Task SendConfirmationAsync(PgoUser user)
    {
        var code = await users.GenerateEmailConfirmationTokenAsync(user);
        var link = links.To(AccountPaths.ConfirmEmail, new Dictionary<string, string?> { ["user"] = user.Id, ["code"] = code });
        await sender.SendAsync(mails.ConfirmEmail(user, link));
    }

    /// <summary>
    /// Sends a reset link when the address has an account, and does nothing visible otherwise: the page
    /// answers the same either way, and a mail that cannot be sent is logged, not shown.
    /// </summary>
    public async Task SendPasswordResetAsync(string email)
    {
        var user = await users.FindByEmailAsync(email);
        if (user is null) return;
        var code = await users.GeneratePasswordResetTokenAsync(user);
        var link = links.To(AccountPaths.ResetPassword, new Dictionary<string, string?> { ["user"] = user.Id, ["code"] = code });
        try
        {
            await sender.SendAsync(mails.ResetPassword(user, link));
            await log.RecordAsync(user, SignInEventKind.PasswordResetRequested);
        }
        catch (Exception exception) when (exception is IOException or MailKit.ProtocolException or MailKit.CommandException
                                              or System.Net.Sockets.SocketException)
        {
            logger.LogError(exception, "Could not send the password reset mail for account {UserId}", user.Id);
        }
    }
}
