using System.Security.Cryptography;
using Dapper;
using Pgo.Api.Errors;
using Pgo.Api.TeamSpace.Data;
using Pgo.Api.TeamSpace.Posts;
using Pgo.Shared.Contracts;
using static Pgo.Api.TeamSpace.TeamSpaceAuthorization;

namespace Pgo.Api.TeamSpace.Attachments;

public sealed record AttachmentDownload(Stream Content, string FileName, string ContentType);

/// <summary>
/// Attachments to posts: uploaded into a channel first (size limit, type by magic bytes), then named in the
/// post that uses them. Downloads go through the API after the same access decision as the post.
/// Attachments are not scanned for identifying data: the guard reads text only.
/// </summary>
public sealed class AttachmentService(TeamSpaceDatabase db, ITeamAttachmentStore store, TeamSpaceAuthorization authorization, TeamSpaceOptions options, TimeProvider clock)
{
    public async Task<Outcome<AttachmentView>> UploadAsync(TeamAccess access, long channelId, string? fileName, Stream body, CancellationToken ct)
    {
        if (Check(access, TeamOperation.Post, channelId) is { } refused) return refused;
        if (!await authorization.ChannelInTeamAsync(access.TeamId, channelId, ct)) return TeamError.NotFound(ApiText.TeamChannelNotFound);
        var input = new TeamInput();
        var name = input.Text("name", fileName, 120);
        if (name.IndexOfAny(['/', '\\', '"']) >= 0) input.Fail("name", "Een bestandsnaam zonder schuine strepen of aanhalingstekens.");
        if (!input.IsValid) return input.Error();

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
        var kind = FileSniffer.Sniff(buffer.GetBuffer().AsSpan(0, (int)Math.Min(buffer.Length, FileSniffer.HeaderLength)));
        if (kind is null) return new TeamError(415, ApiText.Title415, ApiProblem.Text(ApiText.TeamFileTypesAllowed, FileSniffer.AllowedNames));

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
                """, new { access.TeamId, channelId, name, kind.Value.ContentType, size, sha, storageKey = key, access.Caller.Key, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, tx), ct);
            return new AttachmentView(id, name, kind.Value.ContentType, size, $"/api/team/teams/{access.TeamId}/attachments/{id}");
        }
        catch
        {
            await store.DeleteAsync(key, CancellationToken.None);
            throw;
        }
    }

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
