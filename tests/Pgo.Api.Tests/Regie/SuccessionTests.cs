using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hl7.Fhir.Model;
using Pgo.Api.Tests.Dossier;
using Pgo.Api.Tests.Fhir;
using Pgo.Fhir.Access;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Tests.Regie;

public abstract class SuccessionApi(string provider) : IAsyncLifetime
{
    public ApiFactory Api { get; } = new(provider);
    public string Provider => provider;
    public ValueTask InitializeAsync()
    {
        Api.CreateClient();
        return ValueTask.CompletedTask;
    }
    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return Api.DisposeAsync();
    }
}

public sealed class SqliteSuccessionApi() : SuccessionApi("sqlite");
public sealed class PostgresSuccessionApi() : SuccessionApi("postgres");
public sealed class SuccessionOnSqlite(SqliteSuccessionApi f) : SuccessionTests(f), IClassFixture<SqliteSuccessionApi>;
public sealed class SuccessionOnPostgres(PostgresSuccessionApi f) : SuccessionTests(f), IClassFixture<PostgresSuccessionApi>;

/// <summary>
/// "Als ik er niet meer ben" (issue 18): a regiehouder names a successor; until a take-over is asked with a document and
/// confirmed by the other regiehouder and the supporter, the successor sees nothing; after it they hold regie and read
/// the care testament, the leaving regiehouder's regie has ended and the history keeps it. Each test seeds a family of
/// its own (ids with the test's prefix) in one Api per provider.
/// </summary>
public abstract class SuccessionTests(SuccessionApi fixture)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A family: child (10), mother and father (regiehouders on one regie Consent), aunt (the successor to be),
    /// friend (a network member whose account also acts as the coach, a second supporter), the supporter, a stranger,
    /// a death certificate in the documents. Persons: p-{prefix}-{role}.</summary>
    private sealed record Family(string Prefix)
    {
        public string Child => $"{Prefix}-child";
        public string Mother => $"RelatedPerson/{Prefix}-mother";
        public string Father => $"RelatedPerson/{Prefix}-father";
        public string Aunt => $"RelatedPerson/{Prefix}-aunt";
        public string Friend => $"RelatedPerson/{Prefix}-friend";
        public string Supporter => $"Practitioner/{Prefix}-supporter";
        public string Coach => $"Practitioner/{Prefix}-coach";
        public string Regie => $"{Prefix}-regie";
        public string Document => $"DocumentReference/{Prefix}-akte";
        public string Person(string role) => $"Person/{Prefix}-{role}";
    }

    private async Task<Family> SeedAsync(string prefix)
    {
        var f = new Family($"{prefix}-{fixture.Provider[..2]}");
        var birth = DateTime.UtcNow.AddYears(-10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        RelatedPerson Member(string role, string name) => new()
        {
            Id = $"{f.Prefix}-{role}",
            Patient = new ResourceReference($"Patient/{f.Child}"),
            Name = [new HumanName { Text = name }],
        };
        Person Link(string role, params string[] targets) => new()
        {
            Id = $"{f.Prefix}-{role}",
            Name = [new HumanName { Text = role }],
            Link = targets.Select(t => new Person.LinkComponent { Target = new ResourceReference(t) }).ToList(),
        };
        Resource[] resources =
        [
            new Patient { Id = f.Child, BirthDate = birth, Name = [new HumanName { Text = "Noor Opvolger" }] },
            Member("mother", "Tessa Opvolger"), Member("father", "Ruben Opvolger"), Member("aunt", "Cheryl Opvolger"), Member("friend", "Frits Vriend"),
            new Practitioner { Id = $"{f.Prefix}-supporter", Name = [new HumanName { Text = "Ricardo Bondgenoot" }] },
            new Practitioner { Id = $"{f.Prefix}-coach", Name = [new HumanName { Text = "Carla Coach" }] },
            new Practitioner { Id = $"{f.Prefix}-stranger", Name = [new HumanName { Text = "Sjoerd Vreemd" }] },
            Link("mother", f.Mother), Link("father", f.Father), Link("aunt", f.Aunt), Link("supporter", f.Supporter),
            Link("coach", f.Coach, f.Friend), Link("stranger", $"Practitioner/{f.Prefix}-stranger"),
            Grants.Regie(f.Regie, f.Child, [f.Mother, f.Father]),
            Grants.Grant($"{f.Prefix}-support", f.Child, f.Supporter, GrantRole.Ondersteuner, [Section.Doelen, Section.Documenten, Section.Logboek], write: true),
            Grants.Grant($"{f.Prefix}-coaching", f.Child, f.Coach, GrantRole.Ondersteuner, [Section.Doelen], write: true),
            new DocumentReference
            {
                Id = $"{f.Prefix}-akte",
                Status = DocumentReferenceStatus.Current,
                Subject = new ResourceReference($"Patient/{f.Child}"),
                Description = "Akte van overlijden",
                Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { ContentType = "text/plain", Title = "akte.txt", Data = "akte"u8.ToArray() } }],
            },
        ];
        var system = fixture.Api.CreateClient();
        foreach (var r in resources)
        {
            var response = await system.PutAsync($"/fhir/{r.TypeName}/{r.Id}", r);
            response.IsSuccessStatusCode.ShouldBeTrue($"PUT {r.TypeName}/{r.Id}: {await response.Content.ReadAsStringAsync()}");
        }
        return f;
    }

    private HttpClient As(string person) => fixture.Api.ClientAs(person);

    private static string Url(Family f, string rest = "") => $"/api/dossiers/{f.Child}/regie/successors{rest}";

    private async Task<string> NameAsync(Family f, string by, string successor)
    {
        var response = await As(f.Person(by)).PostAsJsonAsync(Url(f), new { successor }, Json);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("consentId").GetString()!;
    }

    private static async Task<JsonElement> OkJsonAsync(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private Task<HttpResponseMessage> RequestAsync(Family f, string by, string consentId, string? document) =>
        As(f.Person(by)).PostAsJsonAsync(Url(f, $"/{consentId}/request"), new { reason = "overleden", document }, Json);

    private Task<HttpResponseMessage> ConfirmAsync(Family f, string by, string consentId) =>
        As(f.Person(by)).PostAsync(Url(f, $"/{consentId}/confirm"), null);

    private async Task<bool> InMyDossiersAsync(Family f, string role) =>
        (await As(f.Person(role)).GetJsonAsync("/api/access/dossiers")).EnumerateArray().Any(e => e.GetProperty("patientId").GetString() == f.Child);

    [Fact]
    public async System.Threading.Tasks.Task A_named_successor_sees_nothing_of_the_dossier_before_the_take_over()
    {
        var f = await SeedAsync("s1");
        var id = await NameAsync(f, "mother", f.Aunt);

        var aunt = As(f.Person("aunt"));
        (await aunt.GetAsync($"/api/dossiers/{f.Child}/overview")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await aunt.GetAsync($"/fhir/Patient/{f.Child}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await aunt.GetAsync($"/api/dossiers/{f.Child}/zorgtestament")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await InMyDossiersAsync(f, "aunt")).ShouldBeFalse();

        // Her own naming only: no names of others, no confirmations.
        var own = await OkJsonAsync(await aunt.GetAsync(Url(f)));
        own.GetArrayLength().ShouldBe(1);
        own[0].GetProperty("consentId").GetString().ShouldBe(id);
        own[0].GetProperty("state").GetString().ShouldBe("genoemd");
        own[0].GetProperty("mayConfirm").GetBoolean().ShouldBeFalse();
        own[0].GetProperty("mayRequest").GetBoolean().ShouldBeTrue();

        // The family sees the naming; a stranger does not learn the dossier exists.
        var family = await OkJsonAsync(await As(f.Person("father")).GetAsync(Url(f)));
        family[0].GetProperty("successorName").GetString().ShouldBe("Cheryl Opvolger");
        family[0].GetProperty("forRegiehouder").GetString().ShouldBe(f.Mother);
        (await As(f.Person("stranger")).GetAsync(Url(f))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_take_over_needs_every_confirmation_and_a_document_and_then_the_successor_holds_regie()
    {
        var f = await SeedAsync("s2");
        var written = await As(f.Person("mother")).PutAsJsonAsync($"/api/dossiers/{f.Child}/zorgtestament",
            new { wonen = "Noor blijft **thuis** wonen zolang het kan.", zorg = "Vaste gezichten." }, Json);
        (await OkJsonAsync(written)).GetProperty("version").GetString().ShouldBe("1");
        var id = await NameAsync(f, "mother", f.Aunt);

        // Asked without a document: the successor may ask, not confirm.
        var asked = await OkJsonAsync(await RequestAsync(f, "aunt", id, null));
        asked.GetProperty("state").GetString().ShouldBe("aangevraagd");
        (await ConfirmAsync(f, "aunt", id)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await OkJsonAsync(await ConfirmAsync(f, "father", id))).GetProperty("state").GetString().ShouldBe("aangevraagd");
        var confirmed = await OkJsonAsync(await ConfirmAsync(f, "supporter", id));
        // Every confirmation is there, the document is not: no take-over.
        confirmed.GetProperty("state").GetString().ShouldBe("aangevraagd");
        confirmed.GetProperty("stillNeeded").EnumerateArray().Select(n => n.GetString()).ShouldBe(["een document"]);
        (await As(f.Person("aunt")).GetAsync($"/api/dossiers/{f.Child}/overview")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // The document named: the confirmations start over (each confirmer must have seen it).
        var withDocument = await OkJsonAsync(await RequestAsync(f, "father", id, f.Document));
        withDocument.GetProperty("request").GetProperty("documentTitle").GetString().ShouldBe("Akte van overlijden");
        withDocument.GetProperty("stillNeeded").EnumerateArray().Select(n => n.GetString()).ShouldBe(["Ruben Opvolger (regiehouder)", "de ondersteuner"]);
        (await OkJsonAsync(await ConfirmAsync(f, "supporter", id))).GetProperty("state").GetString().ShouldBe("aangevraagd");
        (await As(f.Person("aunt")).GetAsync($"/api/dossiers/{f.Child}/overview")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var done = await OkJsonAsync(await ConfirmAsync(f, "father", id));
        done.GetProperty("state").GetString().ShouldBe("overgenomen");

        // The successor holds regie and reads the care testament.
        var aunt = As(f.Person("aunt"));
        (await aunt.GetAsync($"/api/dossiers/{f.Child}/overview")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var mine = (await aunt.GetJsonAsync("/api/access/dossiers")).EnumerateArray().Single(e => e.GetProperty("patientId").GetString() == f.Child);
        mine.GetProperty("manage").GetBoolean().ShouldBeTrue();
        var testament = await OkJsonAsync(await aunt.GetAsync($"/api/dossiers/{f.Child}/zorgtestament"));
        testament.GetProperty("wonen").GetString().ShouldBe("Noor blijft **thuis** wonen zolang het kan.");

        // The leaving regiehouder's regie has ended; the other regiehouder keeps it; the history keeps the old version.
        (await As(f.Person("mother")).GetAsync($"/api/dossiers/{f.Child}/overview")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await InMyDossiersAsync(f, "mother")).ShouldBeFalse();
        (await As(f.Person("father")).GetAsync($"/api/dossiers/{f.Child}/overview")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var system = fixture.Api.CreateClient();
        var history = await system.GetFromJsonAsync<JsonElement>($"/fhir/Consent/{f.Regie}/_history");
        var versions = history.GetProperty("entry").EnumerateArray().Select(e => e.GetProperty("resource")).ToList();
        versions.Count.ShouldBe(2);
        versions.ShouldContain(v => v.GetProperty("provision").GetProperty("actor").EnumerateArray().Any(a => a.GetProperty("reference").GetProperty("reference").GetString() == f.Mother));
        var current = await system.GetFromJsonAsync<JsonElement>($"/fhir/Consent/{f.Regie}");
        current.GetProperty("provision").GetProperty("actor").EnumerateArray().Select(a => a.GetProperty("reference").GetProperty("reference").GetString())
            .ShouldBe([f.Father]);
        var successorConsent = await system.GetFromJsonAsync<JsonElement>($"/fhir/Consent/{id}");
        successorConsent.GetProperty("status").GetString().ShouldBe("inactive");

        // Told: the successor (now about the dossier she holds regie over) and the supporter; not the one who confirmed last.
        (await aunt.GetJsonAsync("/api/notifications")).GetProperty("items").EnumerateArray()
            .ShouldContain(n => n.GetProperty("kind").GetString() == "opvolging-rond" && n.GetProperty("patientId").GetString() == f.Child);
        (await As(f.Person("supporter")).GetJsonAsync("/api/notifications")).GetProperty("items").EnumerateArray()
            .ShouldContain(n => n.GetProperty("kind").GetString() == "opvolging-rond");
        (await As(f.Person("father")).GetJsonAsync("/api/notifications")).GetProperty("items").EnumerateArray()
            .ShouldNotContain(n => n.GetProperty("kind").GetString() == "opvolging-rond");

        // Closed: nothing more to ask or confirm.
        (await ConfirmAsync(f, "father", id)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async System.Threading.Tasks.Task The_successor_is_told_by_name_only_and_the_family_about_the_dossier()
    {
        var f = await SeedAsync("s3");
        var id = await NameAsync(f, "mother", f.Aunt);
        (await RequestAsync(f, "father", id, f.Document)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var toAunt = (await As(f.Person("aunt")).GetJsonAsync("/api/notifications")).GetProperty("items").EnumerateArray()
            .Where(n => n.GetProperty("kind").GetString() == "opvolging-gevraagd").ToList();
        toAunt.Count.ShouldBe(1);
        toAunt[0].IsNull("patientId").ShouldBeTrue();
        toAunt[0].GetProperty("actorName").GetString().ShouldBe("Ruben Opvolger");
        var toSupporter = (await As(f.Person("supporter")).GetJsonAsync("/api/notifications")).GetProperty("items").EnumerateArray()
            .Where(n => n.GetProperty("kind").GetString() == "opvolging-gevraagd").ToList();
        toSupporter.Count.ShouldBe(1);
        toSupporter[0].GetProperty("patientId").GetString().ShouldBe(f.Child);
        // Who asked is not told.
        (await As(f.Person("father")).GetJsonAsync("/api/notifications")).GetProperty("items").EnumerateArray()
            .ShouldNotContain(n => n.GetProperty("kind").GetString() == "opvolging-gevraagd");
        (await As(f.Person("stranger")).GetJsonAsync("/api/notifications")).GetProperty("items").EnumerateArray()
            .ShouldNotContain(n => n.GetProperty("kind").GetString() == "opvolging-gevraagd");
    }

    [Fact]
    public async System.Threading.Tasks.Task Nobody_but_a_regiehouder_names_a_successor()
    {
        var f = await SeedAsync("s4");
        (await As(f.Person("supporter")).PostAsJsonAsync(Url(f), new { successor = f.Aunt }, Json)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await As(f.Person("aunt")).PostAsJsonAsync(Url(f), new { successor = f.Aunt }, Json)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await As(f.Person("stranger")).PostAsJsonAsync(Url(f), new { successor = f.Aunt }, Json)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // Straight to /fhir, too: the write side keeps successors a regiehouder's alone.
        var consent = SuccessionRules.NameSuccessor(f.Child, f.Aunt, DateTimeOffset.UtcNow);
        (await As(f.Person("supporter")).PostAsync("/fhir/Consent", consent)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await As(f.Person("father")).GetJsonAsync(Url(f))).GetArrayLength().ShouldBe(0);

        // The other regiehouder may; the one who named withdraws, the other may not.
        var id = await NameAsync(f, "father", f.Aunt);
        (await As(f.Person("mother")).DeleteAsync(Url(f, $"/{id}"))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await As(f.Person("father")).DeleteAsync(Url(f, $"/{id}"))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await As(f.Person("father")).GetJsonAsync(Url(f)))[0].GetProperty("state").GetString().ShouldBe("ingetrokken");
        (await RequestAsync(f, "aunt", id, f.Document)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_supporter_cannot_take_over_for_himself()
    {
        var f = await SeedAsync("s5");
        // A professional is not named as successor, not by the family and not by himself.
        (await As(f.Person("supporter")).PostAsJsonAsync(Url(f), new { successor = f.Supporter }, Json)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await As(f.Person("mother")).PostAsJsonAsync(Url(f), new { successor = f.Supporter }, Json)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);

        // The coach is also a friend of the family, and named as its successor: he may ask, but his confirmation, as
        // supporter or otherwise, does not count: another supporter must confirm.
        var id = await NameAsync(f, "mother", f.Friend);
        (await OkJsonAsync(await RequestAsync(f, "coach", id, f.Document))).GetProperty("mayConfirm").GetBoolean().ShouldBeFalse();
        (await ConfirmAsync(f, "coach", id)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await OkJsonAsync(await ConfirmAsync(f, "father", id))).GetProperty("stillNeeded").EnumerateArray().Select(n => n.GetString()).ShouldBe(["de ondersteuner"]);
        (await OkJsonAsync(await ConfirmAsync(f, "supporter", id))).GetProperty("state").GetString().ShouldBe("overgenomen");
    }

    [Fact]
    public async System.Threading.Tasks.Task Without_a_supporter_an_administrator_confirms_in_the_supporters_place()
    {
        var f = await SeedAsync("s7");
        var system = fixture.Api.CreateClient();
        foreach (var grant in new[] { $"{f.Prefix}-support", $"{f.Prefix}-coaching" })
        {
            var consent = await (await system.GetAsync($"/fhir/Consent/{grant}")).ReadAs<Consent>();
            consent.Status = Consent.ConsentState.Inactive;
            (await system.PutAsync($"/fhir/Consent/{grant}", consent)).IsSuccessStatusCode.ShouldBeTrue();
        }
        var id = await NameAsync(f, "mother", f.Aunt);
        var asked = await OkJsonAsync(await RequestAsync(f, "father", id, f.Document));
        asked.GetProperty("stillNeeded").EnumerateArray().Select(n => n.GetString()).ShouldBe(["Ruben Opvolger (regiehouder)", "een beheerder van het platform"]);

        // Someone without the administrator's role learns nothing; the administrator confirms without seeing the dossier.
        (await fixture.Api.ClientAs("Person/beheer").PostAsync(Url(f, $"/{id}/confirm"), null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var admin = fixture.Api.ClientFor(TestTokens.Person("Person/beheer", "openid fhirUser user/*.cruds", "pgo-portal", "admin"));
        (await admin.GetAsync($"/api/dossiers/{f.Child}/overview")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await OkJsonAsync(await admin.PostAsync(Url(f, $"/{id}/confirm"), null))).GetProperty("state").GetString().ShouldBe("aangevraagd");
        (await OkJsonAsync(await ConfirmAsync(f, "father", id))).GetProperty("state").GetString().ShouldBe("overgenomen");
        (await As(f.Person("aunt")).GetAsync($"/api/dossiers/{f.Child}/overview")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async System.Threading.Tasks.Task The_care_testament_is_written_with_its_version_and_read_only_by_who_reads_the_section()
    {
        var f = await SeedAsync("s6");
        var mother = As(f.Person("mother"));
        var empty = await OkJsonAsync(await mother.GetAsync($"/api/dossiers/{f.Child}/zorgtestament"));
        empty.IsNull("version").ShouldBeTrue();
        var first = await OkJsonAsync(await mother.PutAsJsonAsync($"/api/dossiers/{f.Child}/zorgtestament", new { watBelangrijkIs = "Muziek." }, Json));
        first.GetProperty("updatedBy").GetString().ShouldBe("mother");

        // A change names its version: none 428, a stale one 412, nothing stored either way.
        (await mother.PutAsJsonAsync($"/api/dossiers/{f.Child}/zorgtestament", new { overig = "x" }, Json)).StatusCode.ShouldBe((HttpStatusCode)428);
        var father = As(f.Person("father"));
        (await OkJsonAsync(await father.PutAsJsonAsync($"/api/dossiers/{f.Child}/zorgtestament", new { watBelangrijkIs = "Muziek en dieren.", version = "1" }, Json)))
            .GetProperty("version").GetString().ShouldBe("2");
        (await mother.PutAsJsonAsync($"/api/dossiers/{f.Child}/zorgtestament", new { watBelangrijkIs = "Alleen muziek.", version = "1" }, Json))
            .StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
        (await OkJsonAsync(await mother.GetAsync($"/api/dossiers/{f.Child}/zorgtestament"))).GetProperty("watBelangrijkIs").GetString().ShouldBe("Muziek en dieren.");

        // The supporter's grant does not hold the section: 403; a stranger: 404; the supporter cannot write it through /fhir either.
        (await As(f.Person("supporter")).GetAsync($"/api/dossiers/{f.Child}/zorgtestament")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await As(f.Person("supporter")).PutAsJsonAsync($"/api/dossiers/{f.Child}/zorgtestament", new { zorg = "x", version = "2" }, Json)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await As(f.Person("stranger")).GetAsync($"/api/dossiers/{f.Child}/zorgtestament")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}

/// <summary>The demo shows succession: Tessa named Cheryl as successor for Jesse and wrote his care testament; Loes and Wim wrote Johan's.</summary>
public sealed class DemoSuccessionTests(Pgo.Api.Tests.Access.SqliteDemoFamilies demo) : IClassFixture<Pgo.Api.Tests.Access.SqliteDemoFamilies>
{
    [Fact]
    public async System.Threading.Tasks.Task Tessa_named_Cheryl_as_successor_and_the_care_testaments_are_there()
    {
        var tessa = demo.Api.ClientAs("Person/strikwerda-tessa");
        var successors = await tessa.GetJsonAsync("/api/dossiers/strikwerda-jesse/regie/successors");
        var cheryl = successors.EnumerateArray().Single();
        cheryl.GetProperty("successor").GetString().ShouldBe("RelatedPerson/strikwerda-cheryl");
        cheryl.GetProperty("successorName").GetString().ShouldBe("Cheryl Strikwerda");
        cheryl.GetProperty("forRegiehouderName").GetString().ShouldBe("Tessa Strikwerda");
        cheryl.GetProperty("state").GetString().ShouldBe("genoemd");
        (await tessa.GetJsonAsync("/api/dossiers/strikwerda-jesse/zorgtestament")).GetProperty("wonen").GetString()!.ShouldContain("thuis");
        (await demo.Api.ClientAs("Person/sterk-loes").GetJsonAsync("/api/dossiers/sterk-johan/zorgtestament")).GetProperty("watBelangrijkIs").GetString()!.ShouldContain("Zwemmen");
        // Ricardo supports the family but was not given the section.
        (await demo.Api.ClientAs("Person/bondgenoot-ricardo").GetAsync("/api/dossiers/strikwerda-jesse/zorgtestament")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
