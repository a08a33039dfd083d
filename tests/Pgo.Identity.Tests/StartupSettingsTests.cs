using Pgo.Identity.Tests.Support;

namespace Pgo.Identity.Tests;

/// <summary>
/// Issue 15: Identity binds every setting at start and refuses unsafe ones (Hosting/UnsafeSettings) before it touches
/// its database, naming every problem at once.
/// </summary>
public class StartupSettingsTests
{
    [Fact]
    public async Task Production_with_a_short_secret_and_half_the_keys_fails_at_start_with_both_problems_and_no_database()
    {
        await using var production = new IdentityApp("Production", settings: new Dictionary<string, string?>
        {
            ["Pgo:Clients:Portal:Secret"] = "too-short",
            ["Pgo:Clients:System:Secret"] = "system-" + Guid.NewGuid().ToString("N"),
            ["Pgo:Keys:Signing:0"] = "-----BEGIN PRIVATE KEY-----",
        });

        var failure = Should.Throw<InvalidOperationException>(() => production.CreateClient());

        failure.Message.ShouldStartWith("Pgo.Identity refuses to start:");
        failure.Message.ShouldContain("Pgo:Clients:Portal:Secret is shorter than 32 characters");
        failure.Message.ShouldContain("Configure both Pgo:Keys:Signing and Pgo:Keys:Encryption, or neither");
        File.Exists(Path.Combine(production.DataDirectory, "identity.db")).ShouldBeFalse();
    }

    [Fact]
    public async Task An_issuer_that_is_not_an_absolute_url_fails_at_start_before_the_database()
    {
        await using var app = new IdentityApp("Development", settings: new Dictionary<string, string?> { ["Pgo:Issuer"] = "identity.example" });

        var failure = Should.Throw<InvalidOperationException>(() => app.CreateClient());

        failure.Message.ShouldStartWith("Pgo.Identity refuses to start:");
        failure.Message.ShouldContain("Pgo:Issuer must be an absolute URL");
        File.Exists(Path.Combine(app.DataDirectory, "identity.db")).ShouldBeFalse();
    }

}
