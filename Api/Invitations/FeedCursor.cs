using System.Text.Json;

namespace Pgo.Api.Invitations;

/// <summary>
/// Where the Api is in Identity's accepted-invitations feed, kept in <c>&lt;data&gt;/invitations-feed.json</c> so a
/// restart continues where it stopped. The feed's <c>since</c> is inclusive, so the ids already handled at that very
/// instant are kept too. Losing the file costs only work: every item is applied idempotently (conditional creates).
/// </summary>
public sealed class FeedCursor(string path)
{
    public sealed record State(DateTime? Since, string[] DoneAtSince);

    public string Path => path;

    public State Load()
    {
        if (!File.Exists(path)) return new State(null, []);
        return JsonSerializer.Deserialize<State>(File.ReadAllText(path)) ?? new State(null, []);
    }

    /// <summary>Written to a temporary file and renamed over the old one: a crash leaves the old or the new cursor, never half.</summary>
    public void Save(State state)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            JsonSerializer.Serialize(file, state);
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
