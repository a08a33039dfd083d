using System.Security.Cryptography;
using Dapper;
using Pgo.Api.Errors;
using Pgo.Api.Files;
using Pgo.Api.TeamSpace.Data;
using Pgo.Api.TeamSpace.Posts;
using Pgo.Shared.Contracts;
using static Pgo.Api.TeamSpace.TeamSpaceAuthorization;

namespace Pgo.Api.TeamSpace.Attachments;

public sealed record AttachmentDownload(Stream Content, string FileName, string ContentType);

/// <summary>
/// Attachments to posts: uploaded into a channel first (size limit; the type checked as for dossier documents by
/// <see cref="FileTypes"/>: the declared kind, from the Content-Type or, when that says nothing (application/octet-stream),
/// the file name's extension, must be allowed and be what the first bytes are; Office files are opened to see that they are
/// one and carry no macros), then named in the post that uses them. Downloads go through the API after the same access decision as the post.
/// Attachments are not scanned for identifying data: the guard reads text only.
/// </summary>
public sealed class AttachmentService(TeamSpaceDatabase db, ITeamAttachmentStore store, TeamSpaceAuthorization authorization, TeamSpaceOptions options, TimeProvider clock)
{
    public async Task<Outcome<AttachmentView>> UploadAsync(TeamAccess access, long channelId, string? fileName, string? contentType, Stream body, CancellationToken ct)
    {
        if (Check(access, TeamOperation.Post, channelId) is { } refused) return refused;
        if (!await authorization.ChannelInTeamAsync(access.TeamId, channelId, ct)) return TeamError.NotFound(ApiText.TeamChannelNotFound);
        var input = new TeamInput();
        var name = input.Text("name", fileName, 120);
        if (name.IndexOfAny(['/', '\\', '"']) >= 0) input.Fail("name", "Een bestandsnaam zonder schuine strepen of aanhalingstekens.");
        if (!input.IsValid) return input.Error();
        var declared = FileTypes.Declared(contentType) ?? (IsGeneric(contentType) ? ByExtension(name) : null);
        if (declared is null) return Unsupported(ApiProblem.Text(ApiText.TeamFileTypesAllowed, FileTypes.AllowedNames));

        // Read at most the limit plus one byte: enough to know the file is too large without storing it.
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > options.MaxAttachmentBytes)
                return new TeamError(413, ApiText.Title413, ApiProblem.Text(ApiText.TeamAttachmentTooLarge, options.MaxAttachmentBytes / (1024 * 1024)));
        }
        if (buffer.Length == 0) return TeamError.Invalid("body", ApiText.TeamFileEmpty);
        var kinds = FileTypes.Sniff(buffer.GetBuffer().AsSpan(0, (int)Math.Min(buffer.Length, FileTypes.HeaderLength)), complete: buffer.Length <= FileTypes.HeaderLength);
        if (kinds.Count == 0) return Unsupported(ApiProblem.Text(ApiText.TeamFileTypesAllowed, FileTypes.AllowedNames));
        if (!kinds.Contains(declared)) return Unsupported(ApiProblem.Text(ApiText.FileContentMismatch, declared.Name, kinds[0].Name));
        if (declared == FileTypes.Docx || declared == FileTypes.Xlsx)
        {
            buffer.Position = 0;
            if (FileTypes.CheckOffice(new MemoryStream(buffer.GetBuffer(), 0, (int)buffer.Length, writable: false), declared) is not null)
                return Unsupported(ApiProblem.Text(ApiText.FileNotOffice, declared.Name));
        }
        var kind = declared;
        name = FileTypes.SafeFileName(name, kind, "bijlage");

        var key = Guid.NewGuid().ToString("N");
        buffer.Position = 0;
        var sha = Convert.ToHexStringLower(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
        await store.WriteAsync(key, buffer, ct);
        var size = buffer.Length;
        try
        {
            var id = await db.WriteAsync((c, tx) => c.ExecuteScalarAsync<long>("""
                INSERT INTO ts_attachment (team_id, channel_id, post_id, file_name, content_type, size_bytes, sha256, storage_key, uploaded_by, created_ms)
                VALUES (@TeamId, @channelId, NULL, @name, @ContentType, @size, @sha, @storageKey, @Key, @now) RETURNING id;
                """, new { access.TeamId, channelId, name, kind.ContentType, size, sha, storageKey = key, access.Caller.Key, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, tx), ct);
            return new AttachmentView(id, name, kind.ContentType, size, $"/api/team/teams/{access.TeamId}/attachments/{id}");
        }
        catch
        {
            await store.DeleteAsync(key, CancellationToken.None);
            throw;
        }
    }

    private static TeamError Unsupported(string detail) => new(415, ApiText.Title415, detail);

    private static bool IsGeneric(string? contentType) =>
        (contentType ?? "").Split(';')[0].Trim().ToLowerInvariant() is "" or "application/octet-stream" or "binary/octet-stream";

    /// <summary>The allowed kind a file name's extension names (.jpeg too), for an upload whose Content-Type says nothing.</summary>
    private static FileKind? ByExtension(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".jpeg" => FileTypes.Jpeg,
        ".heif" => FileTypes.Heic,
        var ext => FileTypes.All.FirstOrDefault(k => k.Extension == ext),
    };

    /// <summary>The bytes of an attachment whose channel the caller may read (unattached uploads only for the uploader).</summary>
    public async Task<Outcome<AttachmentDownload>> DownloadAsync(TeamAccess access, long attachmentId, CancellationToken ct)
    {
        var row = await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<(long ChannelId, long? PostId, string FileName, string ContentType, string StorageKey, string UploadedBy, long? DeletedMs)>("""
            SELECT a.channel_id, a.post_id, a.file_name, a.content_type, a.storage_key, a.uploaded_by, p.deleted_ms
            FROM ts_attachment a LEFT JOIN ts_post p ON p.id = a.post_id
            WHERE a.id = @attachmentId AND a.team_id = @TeamId;
            """, new { attachmentId, access.TeamId }), ct);
        var notFound = Check(access, TeamOperation.ReadTeam) ?? TeamError.NotFound(ApiText.TeamAttachmentNotFound);
        if (row.StorageKey is null || !Can(access, TeamOperation.ReadChannel, row.ChannelId)) return notFound;
        if (row.DeletedMs is not null || (row.PostId is null && row.UploadedBy != access.Caller.Key)) return notFound;
        var stream = await store.OpenReadAsync(row.StorageKey, ct);
        return stream is null ? notFound : new AttachmentDownload(stream, row.FileName, row.ContentType);
    }
}
