using Pgo.Fhir.Audit;
using Pgo.Fhir.Rest;
using Pgo.Tests.Shared;
using Shouldly;

namespace Pgo.Api.Tests.Hosting;

/// <summary>docs/settings.md names every setting of the Api and the FHIR engine.</summary>
public sealed class SettingsDocumentTests
{
    [Fact]
    public void Every_Api_and_Fhir_option_is_listed_in_docs_settings()
    {
        var missing = SettingsDocument.Missing([typeof(Program).Assembly, typeof(FhirRepository).Assembly, typeof(Pgo.Observability.TelemetryOptions).Assembly], new Dictionary<Type, string>
        {
            // Fhir classes without a section of their own; the Api binds them (Api/Fhir/FhirHosting.cs).
            [typeof(FhirRepositoryOptions)] = "Fhir",
            [typeof(AuditOptions)] = Pgo.Api.Fhir.FhirHosting.AuditSection,
        });
        missing.ShouldBeEmpty();
    }
}
