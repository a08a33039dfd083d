using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Pgo.Api.Files.Demo;

/// <summary>
/// Small, valid demo files made in code (no PDF library is available here): a one-page PDF with a few lines of text
/// and a PNG picture. Deterministic, so the demo documents are byte-identical on every start.
/// </summary>
public static class DemoFiles
{
    /// <summary>A one-page A4 PDF 1.4 with Helvetica text (WinAnsi, so Dutch accents print), with a correct xref table.</summary>
    public static byte[] Pdf(string title, IReadOnlyList<string> lines)
    {
        var latin1 = Encoding.Latin1;
        var content = new StringBuilder("BT /F1 18 Tf 56 780 Td (").Append(Escape(title)).Append(") Tj /F1 11 Tf 0 -30 Td 15 TL\n");
        foreach (var line in lines) content.Append('(').Append(Escape(line)).Append(") '\n");
        content.Append("ET");
        var stream = latin1.GetBytes(content.ToString());
        var objects = new[]
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            $"<< /Length {stream.Length} >>\nstream\n{latin1.GetString(stream)}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        };
        using var ms = new MemoryStream();
        void Write(string s) { var b = latin1.GetBytes(s); ms.Write(b); }
        Write("%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");
        var offsets = new List<long>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(ms.Position);
            Write($"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }
        var xref = ms.Position;
        Write($"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var o in offsets) Write(o.ToString("D10", CultureInfo.InvariantCulture) + " 00000 n \n");
        Write($"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return ms.ToArray();
    }

    private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("(", "\\(").Replace(")", "\\)");

    /// <summary>A <paramref name="size"/>×<paramref name="size"/> RGB PNG: a soft two-colour gradient with a circle, seeded by <paramref name="hue"/>.</summary>
    public static byte[] Png(int size, int hue)
    {
        var raw = new byte[size * (size * 3 + 1)];
        var (r0, g0, b0) = (hue * 37 % 200 + 40, hue * 71 % 200 + 40, hue * 113 % 200 + 40);
        for (var y = 0; y < size; y++)
        {
            var row = y * (size * 3 + 1);
            raw[row] = 0; // filter: none
            for (var x = 0; x < size; x++)
            {
                var dx = x - size / 2.0; var dy = y - size / 2.0;
                var inCircle = dx * dx + dy * dy < size * size / 9.0;
                var p = row + 1 + x * 3;
                raw[p] = (byte)(inCircle ? 255 : r0 + x * 50 / size);
                raw[p + 1] = (byte)(inCircle ? 240 : g0 + y * 50 / size);
                raw[p + 2] = (byte)(inCircle ? 200 : b0);
            }
        }
        using var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw);
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, size);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), size);
        header[8] = 8; header[9] = 2; // 8-bit RGB
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", idat.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        Span<byte> len = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        s.Write(typeAndData);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(len, Crc32(typeAndData));
        s.Write(len);
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
