using System.Net;
using Hl7.Fhir.Model;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;

namespace Pgo.Api.Tests.Fhir;

public class ServerBehaviourTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async System.Threading.Tasks.Task Metadata_describes_the_types_interactions_and_search_parameters_served()
    {
        await using var api = new ApiFactory();
        var statement = await (await api.CreateClient().GetAsync("/fhir/metadata", Ct)).ReadAs<CapabilityStatement>();
        statement.FhirVersion.ShouldBe(FHIRVersion.N4_0_1);
        var patient = statement.Rest[0].Resource.Single(r => r.Type == "Patient");
        patient.Interaction.Select(i => i.Code).ShouldContain(CapabilityStatement.TypeRestfulInteraction.Vread);
        patient.SearchParam.Select(p => p.Name).ShouldContain("birthdate");
        patient.SearchParam.Select(p => p.Name).ShouldContain("_lastUpdated");
        patient.Operation.Single().Name.ShouldBe("everything");
        statement.Rest[0].Interaction.Select(i => i.Code).ShouldContain(CapabilityStatement.SystemRestfulInteraction.Transaction);
    }

    [Fact]
    public async System.Threading.Tasks.Task Prefer_return_minimal_sends_headers_only_and_operation_outcome_sends_an_outcome()
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();
        var minimal = await client.PostAsync("/fhir/Patient", Patient("Kort"), ("Prefer", "return=minimal"));
        minimal.StatusCode.ShouldBe(HttpStatusCode.Created);
        minimal.Headers.Location.ShouldNotBeNull();
        (await minimal.Content.ReadAsStringAsync(Ct)).ShouldBeEmpty();

        var outcome = await client.PostAsync("/fhir/Patient", Patient("Uitkomst"), ("Prefer", "return=OperationOutcome"));
        outcome.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await outcome.Outcome()).Issue[0].Severity.ShouldBe(OperationOutcome.IssueSeverity.Information);
    }

    [Theory]
    [InlineData("Pgo:Benchmark:AccessOff", "true")]
    [InlineData("Pgo:Audit:Enabled", "false")]
    [InlineData("Pgo:Identity:Authority", "")]
    [InlineData("Storage:Durability", "normal")]
    public async System.Threading.Tasks.Task Production_refuses_to_start_with_an_unsafe_setting(string key, string value)
    {
        // Safe defaults: outside Development, access control and the audit log cannot be switched off, tokens need an
        // issuer, and an acknowledged write must survive a power loss unless the operator says otherwise (ADR 2).
        await using var api = new ApiFactory(environment: "Production", settings: new Dictionary<string, string?> { [key] = value });
        var e = Should.Throw<InvalidOperationException>(() => api.CreateClient());
        e.Message.ShouldContain("weigert te starten");
    }

    [Fact]
    public async System.Threading.Tasks.Task Health_says_what_an_acknowledged_write_survives()
    {
        await using (var durable = new ApiFactory())
            (await durable.ClientFor(null).GetStringAsync("/health", Ct)).ShouldContain("synchronous=FULL");
        // The faster mode only when the operator chose it, also in production, and then it says so.
        await using var fast = new ApiFactory(environment: "Production",
            settings: new Dictionary<string, string?> { ["Storage:Durability"] = "normal", ["Storage:AllowNonDurable"] = "true" });
        (await fast.ClientFor(null).GetStringAsync("/health", Ct)).ShouldContain("synchronous=NORMAL");
    }

    [Fact]
    public async System.Threading.Tasks.Task Production_starts_with_consent_enforcement_and_refuses_anonymous_callers()
    {
        await using var api = new ApiFactory(environment: "Production");
        var anonymous = await api.ClientFor(null).GetAsync("/fhir/Patient", Ct);
        anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.Outcome()).Issue[0].Code.ShouldBe(OperationOutcome.IssueType.Login);
        (await api.ClientFor(null).GetAsync("/fhir/metadata", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async System.Threading.Tasks.Task Demo_families_are_loaded_once_and_a_restart_adds_no_versions()
    {
        var dataDir = Directory.CreateTempSubdirectory("pgo-demo-").FullName;
        await using (var api = new ApiFactory(demoData: true, dataDir: dataDir))
        {
            var client = api.CreateClient();
            var luc = await (await client.GetAsync("/fhir/Patient/vanassen-luc", Ct)).ReadAs<Patient>();
            luc.Name[0].Family.ShouldBe("van Assen");
            // The six families' clients, and (issue 18) the own dossiers of Cheryl Strikwerda and Lex de Wit.
            (await client.CountAsync("Patient")).ShouldBe(8);
            (await client.CountAsync("RelatedPerson", "patient=Patient/frank-leo")).ShouldBe(3);
        }
        await using (var restarted = new ApiFactory(demoData: true, dataDir: dataDir))
        {
            var client = restarted.CreateClient();
            (await (await client.GetAsync("/fhir/Patient/vanassen-luc", Ct)).ReadAs<Patient>()).Meta.VersionId.ShouldBe("1");
            (await client.CountAsync("Patient")).ShouldBe(8);
        }
        Directory.Delete(dataDir, recursive: true);
    }

    [Fact]
    public async System.Threading.Tasks.Task Bundles_are_plain_json_with_utc_instants()
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();
        await client.PostAsync("/fhir/Patient", Patient("Plain"));
        var text = await (await client.GetAsync("/fhir/Patient?family=plain&_count=1", Ct)).Content.ReadAsStringAsync(Ct);
        text.ShouldContain("&_offset=0");
        text.ShouldNotContain("\\u0026");
        System.Text.RegularExpressions.Regex.IsMatch(text, "\"lastUpdated\":\"\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z\"").ShouldBeTrue();
    }
}
