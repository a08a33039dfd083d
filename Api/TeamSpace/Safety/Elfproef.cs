namespace Pgo.Api.TeamSpace.Safety;

/// <summary>
/// The Dutch 11-check (elfproef). For n digits d1..dn the weights run n, n-1, ..., 1 and the weighted sum
/// must be divisible by 11 (the check for old bank account numbers). The BSN variant weighs the last digit
/// -1 instead of 1: 9·d1 + 8·d2 + ... + 2·d8 − d9 ≡ 0 (mod 11).
/// </summary>
public static class Elfproef
{
    /// <summary>True for the digits of a valid burgerservicenummer: 9 digits, not all zero, passing the BSN variant of the 11-check.</summary>
    public static bool IsValidBsn(string digits) => digits.Length == 9 && digits.All(char.IsAsciiDigit) && digits.Any(c => c != '0') && Passes(digits, bsnVariant: true);

    /// <summary>The 11-check on a string of ASCII digits; <paramref name="bsnVariant"/> weighs the last digit -1.</summary>
    public static bool Passes(string digits, bool bsnVariant)
    {
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit)) return false;
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var weight = digits.Length - i;
            if (bsnVariant && weight == 1) weight = -1;
            sum += weight * (digits[i] - '0');
        }
        return sum % 11 == 0;
    }
}
