using Pgo.Tests.Shared;

namespace Pgo.Identity.Tests;

/// <summary>docs/settings.md names every setting of Identity.</summary>
public class SettingsDocumentTests
{
    [Fact]
    public void Every_Identity_option_is_listed_in_docs_settings() =>
        SettingsDocument.Missing([typeof(Pgo.Identity.Hosting.IdentityHost).Assembly]).ShouldBeEmpty();
}
