namespace Pgo.Api.TeamSpace.Attachments;

/// <summary>
/// The allow-list of attachment types, decided by the first bytes of the file (never by its name or the
/// Content-Type the client sends): PDF, PNG and JPEG. Anything else, including HTML, SVG and Office files
/// (zip containers that can carry anything), is refused.
/// </summary>
public static class FileSniffer
{
    private static readonly (string ContentType, string Extension, byte[] Magic)[] Allowed =
    [
        ("application/pdf", ".pdf", "%PDF-"u8.ToArray()),
        ("image/png", ".png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        ("image/jpeg", ".jpg", [0xFF, 0xD8, 0xFF]),
    ];

    public const int HeaderLength = 8;

    public static (string ContentType, string Extension)? Sniff(ReadOnlySpan<byte> header)
    {
        foreach (var (type, ext, magic) in Allowed)
            if (header.StartsWith(magic)) return (type, ext);
        return null;
    }

    public static string AllowedTypes => string.Join(", ", Allowed.Select(a => a.ContentType));

    /// <summary>The allowed kinds as people call them (error messages name no MIME types).</summary>
    public static string AllowedNames => "PDF, PNG, JPEG";
}
