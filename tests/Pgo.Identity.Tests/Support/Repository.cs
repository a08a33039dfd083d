namespace Pgo.Identity.Tests.Support;

/// <summary>Files of the repository the tests read (the Development settings, the README).</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (System.IO.File.Exists(Path.Combine(folder.FullName, "Pgo.sln"))) return folder.FullName;
        throw new InvalidOperationException("Pgo.sln not found above " + AppContext.BaseDirectory);
    }
}
