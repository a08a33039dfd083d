using System.Globalization;
using System.Text;

namespace Pgo.Api.Notifications.Mail;

/// <summary>
/// What a mail may be made of (docs/adr/0008-what-a-mail-may-say.md): the notification's group, the client's first name
/// (which family), and nothing else of it. No actor, no kind detail, no text, title or id: the composer is never given
/// them, so it cannot leak them.
/// </summary>
/// <param name="Group">The kind's group: <c>dossier</c>, <c>toegang</c> or <c>team</c>.</param>
/// <param name="ClientFirstName">The client's first given name, or null (then the mail names no family).</param>
public sealed record MailItem(string Group, string? ClientFirstName);

/// <summary>The recipient: their own display name (for the greeting) and language (<c>nl</c>/<c>en</c>).</summary>
public sealed record MailRecipient(string Name, string Language);

/// <summary>A composed mail: subject and plain-text body.</summary>
public sealed record ComposedMail(string Subject, string Body);

/// <summary>
/// The texts of the notification mails, in Dutch and English. The subject never names anyone (it shows on lock screens
/// and in shared inboxes); the body names the family by the client's first name and links to the Portal.
/// </summary>
/// <remarks>
/// One text per group, never per kind (ADR 8: the kind itself tells too much). The kinds of issue 18 use their group's
/// text: leeftijdsstap (an age step, or regie only "voorlopig") the dossier's; opvolging-gevraagd, opvolging-rond,
/// invaller-genoemd, ondersteuner-gewisseld and toegang-gewijzigd-door-ander the access text. A mail that said "a
/// take-over of regie was asked" would tell a death or an illness before the person signs in.
/// </remarks>
public static class MailTexts
{
    public const string GroupDossier = "dossier";
    public const string GroupAccess = "toegang";
    public const string GroupTeam = "team";

    private sealed record Words(
        string DirectSubject, string DigestSubject, string Greeting, string NewIn, string NewInUnnamed, string AccessIn,
        string AccessUnnamed, string NewInTeam, string DigestIntro, string DigestDossier, string DigestDossierUnnamed,
        string DigestAccess, string DigestAccessUnnamed, string DigestTeam, string One, string Many, string SignInDirect,
        string SignInDigest, string Privacy, string Settings);

    private static readonly Words Dutch = new(
        DirectSubject: "Er is iets nieuws voor u in PGO",
        DigestSubject: "Uw dagelijkse overzicht van PGO",
        Greeting: "Beste {0},",
        NewIn: "Er is iets nieuws voor u in het dossier van {0}.",
        NewInUnnamed: "Er is iets nieuws voor u in een dossier waar u bij betrokken bent.",
        AccessIn: "Er is iets veranderd in uw toegang tot het dossier van {0}.",
        AccessUnnamed: "Er is iets veranderd in uw toegang tot een dossier.",
        NewInTeam: "Er is iets nieuws voor u in de teamruimte.",
        DigestIntro: "Er is nieuws voor u in PGO:",
        DigestDossier: "in het dossier van {0}",
        DigestDossierUnnamed: "in een dossier waar u bij betrokken bent",
        DigestAccess: "over uw toegang tot het dossier van {0}",
        DigestAccessUnnamed: "over uw toegang tot een dossier",
        DigestTeam: "in de teamruimte",
        One: "1 melding",
        Many: "{0} meldingen",
        SignInDirect: "Meld u aan om te zien wat er nieuw is: {0}",
        SignInDigest: "Meld u aan om alles te zien: {0}",
        Privacy: "Om uw privacy en die van het gezin te beschermen, staat in deze e-mail niet wat er nieuw is.",
        Settings: "U krijgt deze e-mail omdat u meldingen per e-mail hebt aan staan. Wijzigen kan op {0}");

    private static readonly Words English = new(
        DirectSubject: "There is something new for you in PGO",
        DigestSubject: "Your daily PGO overview",
        Greeting: "Dear {0},",
        NewIn: "There is something new for you in the dossier of {0}.",
        NewInUnnamed: "There is something new for you in a dossier you are involved in.",
        AccessIn: "Something changed in your access to the dossier of {0}.",
        AccessUnnamed: "Something changed in your access to a dossier.",
        NewInTeam: "There is something new for you in the team space.",
        DigestIntro: "There is news for you in PGO:",
        DigestDossier: "in the dossier of {0}",
        DigestDossierUnnamed: "in a dossier you are involved in",
        DigestAccess: "about your access to the dossier of {0}",
        DigestAccessUnnamed: "about your access to a dossier",
        DigestTeam: "in the team space",
        One: "1 notification",
        Many: "{0} notifications",
        SignInDirect: "Sign in to see what is new: {0}",
        SignInDigest: "Sign in to see everything: {0}",
        Privacy: "To protect your privacy and the family's, this e-mail does not say what is new.",
        Settings: "You receive this e-mail because you switched on notifications by e-mail. Change that at {0}");

    private static Words For(string? language) => language == "en" ? English : Dutch;

    private static string F(string format, params object?[] args) => string.Format(CultureInfo.InvariantCulture, format, args);

    /// <summary>The mail about one notification.</summary>
    public static ComposedMail Direct(MailRecipient to, MailItem item, string portalUrl)
    {
        var w = For(to.Language);
        var portal = portalUrl.TrimEnd('/');
        var line = item.Group switch
        {
            GroupTeam => w.NewInTeam,
            GroupAccess => Named(item.ClientFirstName) is { } name ? F(w.AccessIn, name) : w.AccessUnnamed,
            _ => Named(item.ClientFirstName) is { } name ? F(w.NewIn, name) : w.NewInUnnamed,
        };
        var body = new StringBuilder()
            .AppendLine(F(w.Greeting, to.Name)).AppendLine()
            .AppendLine(line).AppendLine()
            .AppendLine(F(w.SignInDirect, portal + "/")).AppendLine()
            .AppendLine(w.Privacy)
            .AppendLine(F(w.Settings, portal + "/account"));
        return new ComposedMail(w.DirectSubject, body.ToString());
    }

    /// <summary>The daily digest: per family (and per group) how many notifications wait. Never called with none.</summary>
    public static ComposedMail Digest(MailRecipient to, IReadOnlyList<MailItem> items, string portalUrl)
    {
        if (items.Count == 0) throw new ArgumentException("A digest of nothing is never sent.", nameof(items));
        var w = For(to.Language);
        var portal = portalUrl.TrimEnd('/');
        var body = new StringBuilder()
            .AppendLine(F(w.Greeting, to.Name)).AppendLine()
            .AppendLine(w.DigestIntro);
        // In order of first appearance, so the oldest news comes first.
        foreach (var group in items.GroupBy(i => (i.Group, Name: Named(i.ClientFirstName))))
        {
            var (kind, name) = group.Key;
            var where = kind switch
            {
                GroupTeam => w.DigestTeam,
                GroupAccess => name is null ? w.DigestAccessUnnamed : F(w.DigestAccess, name),
                _ => name is null ? w.DigestDossierUnnamed : F(w.DigestDossier, name),
            };
            var count = group.Count();
            body.AppendLine(F("- {0}: {1}", where, count == 1 ? w.One : F(w.Many, count)));
        }
        body.AppendLine()
            .AppendLine(F(w.SignInDigest, portal + "/")).AppendLine()
            .AppendLine(w.Privacy)
            .AppendLine(F(w.Settings, portal + "/account"));
        return new ComposedMail(w.DigestSubject, body.ToString());
    }

    /// <summary>A first name fit for a mail: letters, hyphens, apostrophes and spaces only (anything else is left out).</summary>
    private static string? Named(string? firstName)
    {
        var name = firstName?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 40) return null;
        return name.All(c => char.IsLetter(c) || c is '-' or '\'' or ' ') ? name : null;
    }
}
