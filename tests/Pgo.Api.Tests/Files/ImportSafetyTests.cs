using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Hl7.Fhir.Model;
using Pgo.Api.Files;
using Pgo.Api.Files.Export;
using Pgo.Api.Tests.Fhir;
using Pgo.Fhir.Access;
using Pgo.Fhir.Serialization;
using Shouldly;

namespace Pgo.Api.Tests.Files;

/// <summary>
/// An import is the caller's claim, never trusted (issue 13, invariant 3): it runs for the caller into a new dossier
/// only, with fresh ids, no grants from the zip, and nothing outside the new dossier touched.
/// </summary>
public sealed class ImportSafetyTests
{
    private const string Jesse = "strikwerda-jesse";
    private const string Intruder = "indringer-piet"; // a freshly registered account with no dossier

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_zip_with_a_regie_consent_for_another_familys_client_gives_no_access_to_that_family(string provider)
    {
        FilesHost.Require();
        await using var host = new FilesHost(provider: provider);
        var system = host.Api.CreateClient();
        var before = await (await system.GetAsync($"/fhir/Patient/{Jesse}")).ReadAs<Patient>();

        // The zip claims to be Jesse's dossier (same Patient id), with Piet as its regiehouder.
        var patient = new Patient { Id = Jesse, Name = [new HumanName { Family = "Overgenomen", Given = ["Jesse"] }], BirthDate = "2015-03-01" };
        var piet = new RelatedPerson { Id = "piet", Patient = new ResourceReference($"Patient/{Jesse}"), Name = [new HumanName { Text = "Piet" }] };
        var regie = Grants.Regie("regie-piet", Jesse, ["RelatedPerson/piet"]);
        var response = await host.As(Intruder).PostAsync("/api/dossiers/import?as=RelatedPerson/piet", ExportImportTests.Zip(ZipOf(patient, piet, regie)));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var result = (await response.Content.ReadFromJsonAsync<DossierExport.ImportResult>())!;
        result.PatientId.ShouldNotBe(Jesse);
        result.NietOvergenomen.ShouldHaveSingleItem().Toestemming.ShouldBe("regie-piet");

        // Piet holds his own copy only: Jesse's real dossier stays invisible to him and is unchanged.
        var intruder = host.As(Intruder);
        (await intruder.GetAsync($"/fhir/Patient/{Jesse}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await intruder.GetAsync($"/api/dossiers/{Jesse}/documents")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await (await intruder.GetAsync($"/fhir/Consent?patient=Patient/{Jesse}")).Content.ReadAsStringAsync()).ShouldNotContain("\"resourceType\":\"Consent\"");
        (await intruder.GetAsync($"/api/dossiers/{result.PatientId}/documents")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var after = await (await system.GetAsync($"/fhir/Patient/{Jesse}")).ReadAs<Patient>();
        after.Meta.VersionId.ShouldBe(before.Meta.VersionId);
        after.Name[0].Family.ShouldBe(before.Name[0].Family);
        (await system.GetAsync("/fhir/Consent/regie-piet")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task An_import_cannot_overwrite_an_existing_record_ids_are_remapped(string provider)
    {
        FilesHost.Require();
        await using var host = new FilesHost(provider: provider);
        var system = host.Api.CreateClient();
        // The zip reuses the id of a record of Jesse's dossier for a record of its own.
        var existing = (await (await system.GetAsync($"/fhir/Goal?patient=Patient/{Jesse}&_count=1")).ReadAs<Bundle>()).Entry[0].Resource;
        var json = FhirJson.Serialize(existing);
        var patient = new Patient { Id = "eigen", Name = [new HumanName { Family = "Eigen" }], BirthDate = "2016-01-01" };
        var goal = (Goal)existing.DeepCopy();
        goal.Subject = new ResourceReference("Patient/eigen");
        goal.Description = new CodeableConcept { Text = "Overschreven" };
        goal.Meta = null;
        var response = await host.As(Intruder).PostAsync("/api/dossiers/import?relationship=ouder", ExportImportTests.Zip(ZipOf(patient, goal)));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var result = (await response.Content.ReadFromJsonAsync<DossierExport.ImportResult>())!;

        FhirJson.Serialize(await (await system.GetAsync($"/fhir/{existing.TypeName}/{existing.Id}")).ReadAs<Resource>()).ShouldBe(json);
        var copies = await (await host.As(Intruder).GetAsync($"/fhir/Goal?patient=Patient/{result.PatientId}")).ReadAs<Bundle>();
        var copy = copies.Entry.ShouldHaveSingleItem().Resource.ShouldBeOfType<Goal>();
        copy.Id.ShouldNotBe(existing.Id);
        copy.Description.Text.ShouldBe("Overschreven");
    }

    public static TheoryData<string, string> Refusals() => new()
    {
        { "two-patients", "precies één dossier" },
        { "other-patient-reference", "andere cliënt" },
        { "consent-other-patient", "ander dossier" },
        { "identity", "Person" },
        { "practitioner", "Practitioner" },
        { "foreign-blob", "niet bij dit document" },
    };

    [Theory, MemberData(nameof(Refusals))]
    public async System.Threading.Tasks.Task An_import_naming_another_dossier_or_identity_is_refused_with_the_list_and_stores_nothing(string kind, string expected)
    {
        FilesHost.Require();
        await using var host = new FilesHost(demoData: false);
        var blobsBefore = await host.BlobNamesAsync();
        var patient = new Patient { Id = "nieuw", Name = [new HumanName { Family = "Weigering" }], BirthDate = "2016-01-01" };
        var note = new Observation { Id = "obs", Status = ObservationStatus.Final, Code = new CodeableConcept { Text = "Gewicht" }, Subject = new ResourceReference("Patient/nieuw") };
        Resource[] resources = kind switch
        {
            "two-patients" => [patient, new Patient { Id = Jesse, Name = [new HumanName { Family = "Weigering" }] }],
            "other-patient-reference" => [patient, new Observation { Id = "obs", Status = ObservationStatus.Final, Code = new CodeableConcept { Text = "Gewicht" }, Subject = new ResourceReference($"Patient/{Jesse}") }],
            "consent-other-patient" => [patient, note, Grants.Regie("regie", Jesse, ["Patient/nieuw"])],
            "identity" => [patient, note, new Person { Id = "strikwerda-tessa", Link = [new Person.LinkComponent { Target = new ResourceReference("Patient/nieuw") }] }],
            "practitioner" => [patient, note, new Practitioner { Id = "nieuwe-hulp", Name = [new HumanName { Family = "Weigering" }] }],
            _ => [patient, new DocumentReference
            {
                Id = "brief", Status = DocumentReferenceStatus.Current, Subject = new ResourceReference("Patient/nieuw"), Description = "Weigering",
                Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { ContentType = "application/pdf", Url = DocumentBlobs.UrlOf(Jesse, "demo-strikwerda-jesse-indicatiebesluit") } }],
            }],
        };
        var response = await host.As(Intruder).PostAsync("/api/dossiers/import?relationship=ouder", ExportImportTests.Zip(ZipOf(resources)));
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var problem = await response.Content.ReadAsStringAsync();
        problem.ShouldContain("niets opgeslagen");
        problem.ShouldContain(expected);

        // Nothing stored: no patient, no record, no blob, no link on the intruder's account.
        var system = host.Api.CreateClient();
        (await (await system.GetAsync("/fhir/Patient?family=Weigering")).ReadAs<Bundle>()).Entry.ShouldBeEmpty();
        (await (await system.GetAsync("/fhir/Observation")).ReadAs<Bundle>()).Entry.ShouldBeEmpty();
        (await system.GetAsync($"/fhir/Person/{Intruder}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await host.BlobNamesAsync()).ShouldBe(blobsBefore);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task An_import_that_fails_while_writing_leaves_no_record_no_blob_and_no_link(string provider)
    {
        FilesHost.Require();
        await using var host = new FilesHost(demoData: false, provider: provider);
        var patient = new Patient { Id = "p", Name = [new HumanName { Family = "Halverwege" }], BirthDate = "2016-01-01" };
        var doc = new DocumentReference
        {
            Id = "d", Status = DocumentReferenceStatus.Current, Subject = new ResourceReference("Patient/p"), Description = "Brief",
            Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { ContentType = "application/pdf", Url = DocumentBlobs.UrlOf("p", "d") } }],
        };
        // Valid for the plan, but the project's profiles refuse it in the transaction (a goal needs a leefgebied).
        var goal = new Goal { Id = "g", LifecycleStatus = Goal.GoalLifecycleStatus.Active, Subject = new ResourceReference("Patient/p"), Description = new CodeableConcept { Text = "Zonder leefgebied" } };
        var zip = ZipOf([patient, doc, goal], new Dictionary<string, byte[]> { ["files/p/d"] = Upload.Pdf() });
        var response = await host.As(Intruder).PostAsync("/api/dossiers/import?relationship=ouder", ExportImportTests.Zip(zip));
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await response.Content.ReadAsStringAsync()).ShouldContain("niets opgeslagen");

        var system = host.Api.CreateClient();
        (await (await system.GetAsync("/fhir/Patient?family=Halverwege")).ReadAs<Bundle>()).Entry.ShouldBeEmpty();
        (await (await system.GetAsync("/fhir/DocumentReference")).ReadAs<Bundle>()).Entry.ShouldBeEmpty();
        (await system.GetAsync($"/fhir/Person/{Intruder}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await host.BlobNamesAsync()).ShouldBeEmpty();

        // The same zip without the faulty goal goes in whole, file included.
        var fine = await host.As(Intruder).PostAsync("/api/dossiers/import?relationship=ouder",
            ExportImportTests.Zip(ZipOf([patient, doc], new Dictionary<string, byte[]> { ["files/p/d"] = Upload.Pdf() })));
        fine.StatusCode.ShouldBe(HttpStatusCode.Created, await fine.Content.ReadAsStringAsync());
        var result = (await fine.Content.ReadFromJsonAsync<DossierExport.ImportResult>())!;
        result.Files.ShouldBe(1);
        var listed = (await (await host.As(Intruder).GetAsync($"/api/dossiers/{result.PatientId}/documents")).Content.ReadFromJsonAsync<DocumentView[]>())!;
        var download = await host.As(Intruder).GetAsync(listed.ShouldHaveSingleItem().ContentUrl);
        (await download.Content.ReadAsByteArrayAsync()).ShouldBe(Upload.Pdf());
    }

    /// <summary>An export-shaped zip holding <paramref name="resources"/> (and <paramref name="files"/>, by entry name).</summary>
    private static byte[] ZipOf(Resource[] resources, Dictionary<string, byte[]>? files = null)
    {
        var bundle = new Bundle { Type = Bundle.BundleType.Collection };
        bundle.Entry.AddRange(resources.Select(r => new Bundle.EntryComponent { FullUrl = $"https://elders.example/fhir/{r.TypeName}/{r.Id}", Resource = r }));
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var w = zip.CreateEntry(DossierExport.BundleEntryName).Open())
                w.Write(Encoding.UTF8.GetBytes(FhirJson.Serialize(bundle)));
            foreach (var (name, bytes) in files ?? [])
                using (var w = zip.CreateEntry(name).Open()) w.Write(bytes);
        }
        return ms.ToArray();
    }

    private static byte[] ZipOf(params Resource[] resources) => ZipOf(resources, null);
}
