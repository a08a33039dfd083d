namespace Pgo.Identity.Hosting;

/// <summary>
/// The folder where Identity keeps its files on the embedded default: the SQLite database
/// (<c>identity.db</c>) and the keys (<c>keys/</c>). Config key <c>Pgo:DataDirectory</c> (<see cref="PgoOptions"/>);
/// default <c>&lt;contentRoot&gt;/../data</c>, the repository's <c>data/</c> folder under <c>./pgo up</c>.
/// </summary>
public sealed class DataDirectory
{
    public DataDirectory(Microsoft.Extensions.Options.IOptions<PgoOptions> options, IHostEnvironment environment)
    {
        var configured = options.Value.DataDirectory;
        Root = Path.GetFullPath(string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(environment.ContentRootPath, "..", "data")
            : configured);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Combine(params string[] parts) => Path.Combine([Root, .. parts]);
}
