using Hl7.Fhir.Model;

namespace Pgo.Fhir.Search.Indexing;

/// <summary>
/// R4 date parameters: date and dateTime become the inclusive range their precision implies
/// (an instant with a fraction is exact to the millisecond); a Period its [start, end] with open ends as long.MinValue/MaxValue; a Timing the span
/// of its events (or its repeat.bounds Period). Other types (Age, Range, string) are not indexed.
/// </summary>
internal static class DateExtractor
{
    public static bool Extract(string param, Base value, ResourceIndex index)
    {
        switch (value)
        {
            case Period period:
                AddPeriod(param, period, index);
                return true;
            case Timing timing:
                AddTiming(param, timing, index);
                return true;
            case Instant instant:
                // A machine timestamp: its digits are not a stated precision (.25 is .250), so a fraction means that millisecond.
                var stamp = Primitives.AsString(instant);
                if (FhirDate.TryParseRange(stamp, out var start, out var end))
                    index.Dates.Add(new DateIndex(param, start, stamp!.Contains('.') ? start : end));
                return true;
            case FhirDateTime or Date:
                if (FhirDate.TryParseRange(Primitives.AsString(value), out start, out end))
                    index.Dates.Add(new DateIndex(param, start, end));
                return true;
            case PrimitiveType primitive when primitive.JsonValue is string text:
                // FHIRPath system dates and date-like values from other primitive types.
                if (FhirDate.TryParseRange(text, out start, out end))
                    index.Dates.Add(new DateIndex(param, start, end));
                return true;
            case Quantity or Hl7.Fhir.Model.Range or PrimitiveType:
                return true; // onset/abatement choices that are not dates: nothing to index
            default:
                return false;
        }
    }

    private static void AddPeriod(string param, Period period, ResourceIndex index)
    {
        var hasStart = FhirDate.TryParseRange(period.Start, out var start, out var startEnd);
        var hasEnd = FhirDate.TryParseRange(period.End, out var endStart, out var end);
        if (!hasStart && !hasEnd) return;
        // Every row has start <= end (search relies on it): a period that ends before it starts (invalid, per-1)
        // is indexed as the span from its end to its start.
        if (hasStart && hasEnd && start > end) (start, end) = (endStart, startEnd);
        index.Dates.Add(new DateIndex(param, hasStart ? start : long.MinValue, hasEnd ? end : long.MaxValue));
    }

    private static void AddTiming(string param, Timing timing, ResourceIndex index)
    {
        long min = long.MaxValue, max = long.MinValue;
        foreach (var ev in timing.EventElement)
        {
            if (!FhirDate.TryParseRange(ev?.Value, out var start, out var end)) continue;
            if (start < min) min = start;
            if (end > max) max = end;
        }
        if (min <= max)
            index.Dates.Add(new DateIndex(param, min, max));
        else if (timing.Repeat?.Bounds is Period bounds)
            AddPeriod(param, bounds, index);
    }
}

/// <summary>Parses FHIR date, dateTime and instant text into the millisecond range its precision covers.</summary>
public static class FhirDate
{
    /// <summary>
    /// "2024" → [2024-01-01T00:00:00.000Z, 2024-12-31T23:59:59.999Z], "2024-03-05T10:00:00+01:00" →
    /// [09:00:00.000Z, 09:00:00.999Z]; values without a time zone are taken as UTC. Milliseconds since
    /// the Unix epoch, both ends inclusive.
    /// </summary>
    public static bool TryParseRange(string? text, out long start, out long end)
    {
        start = end = 0;
        if (string.IsNullOrEmpty(text)) return false;
        var s = text.AsSpan().Trim();
        var pos = 0;

        if (!Digits(s, ref pos, 4, out var year) || year < 1) return false;
        int month = 1, day = 1, hour = 0, minute = 0, second = 0, millis = 0;
        var precision = 0; // 0 year, 1 month, 2 day, 3 time of day (stepMs)
        long offsetMinutes = 0;

        if (pos < s.Length)
        {
            if (s[pos++] != '-' || !Digits(s, ref pos, 2, out month) || month is < 1 or > 12) return false;
            precision = 1;
        }
        if (pos < s.Length)
        {
            if (s[pos++] != '-' || !Digits(s, ref pos, 2, out day) || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
            precision = 2;
        }
        long stepMs = 0; // when the precision is below a day
        if (pos < s.Length)
        {
            if (s[pos++] != 'T' || !Digits(s, ref pos, 2, out hour) || hour > 23) return false;
            if (pos >= s.Length || s[pos++] != ':' || !Digits(s, ref pos, 2, out minute) || minute > 59) return false;
            precision = 3;
            stepMs = 60_000;
            if (pos < s.Length && s[pos] == ':')
            {
                pos++;
                if (!Digits(s, ref pos, 2, out second) || second > 60) return false;
                if (second == 60) second = 59; // leap second
                stepMs = 1_000;
                if (pos < s.Length && s[pos] == '.')
                {
                    pos++;
                    var digits = 0;
                    while (pos < s.Length && char.IsAsciiDigit(s[pos]))
                    {
                        if (digits < 3) millis = millis * 10 + (s[pos] - '0');
                        digits++;
                        pos++;
                    }
                    if (digits == 0) return false;
                    stepMs = digits switch { 1 => 100, 2 => 10, _ => 1 };
                    for (var i = digits; i < 3; i++) millis *= 10;
                }
            }
            if (pos < s.Length)
            {
                var sign = s[pos];
                if (sign == 'Z') pos++;
                else if (sign is '+' or '-')
                {
                    pos++;
                    if (!Digits(s, ref pos, 2, out var oh) || pos >= s.Length || s[pos++] != ':' || !Digits(s, ref pos, 2, out var om) || oh > 14 || om > 59) return false;
                    offsetMinutes = (oh * 60 + om) * (sign == '-' ? -1 : 1);
                }
                else return false;
            }
        }
        if (pos != s.Length) return false;

        var local = new DateTime(year, month, day, hour, minute, second, millis, DateTimeKind.Utc);
        long startMs = (local.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond - offsetMinutes * 60_000;
        long endMs;
        if (precision == 3) endMs = startMs + stepMs - 1;
        else
        {
            // The last year, month or day of the calendar has no next one: its range ends at DateTime.MaxValue.
            var last = year == 9999 && (precision == 0 || month == 12 && (precision == 1 || day == 31));
            var next = last ? DateTime.MaxValue.Ticks + 1 : precision switch
            {
                0 => local.AddYears(1).Ticks,
                1 => local.AddMonths(1).Ticks,
                _ => local.AddDays(1).Ticks,
            };
            endMs = (next - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond - 1;
        }
        start = startMs;
        end = endMs;
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> s, ref int pos, int count, out int value)
    {
        value = 0;
        if (pos + count > s.Length) return false;
        for (var i = 0; i < count; i++)
        {
            var c = s[pos + i];
            if (!char.IsAsciiDigit(c)) return false;
            value = value * 10 + (c - '0');
        }
        pos += count;
        return true;
    }
}
