using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using Pgo.Api.Hosting;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;

namespace Pgo.Api.Dossier;

/// <summary>
/// Puts the project's CodeSystems and ValueSets (<see cref="PgoCodes"/>) and its questionnaires in the repository at start-up, in every
/// environment: the Portal and apps read them at /fhir/CodeSystem and /fhir/ValueSet. They are directory resources,
/// readable by every signed-in person and writable only by the platform. A code list that changed in a new release is
/// written as a new version; an unchanged one is left alone (no new version on restart).
/// </summary>
public static class ProjectTerminology
{
    public static async System.Threading.Tasks.Task LoadProjectTerminologyAsync(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<PgoOptions>>().Value.LoadTerminology) return;
        var repo = app.Services.GetRequiredService<FhirRepository>();
        var ctx = new FhirContext(CallerContext.System("terminology"), "urn:pgo:terminology");
        var all = Resources().ToList();
        var stored = await repo.AsPlatform(PlatformPurpose.Terminology, ctx).ReadManyAsync(all.Select(r => (r.TypeName, r.Id!)).ToList());
        var changed = all.Where((resource, i) => !(stored[i] is { Deleted: false } s && Same(FhirJson.Parse(s.Json), resource))).ToList();
        if (changed.Count == 0) return;
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        foreach (var r in changed)
            bundle.Entry.Add(new Bundle.EntryComponent { Resource = r, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"{r.TypeName}/{r.Id}" } });
        await repo.ProcessBundleAsync(ctx, bundle);
        app.Logger.LogInformation("Project terminology: {Count} CodeSystems/ValueSets written", changed.Count);
    }

    public static IEnumerable<Resource> Resources() =>
        PgoCodes.CodeSystems().Cast<Resource>().Concat(PgoCodes.ValueSets()).Concat(ProjectQuestionnaires.All());

    private static bool Same(Resource stored, Resource wanted)
    {
        var a = (Resource)stored.DeepCopy();
        a.Meta = null;
        return a.IsExactly(wanted);
    }
}
