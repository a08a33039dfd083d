using Microsoft.AspNetCore.Identity;
using Pgo.Identity.Hosting;
using Pgo.Identity.Mail;
using Pgo.Identity.SignInLog;

namespace Pgo.Identity.Accounts;

/// <summary>
/// The mails about an account itself: confirm the e-mail address, set a new password, someone tried to register
/// with an address that has an account. They go through the <see cref="MailQueue"/>, so whether a mail is sent never
/// shows in how (or how fast) the page answers.
/// </summary>
public sealed class AccountMails(UserManager<PgoUser> users, MailQueue queue, Mails mails, Links links, SignInLogbook log)
{
    public async Task SendConfirmationAsync(PgoUser user)
    {
        var code = await users.GenerateEmailConfirmationTokenAsync(user);
        var link = links.To(AccountPaths.ConfirmEmail, new Dictionary<string, string?> { ["user"] = user.Id, ["code"] = code });
        queue.Enqueue(mails.ConfirmEmail(user, link));
    }

    /// <summary>
    /// Sends a reset link when the address has an account, and does nothing visible otherwise: the page
    /// answers the same either way.
    /// </summary>
    public async Task SendPasswordResetAsync(string email)
    {
        var user = await users.FindByEmailAsync(email);
        if (user is null) return;
        var code = await users.GeneratePasswordResetTokenAsync(user);
        var link = links.To(AccountPaths.ResetPassword, new Dictionary<string, string?> { ["user"] = user.Id, ["code"] = code });
        queue.Enqueue(mails.ResetPassword(user, link));
        await log.RecordAsync(user, SignInEventKind.PasswordResetRequested);
    }

    /// <summary>
    /// Someone registered with the address of an existing account: the page answers as for a new one, and the holder
    /// hears of it, with the way to sign in or choose a new password (no reset link itself: they did not ask for one).
    /// </summary>
    public void SendRegistrationAttempt(PgoUser user) =>
        queue.Enqueue(mails.RegistrationAttempt(user, links.To(AccountPaths.SignIn), links.To(AccountPaths.ForgotPassword)));
}
