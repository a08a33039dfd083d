using Microsoft.Extensions.Localization;

namespace Pgo.Portal.Components.Pages;

/// <summary>The words for a share package's state (the Api's open, verlopen, ingetrokken, nog-niet).</summary>
public static class SharedPackageTexts
{
    public static string State(IStringLocalizer<Texts> text, string state) => state switch
    {
        "open" => text["Open"],
        "verlopen" => text["Verlopen"],
        "ingetrokken" => text["Ingetrokken door het gezin"],
        "nog-niet" => text["Nog niet open"],
        _ => state,
    };
}
