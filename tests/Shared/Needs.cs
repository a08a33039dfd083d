namespace Pgo.Tests;

/// <summary>
/// The outside services some tests need (PostgreSQL, Azurite, Redis), one rule for all test projects: a test that needs
/// a missing service never passes without doing its work. Inside <c>./pgo test</c> (infra/test.sh exports
/// PGO_REQUIRE_POSTGRES, PGO_REQUIRE_BLOBS and PGO_REQUIRE_REDIS) or on CI (CI=true) a missing service fails the test;
/// outside it the test is skipped, visibly, with the reason. Linked into every test project by tests/Directory.Build.props.
/// </summary>
public static class Needs
{
    /// <summary>The PostgreSQL server's admin connection string (PGO_TEST_POSTGRES).</summary>
    public static string Postgres() => Service("PGO_TEST_POSTGRES", "PGO_REQUIRE_POSTGRES", "PostgreSQL");

    /// <summary>The Azurite blob connection string (PGO_TEST_BLOBS).</summary>
    public static string Blobs() => Service("PGO_TEST_BLOBS", "PGO_REQUIRE_BLOBS", "Azurite");

    /// <summary>The Redis endpoint of the SignalR backplane (PGO_TEST_REDIS).</summary>
    public static string Redis() => Service("PGO_TEST_REDIS", "PGO_REQUIRE_REDIS", "Redis");

    /// <summary>The cluster test (infra/cluster.sh: nginx in front of two of each app) runs inside ./pgo test (PGO_REQUIRE_NGINX=1)
    /// or on CI, and fails there without nginx; elsewhere it is skipped, visibly: it takes minutes.</summary>
    public static void Nginx()
    {
        if (!Required("PGO_REQUIRE_NGINX")) Assert.Skip("the cluster test runs inside ./pgo test (PGO_REQUIRE_NGINX=1): it starts nginx and two of each app");
        if (!new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.Any(File.Exists)) Assert.Fail("nginx is not installed: the cluster test needs it (./pgo test installs it with apt)");
    }

    /// <summary>True inside ./pgo test or CI for the service that <paramref name="requireVariable"/> names.</summary>
    public static bool Required(string requireVariable) =>
        Environment.GetEnvironmentVariable(requireVariable) == "1"
        || string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private static string Service(string variable, string requireVariable, string name)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value) return value;
        var reason = $"{variable} is not set: this test needs {name} (./pgo test starts one)";
        if (Required(requireVariable)) Assert.Fail(reason);
        Assert.Skip(reason);
        return null!; // not reached: Assert.Skip throws
    }
}
