using System.Globalization;
using System.Text;
using Pgo.Shared.Contracts;
using Pgo.Shared.Text;

namespace Pgo.Api.TeamSpace.Signalling;

/// <summary>
/// A bundle as CSV for a meeting with an instantie, for Dutch Excel: UTF-8 with a byte-order mark, ';' between fields,
/// Dutch headers, names instead of codes, dates as "15 juni 2027" (Europe/Amsterdam). It is made from the
/// <see cref="SignalBundleView"/> only, which holds no author, post text, post id or family: counts per team and month,
/// the guarded descriptions and the status. A field that starts like a formula (=, +, -, @) gets a leading apostrophe.
/// </summary>
public static class SignalCsv
{
    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    public const string HeaderLine = "thema;instantie;status;aangekaart bij;uitkomst;signalen;gezinnen;teams;eerste melding;laatste melding";

    public static byte[] Write(SignalBundleView view)
    {
        var b = view.Bundle;
        var csv = new StringBuilder();
        csv.Append(HeaderLine).Append("\r\n");
        Row(csv, b.ThemeName, b.InstantieName, b.StatusName, b.RaisedWith ?? "", b.Outcome ?? "",
            Number(b.Signals), Number(b.Families), Number(b.Teams), Date(b.FirstAt), Date(b.LatestAt));
        csv.Append("\r\n");
        Row(csv, "team", "signalen", "gezinnen");
        foreach (var t in view.PerTeam) Row(csv, t.Team, Number(t.Signals), Number(t.Families));
        csv.Append("\r\n");
        Row(csv, "maand", "signalen", "gezinnen");
        foreach (var m in view.PerMonth) Row(csv, MonthName(m.Month), Number(m.Signals), Number(m.Families));
        csv.Append("\r\n");
        Row(csv, "beschrijving");
        foreach (var s in view.Summaries) Row(csv, s);
        if (view.History.Count > 0)
        {
            csv.Append("\r\n");
            Row(csv, "datum", "status", "aangekaart bij", "uitkomst");
            foreach (var h in view.History) Row(csv, Date(h.At), h.StatusName, h.RaisedWith ?? "", h.Outcome ?? "");
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    private static void Row(StringBuilder csv, params string[] fields)
    {
        csv.AppendJoin(';', fields.Select(Field)).Append("\r\n");
    }

    private static string Field(string value)
    {
        var text = value.ReplaceLineEndings(" ");
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@') text = "'" + text;
        return text.IndexOfAny([';', '"']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Date(DateTimeOffset at) => DutchTime.At(at).ToString("d MMMM yyyy", Dutch);

    /// <summary>"2026-11" as "november 2026".</summary>
    private static string MonthName(string month) =>
        DateTime.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d.ToString("MMMM yyyy", Dutch) : month;
}
