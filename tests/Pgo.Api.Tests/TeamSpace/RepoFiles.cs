namespace Pgo.Api.Tests.TeamSpace;

/// <summary>Files of the checkout the tests read (test data beside the tests, another project's source as a contract).</summary>
internal static class RepoFiles
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Pgo.sln"))) return dir.FullName;
        throw new InvalidOperationException("Pgo.sln not found above " + AppContext.BaseDirectory);
    }
}
