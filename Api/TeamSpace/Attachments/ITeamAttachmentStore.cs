namespace Pgo.Api.TeamSpace.Attachments;

/// <summary>
/// Where attachment bytes live. The seam for the blob storage the dossier/files issue brings (Azure Blob
/// Storage, Azurite locally): implement this over it and register it instead of <see cref="LocalDiskAttachmentStore"/>.
/// Metadata, checks and access decisions stay in <see cref="AttachmentService"/>; a store only keeps bytes by key.
/// </summary>
public interface ITeamAttachmentStore
{
    Task WriteAsync(string key, Stream content, CancellationToken ct);

    /// <summary>The bytes, or null when the key is unknown.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken ct);

    Task DeleteAsync(string key, CancellationToken ct);
}

/// <summary>Attachments as files under {Pgo:DataDirectory}/teamspace-files (keys are generated, never taken from a file name).</summary>
public sealed class LocalDiskAttachmentStore(string root) : ITeamAttachmentStore
{
    private string PathOf(string key)
    {
        if (key.Length == 0 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')) throw new ArgumentException("Ongeldige sleutel.", nameof(key));
        return Path.Combine(root, key);
    }

    public async Task WriteAsync(string key, Stream content, CancellationToken ct)
    {
        Directory.CreateDirectory(root);
        var path = PathOf(key);
        var temp = path + ".tmp";
        await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            await content.CopyToAsync(file, ct);
            await file.FlushAsync(ct);
        }
        File.Move(temp, path);
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken ct)
    {
        var path = PathOf(key);
        return Task.FromResult<Stream?>(File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true) : null);
    }

    public Task DeleteAsync(string key, CancellationToken ct)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }
}
