using Microsoft.Extensions.Localization;
using Pgo.Shared.Contracts;

namespace Pgo.Portal.Components.Shared;

/// <summary>A notification in words and where it leads. The record holds no content (no message text, no agreement text):
/// the sentence names who did what in whose dossier, and the item itself shows once opened, under the person's access then.</summary>
public static class NotificationTexts
{
    /// <summary>"Ricardo heeft u een afspraak gegeven in het dossier van Jesse Strikwerda".</summary>
    public static string Sentence(IStringLocalizer<Texts> L, NotificationView n)
    {
        var who = string.IsNullOrWhiteSpace(n.ActorName) ? L["Iemand"].Value : n.ActorName;
        var dossier = string.IsNullOrWhiteSpace(n.DossierName) ? L["een dossier"].Value : n.DossierName;
        return n.Kind switch
        {
            "bericht" => L["{0} heeft u een bericht gestuurd in het dossier van {1}", who, dossier],
            "afspraak-toegewezen" => L["{0} heeft u een afspraak gegeven in het dossier van {1}", who, dossier],
            "afspraak-morgen" => L["Een afspraak van u moet morgen klaar zijn, in het dossier van {0}", dossier],
            "afspraak-te-laat" => L["Een afspraak van u is over de datum, in het dossier van {0}", dossier],
            "plan-gewijzigd" => L["{0} heeft een plan gewijzigd dat u volgt, in het dossier van {1}", who, dossier],
            "doel-gewijzigd" => L["{0} heeft een doel gewijzigd dat u volgt, in het dossier van {1}", who, dossier],
            "document-gedeeld" => L["{0} heeft een document gedeeld in het dossier van {1}", who, dossier],
            "toegang-gekregen" => L["{0} heeft u toegang gegeven tot het dossier van {1}", who, dossier],
            "toegang-gewijzigd" => L["{0} heeft uw toegang tot het dossier van {1} gewijzigd", who, dossier],
            "toegang-eindigt" => L["Uw toegang tot het dossier van {0} eindigt binnen een week", dossier],
            "toegang-beeindigd" => L["Uw toegang tot het dossier van {0} is beëindigd", dossier],
            "uitnodiging-geaccepteerd" => L["{0} heeft uw uitnodiging voor het dossier van {1} aangenomen", who, dossier],
            "deelpakket-verloopt" => L["Een deelpakket van het dossier van {0} verloopt binnenkort", dossier],
            "termijn-nadert" => L["De termijn van een aanvraag, bezwaar of klacht in het dossier van {0} loopt bijna af", dossier],
            "contact-nodig" => L["Het gezin van {0} staat op waakvlam en heeft weer contact nodig", dossier],
            "meting-gepland" => L["Een geplande meting in het dossier van {0} komt eraan of is te laat", dossier],
            "wordt-18" => L["{0} wordt 18: kijk samen wie wat mag zien in het dossier", dossier],
            "leeftijdsstap" => L["Een nieuwe leeftijdsstap in het dossier van {0}: lees wat er nu verandert", dossier],
            "opvolging-gevraagd" => L["{0} heeft gevraagd de regie over het dossier van {1} over te nemen (opvolging)", who, dossier],
            "opvolging-rond" => L["De opvolging van de regie over het dossier van {0} is rond", dossier],
            "invaller-genoemd" => L["{0} heeft een invaller genoemd in het dossier van {1}", who, dossier],
            "ondersteuner-gewisseld" => L["{0} heeft de ondersteuner gewisseld in het dossier van {1}", who, dossier],
            "toegang-gewijzigd-door-ander" => L["{0} heeft gewijzigd wie wat ziet in het dossier van {1}", who, dossier],
            "team-vermelding" => L["{0} heeft u genoemd in de teamruimte", who],
            "team-reactie" => L["{0} heeft gereageerd op uw bericht in de teamruimte", who],
            "team-artikel" => L["{0} heeft een nieuw artikel geplaatst in de teamruimte", who],
            "team-bewerkverzoek" => L["{0} vraagt u een bericht in de teamruimte aan te passen", who],
            "team-controleverzoek" => L["{0} vraagt u een kennisbankartikel te controleren", who],
            "team-knelpunt" => L["{0} heeft een knelpunt dat u signaleerde bijgewerkt", who],
            "verwijzing-toegewezen" => L["{0} heeft een verwezen gezin aan u toegewezen voor de intake", who],
            _ => L["Er is iets nieuws voor u in het dossier van {0}", dossier],
        };
    }

    /// <summary>Where the notification opens: the item on its screen (<see cref="ChangeLinks"/>), the team space for a
    /// team link, the dossier's start for access, and the overview for a dossier the person no longer sees.</summary>
    public static string Href(NotificationView n)
    {
        // A referral assigned to the supporter (issue 20): the intake on the referrals screen.
        if (n.Kind == "verwijzing-toegewezen") return "/verwijzingen";
        if (n.Kind.StartsWith("team-", StringComparison.Ordinal) || n.Item?.StartsWith("team/", StringComparison.Ordinal) == true) return TeamLinks.Href(n.Item) ?? "/team";
        if (n.PatientId is not { Length: > 0 } patient || n.Kind == "toegang-beeindigd") return "/";
        // Contact due (issue 20) is shown in the caseload row: "contact nodig sinds ...".
        if (n.Kind == "contact-nodig") return "/gezinnen";
        // Only who may manage access invites; a share package or turning 18 also concerns people without the Toegang screen.
        if (n.Kind is "uitnodiging-geaccepteerd" or "toegang-gewijzigd-door-ander") return $"/dossier/{Uri.EscapeDataString(patient)}/toegang";
        // The age steps and a succession are told on the regie page (who holds regie, the timeline, the successors).
        if (n.Kind is "leeftijdsstap" or "opvolging-gevraagd" or "opvolging-rond") return $"/dossier/{Uri.EscapeDataString(patient)}/regie";
        // A stand-in or a new supporter concerns people without the Toegang screen too: the dossier's start.
        if (n.Kind is "invaller-genoemd" or "ondersteuner-gewisseld") return $"/dossier/{Uri.EscapeDataString(patient)}";
        // A deadline coming: the procedure itself on the Gebeurtenissen screen.
        // A planned meting (issue 20): the Meetplan on Metingen.
        if (n.Kind == "meting-gepland") return $"/dossier/{Uri.EscapeDataString(patient)}/metingen";
        if (n.Kind == "termijn-nadert") return ChangeLinks.Href(patient, "gebeurtenissen", n.Item ?? "");
        if (n.Section is { Length: > 0 } section && section != "toegang")
            return ChangeLinks.Href(patient, section, n.Item ?? "");
        return $"/dossier/{Uri.EscapeDataString(patient)}";
    }
}
