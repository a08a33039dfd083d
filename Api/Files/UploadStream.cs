using System.Security.Cryptography;

namespace Pgo.Api.Files;

/// <summary>The upload passed the size limit: nothing may be stored.</summary>
public sealed class FileTooLargeException(long limit) : Exception($"Upload larger than {limit} bytes.")
{
    public long Limit { get; } = limit;
}

/// <summary>
/// A read-only pass-through over the request body on its way to blob storage: it counts and hashes what passes
/// (SHA-256 for the project, SHA-1 for FHIR's Attachment.hash) and throws <see cref="FileTooLargeException"/> the moment
/// the limit is passed, so a too-large upload is never completed. The bytes already read to sniff the type are
/// replayed first. Only one small buffer is held at a time: the file is never whole in memory.
/// </summary>
public sealed class UploadStream(ReadOnlyMemory<byte> head, Stream rest, long limit) : Stream
{
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly IncrementalHash _sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
    private int _headPos;

    public long Length64 { get; private set; }

    public string Sha256Hex() => Convert.ToHexStringLower(_sha256.GetHashAndReset());

    public byte[] Sha1() => _sha1.GetHashAndReset();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        int n;
        if (_headPos < head.Length)
        {
            n = Math.Min(buffer.Length, head.Length - _headPos);
            head.Slice(_headPos, n).CopyTo(buffer);
            _headPos += n;
        }
        else
        {
            n = await rest.ReadAsync(buffer, ct);
        }
        if (n > 0)
        {
            Length64 += n;
            if (Length64 > limit) throw new FileTooLargeException(limit);
            _sha256.AppendData(buffer.Span[..n]);
            _sha1.AppendData(buffer.Span[..n]);
        }
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => Length64; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) { _sha256.Dispose(); _sha1.Dispose(); }
        base.Dispose(disposing);
    }

    /// <summary>Reads up to <paramref name="length"/> bytes (fewer only at the end of the stream).</summary>
    public static async Task<byte[]> ReadHeadAsync(Stream body, int length, CancellationToken ct)
    {
        var buffer = new byte[length];
        var filled = 0;
        while (filled < length)
        {
            var n = await body.ReadAsync(buffer.AsMemory(filled), ct);
            if (n == 0) break;
            filled += n;
        }
        return filled == length ? buffer : buffer[..filled];
    }
}
