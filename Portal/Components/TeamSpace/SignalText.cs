using System.Globalization;
using Microsoft.Extensions.Localization;
using Pgo.Shared.Codes;

namespace Pgo.Portal.Components.TeamSpace;

/// <summary>How a knelpunt bundle's status reads: "Aangekaart bij de SVB", "Opgelost: ...", never a code.</summary>
public static class SignalText
{
    public static string Status(IStringLocalizer<Texts> text, string status, string? statusName, string? raisedWith, string? outcome) => status switch
    {
        SignalCodes.Status.Aangekaart when !string.IsNullOrWhiteSpace(raisedWith) => string.Format(CultureInfo.CurrentCulture, text["Aangekaart bij {0}"], raisedWith),
        SignalCodes.Status.Opgelost when !string.IsNullOrWhiteSpace(outcome) => string.Format(CultureInfo.CurrentCulture, text["Opgelost: {0}"], outcome),
        _ => text[statusName ?? SignalCodes.StatusName(status)],
    };

    /// <summary>"2026-12" (the Api's month, Europe/Amsterdam) as "december 2026".</summary>
    public static string Month(string month) =>
        DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day.ToString("MMMM yyyy", CultureInfo.CurrentCulture)
            : month;
}
