using System.Globalization;
using System.Text;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Practice;

/// <summary>
/// A supporter's own time of one month as CSV for Dutch Excel, the way <c>TeamSpace/Signalling/SignalCsv</c> writes it:
/// UTF-8 with a byte-order mark, ';' between fields, Dutch headers, names instead of codes, dates as "15 juni 2027"
/// (Europe/Amsterdam dates as registered). A text field that starts like a formula (=, +, -, @) gets a leading
/// apostrophe; the minutes are the Api's own whole numbers (a correction's may be negative) and are written as numbers.
/// </summary>
public static class TimeCsv
{
    public const string HeaderLine = "datum;gezin;activiteit;buiten een gezin;minuten;notitie;correctie op;reden;vastgelegd";

    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    public static byte[] Write(IReadOnlyList<TimeRow> rows)
    {
        var byId = rows.ToDictionary(r => r.Id);
        var csv = new StringBuilder();
        csv.Append(HeaderLine).Append("\r\n");
        foreach (var r in rows)
        {
            var corrected = r.CorrectsId is { } c && byId.TryGetValue(c, out var original)
                ? $"{PracticeTimeApi.DutchDate(original.EntryDate)}, {original.Minutes.ToString(CultureInfo.InvariantCulture)} min"
                : "";
            csv.AppendJoin(';',
            [
                Field(PracticeTimeApi.DutchDate(r.EntryDate)),
                Field(r.FamilyName ?? ""),
                Field(SupporterActivity.Display.GetValueOrDefault(r.Activity, r.Activity)),
                SupporterActivity.IsOutsideFamily(r.Activity) ? "ja" : "nee",
                r.Minutes.ToString(CultureInfo.InvariantCulture),
                Field(r.Note ?? ""),
                Field(corrected),
                Field(r.Reason ?? ""),
                Field(Pgo.Shared.Text.DutchTime.At(DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedMs)).ToString("d MMMM yyyy HH:mm", Dutch)),
            ]).Append("\r\n");
        }
        csv.Append("\r\n").Append("totaal minuten;").Append(rows.Sum(r => r.Minutes).ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    /// <summary>One text field: line breaks flattened, a formula start disarmed, quoted when it holds ';' or '"'.</summary>
    public static string Field(string value)
    {
        var text = value.ReplaceLineEndings(" ");
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@') text = "'" + text;
        return text.IndexOfAny([';', '"']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
