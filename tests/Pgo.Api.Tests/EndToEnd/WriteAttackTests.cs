using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Pgo.Api.Tests.Fhir;
using Pgo.Fhir.Access;
using Pgo.Fhir.Serialization;
using static Pgo.Fhir.Access.PgoCodes;
using Task = System.Threading.Tasks.Task;

namespace Pgo.Api.Tests.EndToEnd;

/// <summary>
/// Identity and the Api as real processes with the demo families (and, with PGO_TEST_BLOBS, their documents in a
/// container of their own). One attacker: a freshly registered account that started a dossier of its own, as anyone
/// can. The victim is the Strikwerda family; Tessa is its regiehouder.
/// </summary>
public sealed class AttackedPlatform : IAsyncLifetime
{
    public const string Victim = "strikwerda-jesse";
    public const string Finances = "strikwerda-financien-overzicht";
    public const string VictimDocument = "demo-strikwerda-jesse-indicatiebesluit";

    private readonly string root = Directory.CreateTempSubdirectory("pgo-attack-").FullName;
    internal IdentityProcess Identity { get; private set; } = null!;
    internal ApiProcess Api { get; private set; } = null!;
    public string ApiUrl => Api.BaseAddress.ToString().TrimEnd('/');
    public bool HasBlobs { get; } = Environment.GetEnvironmentVariable("PGO_TEST_BLOBS") is { Length: > 0 };

    /// <summary>The attacker's access token, Person and own dossier (Patient id and the RelatedPerson he acts as).</summary>
    public string Attacker { get; private set; } = "";
    public string AttackerPerson { get; private set; } = "";
    public string OwnPatient { get; private set; } = "";
    public string OwnRecord { get; private set; } = "";
    public string Tessa { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        Identity = await IdentityProcess.StartAsync(Path.Combine(root, "identity"));
        var environment = new Dictionary<string, string>
        {
            ["Pgo__LoadDemoData"] = "true",
            ["Pgo__Invitations__ClientSecret"] = "development-only-system-secret",
        };
        if (HasBlobs)
        {
            environment["Storage__Blobs"] = Environment.GetEnvironmentVariable("PGO_TEST_BLOBS")!;
            environment["Files__Container"] = "attack-" + Guid.NewGuid().ToString("N")[..16];
        }
        // The demo families and their documents load at start; on a busy machine that takes a while.
        Api = await ApiProcess.StartAsync(Path.Combine(root, "api"), environment, identityAuthority: Identity.BaseUrl, startSeconds: 180);

        (Attacker, AttackerPerson, OwnPatient, OwnRecord) = await NewAttackerAsync();

        using var tessa = new Person(Identity.BaseUrl);
        await tessa.SignInAsync("tessa@strikwerda.example");
        Tessa = (await tessa.CodeFlowAsync("openid fhirUser user/*.cruds")).GetProperty("access_token").GetString()!;
    }

    /// <summary>Registers an account, signs in through the Portal's code flow and starts a dossier: (token, Person,
    /// own Patient, the record he acts as there).</summary>
    public async Task<(string Token, string Person, string Patient, string Record)> NewAttackerAsync()
    {
        using var attacker = new Person(Identity.BaseUrl);
        var email = $"nieuw-{Guid.NewGuid():N}@example.org";
        const string password = "een lange zin die niemand raadt";
        var registered = await attacker.SubmitAsync("/registreren", new Dictionary<string, string>
        {
            ["Form.DisplayName"] = "Nieuwe Gebruiker", ["Form.Email"] = email, ["Form.Password"] = password,
        });
        // Registration answers alike for new and existing addresses and signs nobody in (issue 13, W8): sign in next.
        registered.StatusCode.ShouldBe(HttpStatusCode.OK, await registered.Content.ReadAsStringAsync());
        await attacker.SignInAsync(email, password);
        var token = (await attacker.CodeFlowAsync("openid fhirUser user/*.cruds")).GetProperty("access_token").GetString()!;
        var started = await SendAsync(HttpMethod.Post, "/api/dossiers", token,
            JsonContent.Create(new { given = "Eigen", family = "Kind", birthDate = "2016-04-01", relationship = "ouder" }));
        started.StatusCode.ShouldBe(HttpStatusCode.Created, await started.Content.ReadAsStringAsync());
        var created = await started.Content.ReadFromJsonAsync<JsonElement>();
        var person = JsonDocument.Parse(Encoding.UTF8.GetString(Base64Url(token.Split('.')[1]))).RootElement.GetProperty("fhirUser").GetString()!;
        return (token, person, created.GetProperty("patientId").GetString()!, created.GetProperty("regiehouder").GetString()!);
    }

    private static byte[] Base64Url(string s)
    {
        s = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, HttpContent? content = null, params (string, string)[] headers)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(method, ApiUrl + path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    public static StringContent Fhir(Resource r) => new(FhirJson.Serialize(r), Encoding.UTF8, "application/fhir+json");

    public ValueTask DisposeAsync()
    {
        Api?.Dispose();
        Identity?.Dispose();
        try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// The examples of issue 13, each tried through the public endpoints by a freshly registered account, and each
/// ending with what matters: he still cannot read the other family's data (and answers that would tell him that
/// something exists look exactly like "not found").
/// </summary>
public sealed class WriteAttackTests(AttackedPlatform p) : IClassFixture<AttackedPlatform>
{
    private static readonly string[] VictimData =
    [
        $"Patient/{AttackedPlatform.Victim}", $"DocumentReference/{AttackedPlatform.Finances}", "Goal/strikwerda-doel-bewind",
        "Condition/strikwerda-dementie", "Communication/strikwerda-bericht-1", "CarePlan/strikwerda-plan",
    ];

    private Task<HttpResponseMessage> AsAttacker(HttpMethod method, string path, HttpContent? content = null, params (string, string)[] headers) =>
        p.SendAsync(method, path, p.Attacker, content, headers);

    /// <summary>The goal of every attack: none of the family's data, by read or search, for the attacker.</summary>
    private async Task StillCannotReadTheOtherFamilyAsync(string attack, string? token = null)
    {
        Task<HttpResponseMessage> AsAttacker(HttpMethod method, string path) => p.SendAsync(method, path, token ?? p.Attacker);
        foreach (var item in VictimData)
            (await AsAttacker(HttpMethod.Get, "/fhir/" + item)).StatusCode.ShouldBe(HttpStatusCode.NotFound, $"after {attack}: {item} is readable");
        foreach (var search in new[] { $"/fhir/DocumentReference?subject=Patient/{AttackedPlatform.Victim}", $"/fhir/Patient?_id={AttackedPlatform.Victim}",
                     $"/fhir/Consent?patient=Patient/{AttackedPlatform.Victim}", $"/fhir/Communication?subject=Patient/{AttackedPlatform.Victim}" })
        {
            var bundle = await AsAttacker(HttpMethod.Get, search);
            bundle.StatusCode.ShouldBe(HttpStatusCode.OK, search);
            var json = await bundle.Content.ReadFromJsonAsync<JsonElement>();
            json.GetProperty("total").GetInt32().ShouldBe(0, $"after {attack}: {search} finds something");
        }
        (await AsAttacker(HttpMethod.Get, $"/fhir/Patient/{AttackedPlatform.Victim}/$everything")).StatusCode.ShouldBe(HttpStatusCode.NotFound, attack);
    }

    private static async Task<string> BodyAsync(HttpResponseMessage r) => $"{(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}";

    /// <summary>Imports and files need blob storage: without PGO_TEST_BLOBS the test is skipped (it fails under ./pgo test or CI).</summary>
    private static void NeedsBlobs() => Needs.Blobs();

    /// <summary>What the platform answered an attack that may be refused in more than one way (shown with the test).</summary>
    private static async Task ShowAsync(string what, HttpResponseMessage r) =>
        TestContext.Current.TestOutputHelper?.WriteLine($"{what}: {await BodyAsync(r)}");

    [Theory]
    [InlineData("RelatedPerson/strikwerda-tessa")]
    [InlineData("Patient/strikwerda-jesse")]
    [InlineData("Practitioner/bondgenoot-ricardo")]
    public async Task A_new_account_linking_its_Person_to_another_familys_identity_is_refused_and_becomes_nobody_there(string target)
    {
        var mine = await AsAttacker(HttpMethod.Get, "/fhir/" + p.AttackerPerson);
        var person = mine.StatusCode == HttpStatusCode.OK
            ? FhirJson.Parse<Hl7.Fhir.Model.Person>(await mine.Content.ReadAsStringAsync())
            : new Hl7.Fhir.Model.Person { Id = p.AttackerPerson["Person/".Length..], Link = [new Hl7.Fhir.Model.Person.LinkComponent { Target = new ResourceReference(p.OwnRecord) }] };
        person.Meta = null;
        person.Link.Add(new Hl7.Fhir.Model.Person.LinkComponent { Target = new ResourceReference(target) });
        var put = await AsAttacker(HttpMethod.Put, "/fhir/" + p.AttackerPerson, AttackedPlatform.Fhir(person));
        await ShowAsync("Person link", put);
        new[] { HttpStatusCode.Forbidden, HttpStatusCode.NotFound }.ShouldContain(put.StatusCode, await BodyAsync(put));

        // A second Person naming the same target is refused too.
        var another = new Hl7.Fhir.Model.Person { Link = [new Hl7.Fhir.Model.Person.LinkComponent { Target = new ResourceReference(target) }] };
        var post = await AsAttacker(HttpMethod.Post, "/fhir/Person", AttackedPlatform.Fhir(another));
        new[] { HttpStatusCode.Forbidden, HttpStatusCode.NotFound }.ShouldContain(post.StatusCode, await BodyAsync(post));
        await StillCannotReadTheOtherFamilyAsync($"a Person link to {target}");
    }

    [Fact]
    public async Task A_Consent_labelled_with_a_section_naming_the_attacker_regiehouder_of_another_dossier_is_refused_as_not_found()
    {
        var consent = Grants.Regie(null, AttackedPlatform.Victim, [p.OwnRecord]);
        (consent.Meta = new Meta()).Security.Add(new Coding(Section.System, Section.Logboek));
        var response = await AsAttacker(HttpMethod.Post, "/fhir/Consent", AttackedPlatform.Fhir(consent));
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound, await BodyAsync(response));
        // The same answer as for a dossier that does not exist.
        var nowhere = Grants.Regie(null, "bestaat-niet-" + Guid.NewGuid().ToString("N")[..8], [p.OwnRecord]);
        nowhere.Meta = consent.Meta;
        (await AsAttacker(HttpMethod.Post, "/fhir/Consent", AttackedPlatform.Fhir(nowhere))).StatusCode.ShouldBe(response.StatusCode);
        await StillCannotReadTheOtherFamilyAsync("a labelled regie Consent");
    }

    [Fact]
    public async Task A_Consent_in_his_own_dossier_granting_himself_another_familys_item_opens_nothing()
    {
        var consent = Grants.Grant(null, p.OwnPatient, p.OwnRecord, GrantRole.Gezinslid, null);
        consent.Provision!.Data.Add(new Consent.provisionDataComponent
        {
            Meaning = Consent.ConsentDataMeaning.Instance, Reference = new ResourceReference($"DocumentReference/{AttackedPlatform.Finances}"),
        });
        var response = await AsAttacker(HttpMethod.Post, "/fhir/Consent", AttackedPlatform.Fhir(consent));
        await ShowAsync("item grant", response);
        ((int)response.StatusCode).ShouldBeLessThan(500, await BodyAsync(response));
        await StillCannotReadTheOtherFamilyAsync("an item grant in his own dossier naming another family's document");
    }

    [Fact]
    public async Task A_Condition_labelled_plan_for_another_familys_client_is_refused_as_not_found()
    {
        var condition = new Condition { Subject = new ResourceReference($"Patient/{AttackedPlatform.Victim}"), Code = new CodeableConcept { Text = "x" } };
        (condition.Meta = new Meta()).Security.Add(new Coding(Section.System, Section.Plan));
        var response = await AsAttacker(HttpMethod.Post, "/fhir/Condition", AttackedPlatform.Fhir(condition));
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound, await BodyAsync(response));
        condition.Subject = new ResourceReference("Patient/bestaat-niet-" + Guid.NewGuid().ToString("N")[..8]);
        (await AsAttacker(HttpMethod.Post, "/fhir/Condition", AttackedPlatform.Fhir(condition))).StatusCode.ShouldBe(response.StatusCode);
        await StillCannotReadTheOtherFamilyAsync("a Condition labelled plan");
    }

    [Fact]
    public async Task A_Group_naming_his_own_client_and_another_familys_is_refused_and_not_visible_in_the_other_dossier()
    {
        var key = Guid.NewGuid().ToString("N");
        var group = new Group
        {
            Type = Group.GroupType.Person, Actual = true, Identifier = [new Identifier("urn:pgo:attack", key)],
            Member = [new Group.MemberComponent { Entity = new ResourceReference($"Patient/{p.OwnPatient}") }, new Group.MemberComponent { Entity = new ResourceReference($"Patient/{AttackedPlatform.Victim}") }],
        };
        var response = await AsAttacker(HttpMethod.Post, "/fhir/Group", AttackedPlatform.Fhir(group));
        new[] { HttpStatusCode.Forbidden, HttpStatusCode.NotFound }.ShouldContain(response.StatusCode, await BodyAsync(response));
        var seen = await (await p.SendAsync(HttpMethod.Get, $"/fhir/Group?identifier=urn:pgo:attack|{key}", p.Tessa)).Content.ReadFromJsonAsync<JsonElement>();
        seen.GetProperty("total").GetInt32().ShouldBe(0, "the Group reached the other family's dossier");
        await StillCannotReadTheOtherFamilyAsync("a Group of two families");
    }

    [Fact]
    public async Task An_import_whose_zip_holds_a_regie_Consent_for_another_family_and_overwrites_their_records_changes_nothing_of_theirs()
    {
        NeedsBlobs();
        // An attacker of its own: if an import gives him the family, the other attacks here are not spoiled by it.
        var (token, attackerPerson, _, ownRecord) = await p.NewAttackerAsync();
        var before = await p.SendAsync(HttpMethod.Get, $"/fhir/DocumentReference/{AttackedPlatform.Finances}", p.Tessa);
        before.StatusCode.ShouldBe(HttpStatusCode.OK);
        var original = FhirJson.Parse<DocumentReference>(await before.Content.ReadAsStringAsync());

        // Three zips, each a valid new dossier of which the attacker is regiehouder (so that the import accepts him),
        // each carrying one way into the family: his Person linked to their regiehouder, a regie Consent for their
        // client naming their daughter's RelatedPerson (linked to him too), and a changed copy of their finances.
        var overwritten = (DocumentReference)original.DeepCopy();
        overwritten.Description = "Overschreven door een import";
        foreach (var vector in new[] { "person-link", "regie-consent", "overwrite" })
        {
            var newPatient = "import-" + Guid.NewGuid().ToString("N")[..12];
            var related = "import-rp-" + newPatient;
            var links = new List<string> { ownRecord, $"RelatedPerson/{related}" };
            if (vector == "person-link") links.Add("RelatedPerson/strikwerda-tessa");
            if (vector == "regie-consent") links.Add("RelatedPerson/strikwerda-cheryl");
            var resources = new List<Resource>
            {
                new Patient { Id = newPatient, BirthDate = "2016-01-01", Active = true, Name = [new HumanName { Family = "Geimporteerd", Given = ["Kind"] }] },
                new RelatedPerson { Id = related, Active = true, Patient = new ResourceReference($"Patient/{newPatient}") },
                Named(Grants.Regie(null, newPatient, [$"RelatedPerson/{related}"]), "import-regie-" + newPatient),
                new Hl7.Fhir.Model.Person { Id = attackerPerson["Person/".Length..], Link = links.Select(l => new Hl7.Fhir.Model.Person.LinkComponent { Target = new ResourceReference(l) }).ToList() },
            };
            if (vector == "regie-consent") resources.Add(Named(Grants.Regie(null, AttackedPlatform.Victim, ["RelatedPerson/strikwerda-cheryl"]), "import-regie-victim-" + newPatient));
            if (vector == "overwrite") resources.Add(overwritten);
            var bundle = new Bundle { Type = Bundle.BundleType.Collection };
            foreach (var r in resources) bundle.Entry.Add(new Bundle.EntryComponent { Resource = r });
            using var zip = new MemoryStream();
            using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
            {
                await using var entry = archive.CreateEntry("dossier.json").Open();
                await entry.WriteAsync(Encoding.UTF8.GetBytes(FhirJson.Serialize(bundle)));
            }
            var content = new ByteArrayContent(zip.ToArray());
            content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
            var response = await p.SendAsync(HttpMethod.Post, "/api/dossiers/import", token, content);
            await ShowAsync($"import ({vector})", response);
            ((int)response.StatusCode).ShouldBeLessThan(500, await BodyAsync(response));
            (await p.SendAsync(HttpMethod.Get, $"/fhir/Consent/import-regie-victim-{newPatient}", p.Tessa)).StatusCode.ShouldBe(HttpStatusCode.NotFound, "a regie Consent for the family came in by import");
            await StillCannotReadTheOtherFamilyAsync($"an import ({vector})", token);
        }

        var after = await p.SendAsync(HttpMethod.Get, $"/fhir/DocumentReference/{AttackedPlatform.Finances}", p.Tessa);
        FhirJson.Parse<DocumentReference>(await after.Content.ReadAsStringAsync()).Meta.VersionId.ShouldBe(original.Meta.VersionId, "the import overwrote the family's document");

        static Consent Named(Consent c, string id)
        {
            c.Id = id;
            return c;
        }
    }

    [Fact]
    public async Task A_DocumentReference_pointing_at_another_familys_file_neither_downloads_exports_nor_deletes_it()
    {
        NeedsBlobs();
        var theirs = $"/api/dossiers/{AttackedPlatform.Victim}/documents/{AttackedPlatform.VictimDocument}/content";
        (await p.SendAsync(HttpMethod.Get, theirs, p.Tessa)).StatusCode.ShouldBe(HttpStatusCode.OK, "the family's own file is not there to begin with");

        var reference = new DocumentReference
        {
            Status = DocumentReferenceStatus.Current, Subject = new ResourceReference($"Patient/{p.OwnPatient}"), Description = "Mijn document",
            Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { ContentType = "application/pdf", Url = $"urn:pgo:blob:{AttackedPlatform.Victim}/{AttackedPlatform.VictimDocument}" } }],
        };
        var created = await AsAttacker(HttpMethod.Post, "/fhir/DocumentReference", AttackedPlatform.Fhir(reference));
        if (created.StatusCode == HttpStatusCode.Created)
        {
            var id = FhirJson.Parse<DocumentReference>(await created.Content.ReadAsStringAsync()).Id;
            var download = await AsAttacker(HttpMethod.Get, $"/api/dossiers/{p.OwnPatient}/documents/{id}/content");
            (download.StatusCode == HttpStatusCode.OK && download.Content.Headers.ContentType?.MediaType == "application/pdf")
                .ShouldBeFalse($"the attacker downloaded the other family's file: {(int)download.StatusCode}");
            var export = await AsAttacker(HttpMethod.Get, $"/api/dossiers/{p.OwnPatient}/export");
            if (export.StatusCode == HttpStatusCode.OK)
            {
                using var archive = new ZipArchive(new MemoryStream(await export.Content.ReadAsByteArrayAsync()), ZipArchiveMode.Read);
                archive.Entries.Any(e => e.FullName.Contains(AttackedPlatform.Victim, StringComparison.Ordinal)).ShouldBeFalse("the export carried the other family's file");
            }
            await AsAttacker(HttpMethod.Delete, $"/api/dossiers/{p.OwnPatient}/documents/{id}");
        }
        (await p.SendAsync(HttpMethod.Get, theirs, p.Tessa)).StatusCode.ShouldBe(HttpStatusCode.OK, "the attacker deleted the other family's file");
        (await AsAttacker(HttpMethod.Get, theirs)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await StillCannotReadTheOtherFamilyAsync("a file reference");
    }

    [Fact]
    public async Task Re_creating_another_familys_deleted_id_in_his_own_dossier_is_refused_and_its_old_versions_stay_hidden()
    {
        var goal = new Goal
        {
            LifecycleStatus = Goal.GoalLifecycleStatus.Proposed, Subject = new ResourceReference($"Patient/{AttackedPlatform.Victim}"),
            Description = new CodeableConcept { Text = "Schulden afbetalen (vertrouwelijk)" },
            Category = [new CodeableConcept(LifeDomain.System, "vrije-tijd")],
        };
        var made = await p.SendAsync(HttpMethod.Post, "/fhir/Goal", p.Tessa, AttackedPlatform.Fhir(goal));
        made.StatusCode.ShouldBe(HttpStatusCode.Created, await BodyAsync(made));
        var id = FhirJson.Parse<Goal>(await made.Content.ReadAsStringAsync()).Id;
        (await p.SendAsync(HttpMethod.Delete, $"/fhir/Goal/{id}", p.Tessa)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        goal.Id = id;
        goal.Subject = new ResourceReference($"Patient/{p.OwnPatient}");
        var put = await AsAttacker(HttpMethod.Put, $"/fhir/Goal/{id}", AttackedPlatform.Fhir(goal));
        put.StatusCode.ShouldBe(HttpStatusCode.NotFound, await BodyAsync(put));
        (await AsAttacker(HttpMethod.Get, $"/fhir/Goal/{id}/_history/1")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "the family's old version is readable");
        (await AsAttacker(HttpMethod.Get, $"/fhir/Goal/{id}/_history")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await StillCannotReadTheOtherFamilyAsync("re-creating a deleted id");
    }

    [Fact]
    public async Task If_Match_on_another_familys_resource_answers_exactly_as_for_a_missing_id_without_a_version_number()
    {
        var doc = new DocumentReference
        {
            Id = AttackedPlatform.Finances, Status = DocumentReferenceStatus.Current, Subject = new ResourceReference($"Patient/{p.OwnPatient}"),
            Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { Title = "x" } }],
        };
        var theirs = await AsAttacker(HttpMethod.Put, $"/fhir/DocumentReference/{AttackedPlatform.Finances}", AttackedPlatform.Fhir(doc), ("If-Match", "W/\"99\""));
        var missingId = "bestaat-niet-" + Guid.NewGuid().ToString("N")[..8];
        doc.Id = missingId;
        var missing = await AsAttacker(HttpMethod.Put, $"/fhir/DocumentReference/{missingId}", AttackedPlatform.Fhir(doc), ("If-Match", "W/\"99\""));
        var theirsText = await theirs.Content.ReadAsStringAsync();
        theirs.StatusCode.ShouldBe(HttpStatusCode.NotFound, theirsText);
        theirsText.Replace(AttackedPlatform.Finances, "X").ShouldBe((await missing.Content.ReadAsStringAsync()).Replace(missingId, "X"));
        theirs.StatusCode.ShouldBe(missing.StatusCode);
        await StillCannotReadTheOtherFamilyAsync("If-Match");
    }

    [Fact]
    public async Task PUT_of_another_familys_id_and_of_an_unused_id_answer_the_same_404()
    {
        Goal Mine(string id) => new()
        {
            Id = id, LifecycleStatus = Goal.GoalLifecycleStatus.Active, Subject = new ResourceReference($"Patient/{p.OwnPatient}"),
            Description = new CodeableConcept { Text = "Mijn doel" }, Category = [new CodeableConcept(LifeDomain.System, "vrije-tijd")],
        };
        var theirs = await AsAttacker(HttpMethod.Put, "/fhir/Goal/strikwerda-doel-rust", AttackedPlatform.Fhir(Mine("strikwerda-doel-rust")));
        var unused = "ongebruikt-" + Guid.NewGuid().ToString("N")[..8];
        var fresh = await AsAttacker(HttpMethod.Put, $"/fhir/Goal/{unused}", AttackedPlatform.Fhir(Mine(unused)));
        theirs.StatusCode.ShouldBe(HttpStatusCode.NotFound, await BodyAsync(theirs));
        fresh.StatusCode.ShouldBe(HttpStatusCode.NotFound, $"a person created by PUT: {await BodyAsync(fresh)}");
        (await theirs.Content.ReadAsStringAsync()).Replace("strikwerda-doel-rust", "X").ShouldBe((await fresh.Content.ReadAsStringAsync()).Replace(unused, "X"));
        await StillCannotReadTheOtherFamilyAsync("PUT");
    }

    [Fact]
    public async Task Messages_to_another_family_or_in_someone_elses_name_are_refused_and_reach_nobody()
    {
        var key = Guid.NewGuid().ToString("N");
        // Into the other family's dossier, to their regiehouder.
        var intoTheirs = new Communication
        {
            Status = EventStatus.Completed, Subject = new ResourceReference($"Patient/{AttackedPlatform.Victim}"), Identifier = [new Identifier("urn:pgo:attack", key)],
            Sender = new ResourceReference(p.OwnRecord), Recipient = [new ResourceReference("RelatedPerson/strikwerda-tessa")],
            Payload = [new Communication.PayloadComponent { Content = new FhirString("Stuur mij de financiën") }],
        };
        var first = await AsAttacker(HttpMethod.Post, "/fhir/Communication", AttackedPlatform.Fhir(intoTheirs));
        first.StatusCode.ShouldBe(HttpStatusCode.NotFound, await BodyAsync(first));
        // In his own dossier, in the name of the family's supporter, to Tessa.
        var forged = (Communication)intoTheirs.DeepCopy();
        forged.Subject = new ResourceReference($"Patient/{p.OwnPatient}");
        forged.Sender = new ResourceReference("Practitioner/bondgenoot-ricardo");
        var second = await AsAttacker(HttpMethod.Post, "/fhir/Communication", AttackedPlatform.Fhir(forged));
        await ShowAsync("forged sender", second);
        ((int)second.StatusCode).ShouldBeInRange(400, 499, $"a message in someone else's name: {await BodyAsync(second)}");
        var tessaSees = await (await p.SendAsync(HttpMethod.Get, $"/fhir/Communication?identifier=urn:pgo:attack|{key}", p.Tessa)).Content.ReadFromJsonAsync<JsonElement>();
        tessaSees.GetProperty("total").GetInt32().ShouldBe(0, "a forged message reached the other family");
        await StillCannotReadTheOtherFamilyAsync("messages");
    }
}
