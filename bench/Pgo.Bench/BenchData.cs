using System.Globalization;

namespace Pgo.Bench;

/// <summary>
/// The synthetic data set's rules, shared by the loader and the plans harness (bench/wrk/common.lua
/// repeats them for wrk): patient p is "bench-p{p}" with family <see cref="Family"/>; its resource k
/// (1 ≤ k &lt; per patient) is dated <see cref="Day"/>: an Observation when k % 10 &lt; 8, else a Goal (8) or Task (9).
/// </summary>
internal static class BenchData
{
    public static readonly string[] Families = ["Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot"];

    public static readonly DateTime FirstDay = new(2024, 1, 1);

    public const int Days = 700;

    public static string Family(int p) => Families[p % Families.Length] + p.ToString(CultureInfo.InvariantCulture);

    /// <summary>The day of resource k of patient p: FirstDay + ((p * 7 + k) % 700) days.</summary>
    public static DateTime Day(int p, int k) => FirstDay.AddDays((p * 7 + k) % Days);

    /// <summary>
    /// A 40-day window inside patient p's dates (k = 31..70, or the first 40 days of the data set when that
    /// window would wrap past day 700): ~32 Observations of every patient fall in it, so a date search
    /// always has matches and fills a page of 20. search-date.lua asks for the same window.
    /// </summary>
    public static (string From, string To) SearchWindow(int p)
    {
        var lo = (p * 7) % Days + 31;
        if (lo + 39 >= Days) lo = 0;
        return (FirstDay.AddDays(lo).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                FirstDay.AddDays(lo + 39).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }
}
