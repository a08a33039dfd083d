using System.Diagnostics;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;

namespace Pgo.Api.Tests.Fhir;

/// <summary>Clients this project did not write talk to the server: the Firely SDK's FhirClient and fhir-kit-client (npm).</summary>
public class IndependentClientTests
{
    [Fact]
    public async System.Threading.Tasks.Task The_firely_FhirClient_creates_reads_searches_and_runs_a_transaction()
    {
        await using var api = new ApiFactory();
        var http = api.CreateClient();
        using var client = new FhirClient(new Uri(http.BaseAddress!, "/fhir/"), http, new FhirClientSettings { PreferredFormat = ResourceFormat.Json });

        var statement = await client.CapabilityStatementAsync();
        statement!.FhirVersion.ShouldBe(FHIRVersion.N4_0_1);

        var created = await client.CreateAsync(new Patient { Name = [new HumanName { Family = "Firely", Given = ["Kim"] }] });
        created!.Meta.VersionId.ShouldBe("1");
        var read = await client.ReadAsync<Patient>($"Patient/{created.Id}");
        read!.Name[0].Family.ShouldBe("Firely");

        read.Gender = AdministrativeGender.Female;
        var updated = await client.UpdateAsync(read, versionAware: true);
        updated!.Meta.VersionId.ShouldBe("2");

        var bundle = await client.SearchAsync<Patient>(["family=firely"]);
        bundle!.Total.ShouldBe(1);

        var tx = new TransactionBuilder(client.Endpoint).Create(new Goal
        {
            LifecycleStatus = Goal.GoalLifecycleStatus.Proposed,
            Description = new CodeableConcept { Text = "Logeren oefenen" },
            Subject = new ResourceReference($"Patient/{created.Id}"),
        }).ToBundle();
        var result = await client.TransactionAsync(tx);
        result!.Entry[0].Response.Status.ShouldStartWith("201");

        await client.DeleteAsync($"Patient/{created.Id}");
        var gone = await Should.ThrowAsync<FhirOperationException>(() => client.ReadAsync<Patient>($"Patient/{created.Id}"));
        gone.Status.ShouldBe(System.Net.HttpStatusCode.Gone);
    }

    [Fact]
    public async System.Threading.Tasks.Task The_npm_fhir_kit_client_passes_its_checks_against_a_running_server()
    {
        var clients = Path.Combine(OfficialExamples.RepositoryRoot, "tests", "clients");
        if (!Directory.Exists(Path.Combine(clients, "node_modules", "fhir-kit-client")))
            throw new InvalidOperationException($"fhir-kit-client is not installed: run `npm ci --prefix {clients}` (./pgo test does).");
        var dataDir = Directory.CreateTempSubdirectory("pgo-kit-").FullName;
        try
        {
            using var server = await ApiProcess.StartAsync(dataDir);
            // The same bearer token the test's own client uses (a system client's, signed by the test key).
            var token = server.Client.DefaultRequestHeaders.Authorization!.Parameter!;
            var psi = new ProcessStartInfo("node", [Path.Combine(clients, "fhir-kit-check.mjs"), server.Client.BaseAddress + "fhir", token])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var node = Process.Start(psi)!;
            var stdout = node.StandardOutput.ReadToEndAsync();
            var stderr = node.StandardError.ReadToEndAsync();
            await node.WaitForExitAsync(TestContext.Current.CancellationToken);
            var output = await stdout + await stderr;
            TestContext.Current.TestOutputHelper?.WriteLine(output);
            node.ExitCode.ShouldBe(0, output);
            output.ShouldContain("ok transaction");
            output.ShouldContain("all checks passed");
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
