using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Pgo.Identity.Keys;
using Pgo.Identity.Tests.Support;

namespace Pgo.Identity.Tests;

/// <summary>
/// Issue 23: several Identity instances share their keys through the database (Pgo:Keys:Store=Database, ADR 13), and a
/// cluster with keys in a local folder is refused at start.
/// </summary>
public class ClusterKeysTests
{
    [Fact]
    public async Task Two_instances_with_keys_in_the_database_sign_with_the_same_key_and_read_each_others_protected_data()
    {
        var shared = IdentityApp.NewDataDirectory();
        var database = $"Data Source={Path.Combine(shared, "identity.db")}";
        var secrets = IdentityApp.ProductionSecrets();
        Dictionary<string, string?> Settings() => new(secrets) { ["ConnectionStrings:Identity"] = database, ["Pgo:Keys:Store"] = "Database" };
        // Different data folders: nothing is shared but the database. Production: no demo accounts to seed.
        await using var first = new IdentityApp("Production", settings: Settings());
        await using var second = new IdentityApp("Production", settings: Settings());
        first.CreateClient().Dispose();
        second.CreateClient().Dispose();

        var firstKeys = first.Services.GetRequiredService<KeyStore>();
        var secondKeys = second.Services.GetRequiredService<KeyStore>();
        firstKeys.Folder.ShouldBeNull();
        secondKeys.SigningKeys[0].KeyId.ShouldBe(firstKeys.SigningKeys[0].KeyId);
        secondKeys.EncryptionKeys[0].KeyId.ShouldBe(firstKeys.EncryptionKeys[0].KeyId);
        Directory.Exists(Path.Combine(first.DataDirectory, "keys")).ShouldBeFalse();

        var cookie = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("aangemeld");
        second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(cookie).ShouldBe("aangemeld");
        Directory.Delete(shared, recursive: true);
    }

    [Theory]
    [InlineData("Pgo:Cluster:Enabled")]
    [InlineData("Pgo:Cluster")] // the older shape (a value on the section) still counts
    public async Task A_cluster_with_keys_in_a_local_folder_on_SQLite_is_refused_at_start_in_production(string key)
    {
        var settings = IdentityApp.ProductionSecrets();
        settings[key] = "true";
        await using var production = new IdentityApp("Production", settings: settings);

        var failure = Should.Throw<InvalidOperationException>(() => production.CreateClient());

        failure.Message.ShouldStartWith("Pgo.Identity refuses to start:");
        failure.Message.ShouldContain("set Pgo:Keys:Store=Database");
        failure.Message.ShouldContain("Identity's database is a local SQLite file");
        File.Exists(Path.Combine(production.DataDirectory, "identity.db")).ShouldBeFalse();
    }

    [Fact]
    public async Task A_cluster_setting_that_is_not_true_or_false_is_refused_at_start()
    {
        await using var app = new IdentityApp("Development", settings: new Dictionary<string, string?> { ["Pgo:Cluster"] = "ja" });

        var failure = Should.Throw<InvalidOperationException>(() => app.CreateClient());

        failure.Message.ShouldStartWith("Pgo.Identity refuses to start:");
        failure.Message.ShouldContain("Pgo:Cluster='ja': Pgo:Cluster:Enabled must be true or false");
        File.Exists(Path.Combine(app.DataDirectory, "identity.db")).ShouldBeFalse();
    }
}
