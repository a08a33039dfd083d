using System.IO.Compression;
using System.Text;
using Pgo.Api.Errors;

namespace Pgo.Api.Files;

/// <summary>One allowed kind of document: its Content-Type, file extension and Dutch name.</summary>
public sealed record FileKind(string ContentType, string Extension, string Name);

/// <summary>
/// The allow-list of dossier documents, decided by the content (magic bytes), never by the file name: PDF, PNG, JPEG,
/// HEIC (phone photos), Word (.docx), Excel (.xlsx) and plain text. The Content-Type the client declares must name the
/// same kind. Office files are zip containers; <see cref="CheckOfficeAsync"/> looks inside once the bytes are stored.
/// </summary>
public static class FileTypes
{
    public static readonly FileKind Pdf = new("application/pdf", ".pdf", "PDF");
    public static readonly FileKind Png = new("image/png", ".png", "PNG-afbeelding");
    public static readonly FileKind Jpeg = new("image/jpeg", ".jpg", "JPEG-foto");
    public static readonly FileKind Heic = new("image/heic", ".heic", "HEIC-foto");
    public static readonly FileKind Docx = new("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "Word-document");
    public static readonly FileKind Xlsx = new("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "Excel-werkblad");
    public static readonly FileKind Text = new("text/plain", ".txt", "tekstbestand");

    public static readonly IReadOnlyList<FileKind> All = [Pdf, Png, Jpeg, Heic, Docx, Xlsx, Text];

    /// <summary>How many leading bytes <see cref="Sniff"/> looks at.</summary>
    public const int HeaderLength = 4096;

    public static string AllowedNames => string.Join(", ", All.Select(k => k.Name));

    /// <summary>The kind the client declared (Content-Type, parameters ignored; image/jpg and image/heif accepted as aliases).</summary>
    public static FileKind? Declared(string? contentType)
    {
        var media = (contentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        return media switch
        {
            "image/jpg" or "image/pjpeg" => Jpeg,
            "image/heif" => Heic,
            _ => All.FirstOrDefault(k => k.ContentType == media),
        };
    }

    /// <summary>
    /// The kinds the first bytes are consistent with (empty: not allowed). A zip header fits both Word and Excel
    /// (decided inside the zip later); text is valid UTF-8 without control characters that does not start like markup.
    /// </summary>
    public static IReadOnlyList<FileKind> Sniff(ReadOnlySpan<byte> head, bool complete)
    {
        if (head.StartsWith("%PDF-"u8)) return [Pdf];
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return [Png];
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return [Jpeg];
        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8)
            && Encoding.ASCII.GetString(head[8..12]) is "heic" or "heix" or "hevc" or "hevx" or "mif1" or "msf1" or "heim" or "heis")
            return [Heic];
        if (head.StartsWith((ReadOnlySpan<byte>)[0x50, 0x4B, 0x03, 0x04])) return [Docx, Xlsx];
        return LooksLikeText(head, complete) ? [Text] : [];
    }

    private static bool LooksLikeText(ReadOnlySpan<byte> head, bool complete)
    {
        if (head.Length == 0) return false;
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) head = head[3..];
        // A UTF-8 sequence cut off at the end of the header is not an error.
        var checkable = head;
        if (!complete)
        {
            var cut = 0;
            while (cut < 3 && cut < checkable.Length && (checkable[^(cut + 1)] & 0xC0) == 0x80) cut++;
            if (cut < checkable.Length && checkable[^(cut + 1)] >= 0xC0) cut++;
            checkable = checkable[..^cut];
        }
        if (!System.Text.Unicode.Utf8.IsValid(checkable)) return false;
        foreach (var b in checkable)
            if (b < 0x20 && b is not (0x09 or 0x0A or 0x0D or 0x0C)) return false;
        // Markup renamed to .txt (HTML, SVG, XML) is refused: a browser might still render it.
        var start = Encoding.UTF8.GetString(checkable[..Math.Min(checkable.Length, 512)]).TrimStart();
        return !start.StartsWith('<');
    }

    /// <summary>
    /// Whether a zip is really the Office document it was declared as (the part that makes it one is present), and
    /// carries no macros. Reads the stored blob, which is seekable, so the upload itself never buffers.
    /// </summary>
    public static string? CheckOffice(Stream zip, FileKind declared)
    {
        try
        {
            using var archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: false);
            var names = archive.Entries.Select(e => e.FullName).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var main = declared == Docx ? "word/document.xml" : "xl/workbook.xml";
            if (!names.Contains("[Content_Types].xml") || !names.Contains(main))
                return ApiProblem.Text(ApiText.FileNotReally, declared.Name);
            if (names.Any(n => n.EndsWith("vbaProject.bin", StringComparison.OrdinalIgnoreCase)))
                return ApiText.FileMacros;
            return null;
        }
        catch (InvalidDataException)
        {
            return ApiProblem.Text(ApiText.FileNotValid, declared.Name);
        }
    }

    /// <summary>A file name safe for Content-Disposition: no path, no control or quote characters, at most 120 characters, the right extension.</summary>
    public static string SafeFileName(string? original, FileKind kind, string fallback)
    {
        var name = Path.GetFileName((original ?? "").Replace('\\', '/'));
        var cleaned = new string(name.Where(c => !char.IsControl(c) && c is not ('"' or '/' or '\\' or ':' or '*' or '?' or '<' or '>' or '|' or ';')).ToArray()).Trim().Trim('.');
        if (cleaned.Length == 0) cleaned = fallback;
        var stem = Path.GetFileNameWithoutExtension(cleaned);
        if (stem.Length == 0) stem = fallback;
        if (stem.Length > 100) stem = stem[..100];
        return stem + kind.Extension;
    }
}
