using Pgo.Portal.Api;

namespace Pgo.Portal.Components.Shared;

/// <summary>
/// Where an entry of "wat is er veranderd" leads: the screen of its section, to the item itself where that screen can
/// show one item. The convention for a screen: an element with <c>id="{Type}-{Id}"</c> (e.g. <c>DocumentReference-123</c>)
/// is scrolled to and focused when the address ends in that fragment (<see cref="DossierPage"/> does it after loading);
/// Berichten opens the conversation of <c>?bericht={id}</c>.
/// </summary>
public static class ChangeLinks
{
    public static string Href(string dossierId, Change change) => Href(dossierId, change.Section, change.Reference);

    /// <summary>Where an item of <paramref name="section"/> (a reference "Type/id") is shown: the one rule for
    /// "wat is er veranderd" and the search results.</summary>
    public static string Href(string dossierId, string section, string reference)
    {
        var root = $"/dossier/{Uri.EscapeDataString(dossierId)}";
        var (type, id) = reference.Split('/') is [var t, var i] ? (t, i) : ("", "");
        var anchor = id.Length > 0 ? $"#{Anchor(type, id)}" : "";
        return section switch
        {
            "berichten" when id.Length > 0 => $"{root}/berichten?bericht={Uri.EscapeDataString(id)}{anchor}",
            "berichten" => $"{root}/berichten",
            "logboek" => $"{root}/logboek{anchor}",
            "metingen" => $"{root}/metingen{anchor}",
            "agenda" => $"{root}/agenda{anchor}",
            "doelen" or "afspraken" or "plan" => $"{root}/plan{anchor}",
            "netwerk" => $"{root}/netwerk{anchor}",
            "profiel" => $"{root}/over-mij",
            "medisch" or "financien" => $"{root}/{section}{anchor}",
            "gebeurtenissen" => $"{root}/gebeurtenissen{anchor}",
            _ => $"{root}/documenten{anchor}",
        };
    }

    /// <summary>The element id a screen gives an item so that a link can land on it.</summary>
    public static string Anchor(string type, string? id) => $"{type}-{id}";
}
