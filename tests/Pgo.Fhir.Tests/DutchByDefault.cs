using System.Globalization;
using System.Runtime.CompilerServices;

namespace Pgo.Fhir.Tests;

/// <summary>The engine's texts follow CurrentUICulture (Fhir/Messages). The tests assert the Dutch texts the Api
/// answers by default, so they run in Dutch on every machine, whatever its own language.</summary>
internal static class DutchByDefault
{
    [ModuleInitializer]
    internal static void Initialize()
    {
        CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.GetCultureInfo("nl");
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("nl");
    }
}
