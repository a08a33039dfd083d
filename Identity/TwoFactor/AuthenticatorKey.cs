using QRCoder;

namespace Pgo.Identity.TwoFactor;

/// <summary>How the shared key is shown: in groups of four to type over, as an otpauth:// URI, as a QR code.</summary>
public static class AuthenticatorKey
{
    public const string Issuer = "PGO";

    public static string Grouped(string key) =>
        string.Join(' ', key.ToUpperInvariant().Chunk(4).Select(chunk => new string(chunk)));

    /// <summary>The Key URI Format authenticator apps read (SHA-1, 6 digits, 30 seconds).</summary>
    public static string Uri(string key, string account) =>
        $"otpauth://totp/{System.Uri.EscapeDataString(Issuer)}:{System.Uri.EscapeDataString(account)}" +
        $"?secret={key.ToUpperInvariant()}&issuer={System.Uri.EscapeDataString(Issuer)}&algorithm=SHA1&digits=6&period=30";

    /// <summary>A PNG data URI of the QR code for <paramref name="uri"/>.</summary>
    public static string QrCodeDataUri(string uri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        using var qr = new PngByteQRCode(data);
        var png = qr.GetGraphic(6);
        return "data:image/png;base64," + Convert.ToBase64String(png);
    }
}
