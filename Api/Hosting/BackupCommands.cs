using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Pgo.Api.Files;
using Pgo.Fhir.Storage;

namespace Pgo.Api.Hosting;

/// <summary>
/// The Api's backup verbs (infra/backup-drill.sh, infra/README.md "Backups and the restore drill"): run instead of the
/// server, with the same configuration (ConnectionStrings:Fhir, Storage:Blobs, Files:Container).
/// <list type="bullet">
/// <item><c>export-blobs DIR</c>: every blob of the document container into DIR (same names), and DIR/manifest.tsv
/// (name, bytes, SHA-256);</item>
/// <item><c>import-blobs DIR</c>: DIR's blobs into the container (created when missing), each checked against the
/// manifest before it is uploaded;</item>
/// <item><c>inventory</c>: what a restore must bring back, one line each: the live resources per type, the resource
/// versions, the audit chain (verified) and the blobs (count and a SHA-256 over the manifest).</item>
/// </list>
/// Exit code 0 when done, 1 when something did not match or the chain is broken, 2 for a wrong call.
/// </summary>
public sealed class BackupCommands
{
    private static readonly string[] Verbs = ["export-blobs", "import-blobs", "inventory"];

    private BackupCommands(string verb, string? directory, string[] hostArgs)
    {
        Verb = verb;
        Directory = directory;
        HostArgs = hostArgs;
    }

    public string Verb { get; }
    public string? Directory { get; }

    /// <summary>The arguments left for the host's configuration (without the verb and its folder).</summary>
    public string[] HostArgs { get; }

    /// <summary>The verb in <paramref name="args"/>, or null when the Api is to run as a server.</summary>
    public static BackupCommands? Parse(string[] args)
    {
        var at = Array.FindIndex(args, a => Verbs.Contains(a, StringComparer.Ordinal));
        if (at < 0) return null;
        var verb = args[at];
        var takesFolder = verb != "inventory";
        var directory = takesFolder && at + 1 < args.Length ? args[at + 1] : null;
        var rest = args.Where((_, i) => i != at && !(takesFolder && i == at + 1)).ToArray();
        return new BackupCommands(verb, directory, rest);
    }

    public async Task<int> RunAsync(IServiceProvider services, TextWriter output, CancellationToken ct = default)
    {
        if (Verb != "inventory" && string.IsNullOrEmpty(Directory))
        {
            await output.WriteLineAsync($"{Verb}: give the folder, e.g. dotnet Pgo.Api.dll {Verb} /backup/blobs");
            return 2;
        }
        var blobs = services.GetRequiredService<FileStorage>().Blobs;
        if (Verb != "inventory" && blobs is null)
        {
            await output.WriteLineAsync($"{Verb}: Storage:Blobs is not set");
            return 2;
        }
        return Verb switch
        {
            "export-blobs" => await ExportAsync(blobs!, Directory!, output, ct),
            "import-blobs" => await ImportAsync(blobs!, Directory!, output, ct),
            _ => await InventoryAsync(services, blobs, output, ct),
        };
    }

    private static async Task<int> ExportAsync(DocumentBlobs blobs, string directory, TextWriter output, CancellationToken ct)
    {
        System.IO.Directory.CreateDirectory(directory);
        var manifest = new List<string>();
        if (await blobs.Container.ExistsAsync(ct))
        {
            await foreach (var item in blobs.Container.GetBlobsAsync(cancellationToken: ct))
            {
                var path = PathOf(directory, item.Name);
                System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await blobs.Container.GetBlobClient(item.Name).DownloadToAsync(path, ct);
                manifest.Add(await ManifestLineAsync(item.Name, path, ct));
            }
        }
        manifest.Sort(StringComparer.Ordinal);
        await File.WriteAllLinesAsync(Path.Combine(directory, "manifest.tsv"), manifest, ct);
        await output.WriteLineAsync($"exported {manifest.Count} blobs to {directory}");
        return 0;
    }

    private static async Task<int> ImportAsync(DocumentBlobs blobs, string directory, TextWriter output, CancellationToken ct)
    {
        await blobs.Container.CreateIfNotExistsAsync(cancellationToken: ct);
        var lines = await File.ReadAllLinesAsync(Path.Combine(directory, "manifest.tsv"), ct);
        foreach (var line in lines.Where(l => l.Length > 0))
        {
            var name = line.Split('\t')[0];
            var path = PathOf(directory, name);
            if (await ManifestLineAsync(name, path, ct) != line)
            {
                await output.WriteLineAsync($"import-blobs: {name} does not match the manifest; nothing more imported");
                return 1;
            }
            await using var file = File.OpenRead(path);
            await blobs.Container.GetBlobClient(name).UploadAsync(file, overwrite: true, ct);
        }
        await output.WriteLineAsync($"imported {lines.Count(l => l.Length > 0)} blobs from {directory}");
        return 0;
    }

    private static async Task<int> InventoryAsync(IServiceProvider services, DocumentBlobs? blobs, TextWriter output, CancellationToken ct)
    {
        var store = services.GetRequiredService<IAuditStore>();
        var inventory = await store.InventoryAsync(ct);
        foreach (var (type, live) in inventory.Types)
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"resources {type} {live}"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"versions {inventory.Versions}"));
        var audit = await store.VerifyAuditAsync(ct);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"audit {(audit.Ok ? "intact" : "BROKEN")} {audit.Entries}"));
        if (blobs is not null)
        {
            var manifest = new List<string>();
            if (await blobs.Container.ExistsAsync(ct))
            {
                await foreach (var item in blobs.Container.GetBlobsAsync(cancellationToken: ct))
                {
                    await using var content = await blobs.Container.GetBlobClient(item.Name).OpenReadAsync(cancellationToken: ct);
                    manifest.Add(ManifestLine(item.Name, content.Length, await SHA256.HashDataAsync(content, ct)));
                }
            }
            manifest.Sort(StringComparer.Ordinal);
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", manifest))));
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"blobs {manifest.Count} {hash}"));
        }
        return audit.Ok ? 0 : 1;
    }

    private static async Task<string> ManifestLineAsync(string name, string path, CancellationToken ct)
    {
        await using var file = File.OpenRead(path);
        return ManifestLine(name, file.Length, await SHA256.HashDataAsync(file, ct));
    }

    /// <summary>One manifest line, the same for a file in the backup and a blob in the container: name, bytes, SHA-256.</summary>
    private static string ManifestLine(string name, long length, byte[] hash) =>
        string.Create(CultureInfo.InvariantCulture, $"{name}\t{length}\t{Convert.ToHexStringLower(hash)}");

    /// <summary>The file of blob <paramref name="name"/> under <paramref name="directory"/>; a name that would leave it is refused.</summary>
    private static string PathOf(string directory, string name)
    {
        var root = Path.GetFullPath(directory);
        var path = Path.GetFullPath(Path.Combine(root, "blobs", name));
        if (!path.StartsWith(Path.Combine(root, "blobs") + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new InvalidOperationException($"Blob name '{name}' leaves the backup folder.");
        return path;
    }
}
