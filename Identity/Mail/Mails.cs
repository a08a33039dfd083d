using Microsoft.Extensions.Localization;
using Pgo.Identity.Accounts;
using Pgo.Identity.Invitations;

namespace Pgo.Identity.Mail;

/// <summary>The text of every mail Identity sends, in the recipient's language (Dutch unless the account says English).</summary>
public sealed class Mails(IStringLocalizer<Texts> text)
{
    public OutgoingMail ConfirmEmail(PgoUser user, string link) => Languages.In(user.Language, () => new OutgoingMail(
        user.Email!,
        text["Bevestig uw e-mailadres voor PGO"],
        Lines(
            text["Beste {0},", user.DisplayName],
            "",
            text["U heeft een account gemaakt bij PGO, het gedeelde dossier van uw gezin. Bevestig uw e-mailadres met deze link:"],
            link,
            "",
            text["De link werkt {0} dagen. Heeft u geen account gemaakt? Dan kunt u deze e-mail negeren.", (int)LinkTokens.LifetimeOf("EmailConfirmation").TotalDays])));

    public OutgoingMail ResetPassword(PgoUser user, string link) => Languages.In(user.Language, () => new OutgoingMail(
        user.Email!,
        text["Een nieuw wachtwoord voor PGO"],
        Lines(
            text["Beste {0},", user.DisplayName],
            "",
            text["Iemand heeft gevraagd om een nieuw wachtwoord voor uw PGO-account. Was u dat? Kies dan een nieuw wachtwoord met deze link:"],
            link,
            "",
            text["De link werkt één keer en {0} minuten lang. Heeft u niets aangevraagd? Dan hoeft u niets te doen: uw wachtwoord blijft zoals het is.",
                (int)LinkTokens.LifetimeOf(Microsoft.AspNetCore.Identity.UserManager<PgoUser>.ResetPasswordTokenPurpose).TotalMinutes])));

    public OutgoingMail RegistrationAttempt(PgoUser user, string signInLink, string forgotPasswordLink) => Languages.In(user.Language, () => new OutgoingMail(
        user.Email!,
        text["Iemand wilde een PGO-account maken met uw e-mailadres"],
        Lines(
            text["Beste {0},", user.DisplayName],
            "",
            text["Iemand heeft geprobeerd een nieuw account te maken bij PGO met uw e-mailadres. U heeft al een account, dus er is geen nieuw account gemaakt."],
            "",
            text["Was u dat? Meld u dan aan met uw bestaande account:"],
            signInLink,
            "",
            text["Weet u uw wachtwoord niet meer? Vraag hier een nieuw wachtwoord aan:"],
            forgotPasswordLink,
            "",
            text["Was u het niet? Dan hoeft u niets te doen: uw account blijft zoals het is."])));

    /// <summary>An invitation goes to someone who may not have an account yet: always Dutch.</summary>
    // The invitee has no account, so no language yet: the invitation is in Dutch, its date too.
    public OutgoingMail Invitation(Invitation invitation, string link) => Languages.In(Languages.Dutch, () => new OutgoingMail(
        invitation.Email,
        text["{0} nodigt u uit in het dossier van {1}", invitation.InvitedByName, invitation.PatientLabel],
        Lines(
            text["Goedendag,"],
            "",
            // Read-only access is "meekijken": the mail must not promise working along to someone who will only read.
            invitation.Access == InvitationAccess.Write
                ? text["{0} nodigt u uit om mee te kijken en mee te werken in het dossier van {1} op PGO, als {2}.",
                    invitation.InvitedByName, invitation.PatientLabel, text[InvitationTexts.RoleName(invitation.Role)]]
                : text["{0} nodigt u uit om mee te kijken in het dossier van {1} op PGO, als {2}.",
                    invitation.InvitedByName, invitation.PatientLabel, text[InvitationTexts.RoleName(invitation.Role)]],
            WhatYouGet(invitation),
            invitation.Message is { Length: > 0 } message ? "\n" + text["Bericht van {0}:", invitation.InvitedByName] + "\n" + message : null,
            "",
            text["Bekijk de uitnodiging en neem haar aan met deze link:"],
            link,
            "",
            text["Er wordt niets gedeeld voordat u de uitnodiging aanneemt. De link werkt één keer, tot {0}.",
                invitation.ExpiresAt.ToString("d MMMM yyyy", Languages.Culture(Languages.Dutch))],
            text["Kent u de afzender niet? Dan kunt u deze e-mail negeren."])));

    /// <summary>"U kunt meekijken in: Doelen, Logboek (alleen lezen), tot en met 1 juni 2027.": what accepting gives.</summary>
    private string WhatYouGet(Invitation invitation)
    {
        // A second regiehouder gets the whole dossier, the managing of access included (issue 18).
        if (!InvitationRoles.NamesSections(invitation.Role))
            return text["U krijgt de regie over het hele dossier, net als {0}: u ziet alles en beslist mee wie toegang heeft.", invitation.InvitedByName];
        var sections = string.Join(", ", invitation.SectionList.Select(s => text[InvitationTexts.Sections.GetValueOrDefault(s, s)].Value));
        var what = invitation.Access == InvitationAccess.Write
            ? text["U kunt meekijken en meeschrijven in: {0}", sections].Value
            : text["U kunt meekijken in: {0} (alleen lezen)", sections].Value;
        return invitation.Until is { } until
            ? text["{0}, tot en met {1}.", what, until.ToString("d MMMM yyyy", Languages.Culture(Languages.Dutch))]
            : text["{0}.", what];
    }

    private static string Lines(params string?[] lines) => string.Join("\n", lines.Where(line => line is not null));
}
