using System.Reflection;
using Pgo.Portal.Tests.Support;
using Pgo.Tests.Shared;

namespace Pgo.Portal.Tests;

/// <summary>docs/settings.md names every setting of the Portal (its assembly is loaded from its build output, as the
/// stack tests run it).</summary>
public class SettingsDocumentTests
{
    [Fact]
    public void Every_Portal_option_is_listed_in_docs_settings()
    {
        var portal = Assembly.LoadFrom(Path.Combine(Repository.Root, "Portal", "bin", Repository.Configuration, "net10.0", "Pgo.Portal.dll"));
        SettingsDocument.Missing([portal]).ShouldBeEmpty();
    }
}
