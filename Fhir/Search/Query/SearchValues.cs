using System.Globalization;
using System.Text.RegularExpressions;
using Pgo.Fhir.Messages;

namespace Pgo.Fhir.Search.Query;

/// <summary>Parsing of prefixed date and number values. Every malformed value is a <see cref="FhirException.BadRequest"/>.</summary>
internal static partial class SearchValues
{
    [GeneratedRegex(@"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2})(?:T([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?(Z|[+-][0-9]{2}:[0-9]{2})?)?)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DateRegex();

    [GeneratedRegex(@"^[+-]?(?:[0-9]+(\.[0-9]*)?|(\.[0-9]+))(?:[eE]([+-]?[0-9]{1,4}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberRegex();

    /// <summary>Splits a leading two-letter prefix (eq, ne, gt, lt, ge, le, sa, eb, ap) off a value; none means eq.</summary>
    public static (SearchPrefix Prefix, string Text) SplitPrefix(string value, string param)
    {
        if (value.Length >= 2 && char.IsAsciiLetter(value[0]) && char.IsAsciiLetter(value[1]))
        {
            var prefix = value[..2] switch
            {
                "eq" => SearchPrefix.Eq,
                "ne" => SearchPrefix.Ne,
                "gt" => SearchPrefix.Gt,
                "lt" => SearchPrefix.Lt,
                "ge" => SearchPrefix.Ge,
                "le" => SearchPrefix.Le,
                "sa" => SearchPrefix.Sa,
                "eb" => SearchPrefix.Eb,
                "ap" => SearchPrefix.Ap,
                _ => throw FhirException.BadRequest(
                    Text.Format(FhirText.SearchUnknownPrefix, value[..2], value, param)),
            };
            return (prefix, value[2..]);
        }
        return (SearchPrefix.Eq, value);
    }

    /// <summary>
    /// A FHIR date, dateTime or instant (also hh:mm without seconds) as the inclusive ms range its precision
    /// implies. No time zone = UTC. A space where the offset's '+' belongs (an unencoded '+' in a URL) is read as '+'.
    /// </summary>
    public static (long Start, long End) ParseDate(string text, string param)
    {
        var m = DateRegex().Match(text.Replace(' ', '+'));
        if (!m.Success)
            throw FhirException.BadRequest(
                Text.Format(FhirText.SearchInvalidDate, text, param));

        static int Int(Group g) => int.Parse(g.Value, NumberStyles.None, CultureInfo.InvariantCulture);
        try
        {
            var offset = TimeSpan.Zero;
            var tz = m.Groups[8].Value;
            if (tz.Length > 1)
            {
                var h = int.Parse(tz.AsSpan(1, 2), NumberStyles.None, CultureInfo.InvariantCulture);
                var mm = int.Parse(tz.AsSpan(4, 2), NumberStyles.None, CultureInfo.InvariantCulture);
                if (h > 14 || mm > 59) throw new ArgumentOutOfRangeException(nameof(text));
                offset = new TimeSpan(h, mm, 0);
                if (tz[0] == '-') offset = -offset;
            }

            var local = new DateTime(
                Int(m.Groups[1]),
                m.Groups[2].Success ? Int(m.Groups[2]) : 1,
                m.Groups[3].Success ? Int(m.Groups[3]) : 1,
                m.Groups[4].Success ? Int(m.Groups[4]) : 0,
                m.Groups[5].Success ? Int(m.Groups[5]) : 0,
                m.Groups[6].Success ? Int(m.Groups[6]) : 0,
                DateTimeKind.Unspecified);

            var fraction = m.Groups[7].Value;
            var ms = fraction.Length == 0 ? 0 : int.Parse(fraction.PadRight(3, '0')[..3], NumberStyles.None, CultureInfo.InvariantCulture);
            var start = new DateTimeOffset(local, offset).AddMilliseconds(ms);

            DateTimeOffset Next() =>
                !m.Groups[2].Success ? start.AddYears(1)
                : !m.Groups[3].Success ? start.AddMonths(1)
                : !m.Groups[4].Success ? start.AddDays(1)
                : !m.Groups[6].Success ? start.AddMinutes(1)
                : fraction.Length == 0 ? start.AddSeconds(1)
                : start.AddMilliseconds(fraction.Length >= 3 ? 1 : Math.Pow(10, 3 - fraction.Length));

            long end;
            try
            {
                end = Next().ToUnixTimeMilliseconds() - 1;
            }
            catch (ArgumentOutOfRangeException)
            {
                end = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();
            }
            return (start.ToUnixTimeMilliseconds(), end);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw FhirException.BadRequest(Text.Format(FhirText.SearchNoSuchDate, text, param));
        }
    }

    /// <summary>
    /// ap for dates: the value's range widened on both sides by 10 % of the distance between now and the
    /// nearest end of the range (0 when now lies inside it), per the R4 recommendation.
    /// </summary>
    public static (long Start, long End) Approximate(long start, long end, long now)
    {
        var distance = now < start ? start - now : now > end ? now - end : 0;
        var delta = distance / 10;
        return (SaturatingAdd(start, -delta), SaturatingAdd(end, delta));
    }

    private static long SaturatingAdd(long a, long b)
    {
        var r = a + b;
        if (b > 0 && r < a) return long.MaxValue;
        if (b < 0 && r > a) return long.MinValue;
        return r;
    }

    /// <summary>
    /// A decimal and the half-open range [Low, High) of its precision: half a unit of its last significant
    /// digit either side (100 → [99.5, 100.5), 1.50 → [1.495, 1.505), 1e2 → [50, 150)).
    /// </summary>
    public static (decimal Value, decimal Low, decimal High) ParseNumber(string text, string param)
    {
        var m = NumberRegex().Match(text);
        if (!m.Success)
            throw FhirException.BadRequest(Text.Format(FhirText.SearchInvalidNumber, text, param));
        try
        {
            var value = decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            var decimals = m.Groups[1].Success ? m.Groups[1].Value.Length - 1 : m.Groups[2].Success ? m.Groups[2].Value.Length - 1 : 0;
            var exponent = m.Groups[3].Success ? int.Parse(m.Groups[3].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;
            var half = 0.5m * Pow10(exponent - decimals);
            return (value, value - half, value + half);
        }
        catch (OverflowException)
        {
            throw FhirException.BadRequest(Text.Format(FhirText.SearchNumberOutOfRange, text, param));
        }
    }

    /// <summary>ap for numbers: ±10 % of the value, and at least the value's own precision range.</summary>
    public static (decimal Low, decimal High) Approximate(decimal value, decimal low, decimal high)
    {
        var delta = Math.Abs(value) / 10;
        return (Math.Min(value - delta, low), Math.Max(value + delta, high));
    }

    private static decimal Pow10(int n)
    {
        if (n > 28) throw new OverflowException();
        if (n < -28) return 0m;
        var r = 1m;
        for (var i = 0; i < Math.Abs(n); i++) r *= 10;
        return n >= 0 ? r : 1m / r;
    }
}
