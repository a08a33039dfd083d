using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;

namespace Pgo.Api.Tests.Dossier;

/// <summary>Restarting the Api writes neither the project terminology nor the demo dossiers again.</summary>
public sealed class StartupLoadingTests
{
    [Fact]
    public async System.Threading.Tasks.Task A_restart_creates_no_new_versions_of_terminology_or_demo_content()
    {
        var dataDir = Directory.CreateTempSubdirectory("pgo-restart-").FullName;
        try
        {
            string Versions(Bundle b) => string.Join(",", b.Entry.Select(e => $"{e.Resource.TypeName}/{e.Resource.Id}/{e.Resource.Meta.VersionId}").Order());
            string before;
            await using (var api = new ApiFactory(demoData: true, dataDir: dataDir))
            {
                var system = api.CreateClient();
                before = Versions(await (await system.GetAsync("/fhir?_type=CodeSystem,ValueSet,Questionnaire,DocumentReference,Task&_count=1000")).ReadAs<Bundle>());
                before.ShouldContain("DocumentReference/dewit-logboek-logeren/3");
                before.ShouldContain($"CodeSystem/pgo-leefgebied/1");
            }
            await using (var api = new ApiFactory(demoData: true, dataDir: dataDir))
            {
                var after = Versions(await (await api.CreateClient().GetAsync("/fhir?_type=CodeSystem,ValueSet,Questionnaire,DocumentReference,Task&_count=1000")).ReadAs<Bundle>());
                after.ShouldBe(before);
            }
        }
        finally
        {
            try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
        }
    }
}
