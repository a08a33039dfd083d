namespace Pgo.Identity.Hosting;

/// <summary>
/// The folder where Identity keeps its files on the embedded default: the SQLite database
/// (<c>identity.db</c>) and the keys (<c>keys/</c>). Config key <c>Pgo:DataDirectory</c>;
/// default <c>&lt;contentRoot&gt;/../data</c>, the repository's <c>data/</c> folder under <c>./pgo up</c>.
/// </summary>
public sealed class DataDirectory
{
    public const string ConfigKey = "Pgo:DataDirectory";

    public DataDirectory(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration[ConfigKey];
        Root = Path.GetFullPath(string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(environment.ContentRootPath, "..", "data")
            : configured);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Combine(params string[] parts) => Path.Combine([Root, .. parts]);
}
