using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hl7.Fhir.Model;
using Pgo.Api.Tests.Dossier;
using Pgo.Shared.Contracts;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;

namespace Pgo.Api.Tests.Families;

/// <summary>
/// The whole family (issue 18): naastes with a dossier of their own (regie by the age rules, private talks that stay
/// private), families that group dossiers (a FHIR Group in section netwerk of each member's dossier), the caseload by
/// family, and a goal about a naaste that links to their own dossier only for whoever can open it. On the demo families:
/// Cheryl Strikwerda (19) and Lex de Wit (14), on a fixed day.
/// </summary>
public sealed class FamilyTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static async Task<T> GetAsync<T>(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return JsonSerializer.Deserialize<T>(body, Json)!;
    }

    private static async Task<List<Resource>> BundleAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.ReadAs<Bundle>()).Entry.Select(e => e.Resource).Where(r => r is not null).ToList();
    }

    private static async Task<string[]> OperationsAsync(HttpClient client, string patientId) =>
        (await GetAsync<JsonElement[]>(client, "/api/access/dossiers"))
            .Where(d => d.GetProperty("patientId").GetString() == patientId)
            .SelectMany(d => d.GetProperty("operations").EnumerateArray().Select(o => o.GetString()!)).ToArray();

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_sibling_of_14_keeps_a_private_talk_with_the_supporter_from_the_parents_in_read_search_and_everything(string provider)
    {
        await using var api = new ApiFactory(provider, demoData: true, clock: new MutableClock(Now));
        var ilona = api.ClientAs("Person/dewit-ilona");
        var ilse = api.ClientAs("Person/bondgenoot-ilse");

        // Ilona holds regie over Lex's own dossier (he is 14): she opens it and manages its access ...
        (await OperationsAsync(ilona, "dewit-lex")).ShouldContain(DossierOps.ManageAccess);
        (await ilona.GetAsync("/api/dossiers/dewit-lex/overview")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // ... and Ilse writes to Lex now, next to the demo's conversation.
        var message = new Communication
        {
            Status = EventStatus.Completed,
            Subject = new ResourceReference("Patient/dewit-lex"),
            Sender = new ResourceReference("Practitioner/bondgenoot-ilse"),
            Recipient = [new ResourceReference("Patient/dewit-lex")],
            Payload = [new Communication.PayloadComponent { Content = new FhirString("Zullen we na de training even bellen?") }],
        };
        var created = await ilse.PostAsync("/fhir/Communication", message);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var newId = (await created.ReadAs<Communication>()).Id!;

        string[] privateTalk = ["dewit-lex-bericht-1", "dewit-lex-bericht-2", newId];
        foreach (var id in privateTalk)
        {
            (await ilse.GetAsync($"/fhir/Communication/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await ilona.GetAsync($"/fhir/Communication/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }
        (await BundleAsync(ilona, "/fhir/Communication?patient=Patient/dewit-lex")).OfType<Communication>().ShouldBeEmpty();
        (await ilona.CountAsync("Communication", "patient=Patient/dewit-lex")).ShouldBe(0);
        var everything = await BundleAsync(ilona, "/fhir/Patient/dewit-lex/$everything");
        everything.OfType<Goal>().ShouldNotBeEmpty(); // she reads the rest of his dossier
        everything.OfType<Communication>().ShouldBeEmpty();
        (await BundleAsync(ilse, "/fhir/Communication?patient=Patient/dewit-lex")).OfType<Communication>().Select(c => c.Id).ShouldBe(privateTalk, ignoreOrder: true);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_young_carer_of_19_holds_her_own_regie_and_her_mother_sees_nothing_of_her_dossier(string provider)
    {
        await using var api = new ApiFactory(provider, demoData: true, clock: new MutableClock(Now));
        var cheryl = api.ClientAs("Person/strikwerda-cheryl");
        var ops = await OperationsAsync(cheryl, "strikwerda-cheryl");
        ops.ShouldContain(DossierOps.ManageAccess);
        ops.ShouldContain(DossierOps.Export);
        (await cheryl.GetAsync("/fhir/Communication/strikwerda-cheryl-bericht-1")).StatusCode.ShouldBe(HttpStatusCode.OK);
        // Her record in her father's network gives her nothing there.
        (await cheryl.GetAsync("/api/dossiers/strikwerda-jesse/overview")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // Her mother is regiehouder of Jesse, not of Cheryl: the same 404 as for a dossier that does not exist.
        var tessa = api.ClientAs("Person/strikwerda-tessa");
        (await tessa.GetAsync("/api/dossiers/strikwerda-cheryl/overview")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await tessa.GetAsync("/fhir/Patient/strikwerda-cheryl")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await OperationsAsync(tessa, "strikwerda-cheryl")).ShouldBeEmpty();

        // Ricardo supports her (he reads and writes her goals) but does not manage her access.
        var ricardo = api.ClientAs("Person/bondgenoot-ricardo");
        var supporter = await OperationsAsync(ricardo, "strikwerda-cheryl");
        supporter.ShouldContain(DossierOps.ReadOverview);
        supporter.ShouldNotContain(DossierOps.ManageAccess);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task Grouping_dossiers_into_a_family_needs_write_on_netwerk_in_every_member_s_dossier(string provider)
    {
        await using var api = new ApiFactory(provider, demoData: true, clock: new MutableClock(Now));
        var mother = api.ClientAs("Person/pgo-moeder");
        var first = await (await mother.NewDossierAsync("Mila", "de Vries")).CreatedPatientIdAsync();
        var second = await (await mother.NewDossierAsync("Noor", "de Vries", birthDate: "2013-02-01")).CreatedPatientIdAsync();

        // Her own two dossiers: allowed, and the family lists both by name.
        var created = await mother.PostAsJsonAsync("/api/families", new FamilyRequest("Gezin De Vries", [first, second]), Json);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var family = (await created.Content.ReadFromJsonAsync<FamilyView>(Json))!;
        family.Members.Select(m => m.Name).ShouldBe(["Mila de Vries", "Noor de Vries"]);
        (await GetAsync<FamilyView[]>(mother, "/api/families")).ShouldHaveSingleItem().Id.ShouldBe(family.Id);

        // A dossier she sees nothing of cannot be added: the same 404 as a dossier that does not exist; nothing stored.
        var third = await (await mother.NewDossierAsync("Fenna", "de Vries", birthDate: "2019-07-01")).CreatedPatientIdAsync();
        var foreign = await mother.PostAsJsonAsync("/api/families", new FamilyRequest("Gezin", [third, "strikwerda-jesse"]), Json);
        foreign.StatusCode.ShouldBe(HttpStatusCode.NotFound, await foreign.Content.ReadAsStringAsync());
        // Adding it to her own family (a Group she sees) is refused like any change of a record she sees (403), and the same
        // for a dossier that does not exist: the answer says nothing about the other family.
        (await mother.PutAsJsonAsync($"/api/families/{family.Id}/members", new FamilyRequest("", ["strikwerda-jesse"]), Json))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await mother.PutAsJsonAsync($"/api/families/{family.Id}/members", new FamilyRequest("", ["bestaat-niet"]), Json))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await GetAsync<FamilyView[]>(mother, "/api/families")).ShouldHaveSingleItem().Members.Length.ShouldBe(2);
        // A dossier belongs to one family.
        (await mother.PostAsJsonAsync("/api/families", new FamilyRequest("Ander gezin", [third, first]), Json)).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        // The dementia case manager reads Jesse's network but may not change it: she sees the family, changing it is 403.
        var bos = api.ClientAs("Person/casemanager-dementie-bos");
        (await GetAsync<FamilyView[]>(bos, "/api/families")).ShouldHaveSingleItem().Id.ShouldBe("gezin-strikwerda");
        var renamed = await bos.PutAsJsonAsync("/api/families/gezin-strikwerda/members", new FamilyRequest("Familie Strikwerda", ["strikwerda-jesse"]), Json);
        renamed.StatusCode.ShouldBe(HttpStatusCode.Forbidden, await renamed.Content.ReadAsStringAsync());

        // Someone without any grant sees no family at all (404 for its id), and the supporter who writes both networks may change it.
        (await mother.PutAsJsonAsync("/api/families/gezin-strikwerda/members", new FamilyRequest("X", ["strikwerda-jesse"]), Json))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var ricardo = api.ClientAs("Person/bondgenoot-ricardo");
        var byRicardo = await ricardo.PutAsJsonAsync("/api/families/gezin-strikwerda/members", new FamilyRequest("Familie Strikwerda", ["strikwerda-cheryl"]), Json);
        byRicardo.StatusCode.ShouldBe(HttpStatusCode.OK, await byRicardo.Content.ReadAsStringAsync());
        (await byRicardo.Content.ReadFromJsonAsync<FamilyView>(Json))!.Members.Length.ShouldBe(2);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task The_caseload_shows_the_family_and_a_member_the_caller_cannot_open_is_listed_without_name(string provider)
    {
        await using var api = new ApiFactory(provider, demoData: true, clock: new MutableClock(Now));
        var ricardo = await GetAsync<CaseloadFamily[]>(api.ClientAs("Person/bondgenoot-ricardo"), "/api/caseload");
        ricardo.Select(r => r.PatientId).ShouldBe(["strikwerda-cheryl", "strikwerda-jesse"]);
        ricardo.ShouldAllBe(r => r.FamilyId == "gezin-strikwerda" && r.FamilyName == "Gezin Strikwerda");
        var ilse = await GetAsync<CaseloadFamily[]>(api.ClientAs("Person/bondgenoot-ilse"), "/api/caseload");
        ilse.Select(r => r.PatientId).ShouldBe(["dewit-kim", "dewit-lex"]);
        ilse.ShouldAllBe(r => r.FamilyId == "gezin-dewit" && r.FamilyName == "Gezin De Wit");
        // A dossier in no family has none.
        (await GetAsync<CaseloadFamily[]>(api.ClientAs("Person/bondgenoot-elise"), "/api/caseload")).ShouldHaveSingleItem().FamilyId.ShouldBeNull();

        var families = (await GetAsync<FamilyView[]>(api.ClientAs("Person/bondgenoot-ricardo"), "/api/families")).ShouldHaveSingleItem();
        families.Members.ShouldBe([new FamilyMember("strikwerda-jesse", "Jesse Strikwerda", "client", true),
            new FamilyMember("strikwerda-cheryl", "Cheryl Strikwerda", "jonge-mantelzorger", true)]);
        // The case manager reads Jesse's network, not Cheryl's dossier: Cheryl is there, without name or id.
        var seenByBos = (await GetAsync<FamilyView[]>(api.ClientAs("Person/casemanager-dementie-bos"), "/api/families")).ShouldHaveSingleItem();
        seenByBos.Members.ShouldBe([new FamilyMember("strikwerda-jesse", "Jesse Strikwerda", "client", true), new FamilyMember(null, null, "jonge-mantelzorger", false)]);
        (await GetAsync<FamilyView[]>(api.ClientAs("Person/pgo-vreemde"), "/api/families")).ShouldBeEmpty();
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_goal_about_a_naaste_links_to_their_own_dossier_only_for_whoever_can_open_it(string provider)
    {
        await using var api = new ApiFactory(provider, demoData: true, clock: new MutableClock(Now));
        static async Task<GoalView> GoalAsync(HttpClient client, string patient, string goal) =>
            (await GetAsync<DossierOverview>(client, $"/api/dossiers/{patient}/overview")).Goals!.SelectMany(d => d.Goals).Single(g => g.Id == goal);

        (await GoalAsync(api.ClientAs("Person/bondgenoot-ricardo"), "strikwerda-jesse", "strikwerda-doel-cheryl")).ConcernsDossier.ShouldBe("strikwerda-cheryl");
        // Tessa cannot open her adult daughter's dossier: no link (and nothing that says there is one).
        (await GoalAsync(api.ClientAs("Person/strikwerda-tessa"), "strikwerda-jesse", "strikwerda-doel-cheryl")).ConcernsDossier.ShouldBeNull();
        (await GoalAsync(api.ClientAs("Person/dewit-ilona"), "dewit-kim", "dewit-doel-lex")).ConcernsDossier.ShouldBe("dewit-lex");
        (await GoalAsync(api.ClientAs("Person/bondgenoot-ilse"), "dewit-kim", "dewit-doel-lex")).ConcernsDossier.ShouldBe("dewit-lex");
        // A goal about the client itself links nowhere.
        (await GoalAsync(api.ClientAs("Person/dewit-ilona"), "dewit-kim", "dewit-doel-logeren")).ConcernsDossier.ShouldBeNull();
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_parent_starts_a_sibling_s_own_dossier_which_joins_the_family_and_only_family_with_netwerk_write_may(string provider)
    {
        await using var api = new ApiFactory(provider, demoData: true, clock: new MutableClock(Now));
        var mother = api.ClientAs("Person/pgo-moeder");
        var client = await (await mother.NewDossierAsync("Mila", "de Vries")).CreatedPatientIdAsync();
        async Task<string> NaasteAsync(string given, string birthDate)
        {
            var related = new RelatedPerson
            {
                Patient = new ResourceReference($"Patient/{client}"),
                Name = [new HumanName { Family = "de Vries", Given = [given] }],
                BirthDate = birthDate,
                Relationship = [new CodeableConcept("https://fhir.pgo-platform.nl/CodeSystem/netwerkrol", "broer-zus")],
            };
            var response = await mother.PostAsync("/fhir/RelatedPerson", related);
            response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            return (await response.ReadAs<RelatedPerson>()).Id!;
        }
        var brother = await NaasteAsync("Daan", "2012-09-01");

        var created = await mother.PostAsJsonAsync($"/api/dossiers/{client}/family-member-dossier", new MemberDossierRequest(brother, null), Json);
        var own = await created.CreatedPatientIdAsync();
        // He is 14 and has no account: his mother holds regie; his Patient names his record in Mila's network.
        (await OperationsAsync(mother, own)).ShouldContain(DossierOps.ManageAccess);
        var patient = await (await mother.GetAsync($"/fhir/Patient/{own}")).ReadAs<Patient>();
        patient.Link.ShouldHaveSingleItem().Other.Reference.ShouldBe($"RelatedPerson/{brother}");
        patient.BirthDate.ShouldBe("2012-09-01");
        var family = (await GetAsync<FamilyView[]>(mother, "/api/families")).ShouldHaveSingleItem();
        family.Name.ShouldBe("Gezin de Vries");
        family.Members.ShouldBe([new FamilyMember(client, "Mila de Vries", "client", true), new FamilyMember(own, "Daan de Vries", "broer-zus", true)]);

        // Once is enough (409); an adult naaste without an account of their own is invited first (422).
        (await mother.PostAsJsonAsync($"/api/dossiers/{client}/family-member-dossier", new MemberDossierRequest(brother, null), Json))
            .StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var adult = await NaasteAsync("Sem", "2001-01-01");
        (await mother.PostAsJsonAsync($"/api/dossiers/{client}/family-member-dossier", new MemberDossierRequest(adult, null), Json))
            .StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);

        // A stranger: 404; a supporter account (invited by families, starts none): 403; who only reads the network: 403.
        (await api.ClientAs("Person/pgo-vreemde").PostAsJsonAsync($"/api/dossiers/{client}/family-member-dossier", new MemberDossierRequest(adult, null), Json))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var supporter = api.ClientFor(TestTokens.Person("Person/bondgenoot-ricardo", roles: "supporter"));
        (await supporter.PostAsJsonAsync("/api/dossiers/strikwerda-jesse/family-member-dossier", new MemberDossierRequest("strikwerda-danny", "2010-03-01"), Json))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await api.ClientAs("Person/casemanager-dementie-bos").PostAsJsonAsync("/api/dossiers/strikwerda-jesse/family-member-dossier",
            new MemberDossierRequest("strikwerda-danny", "2010-03-01"), Json)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        // Tessa may change Jesse's network, not that of Cheryl's dossier in the same family: Danny's dossier would join that family (W3).
        (await api.ClientAs("Person/strikwerda-tessa").PostAsJsonAsync("/api/dossiers/strikwerda-jesse/family-member-dossier",
            new MemberDossierRequest("strikwerda-danny", "2010-03-01"), Json)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        // Writing both networks is not enough: only who holds regie over the client's dossier starts one for a naaste
        // (Ricardo, asked by a token without account roles, writes the network of Jesse and of Cheryl).
        (await api.ClientAs("Person/bondgenoot-ricardo").PostAsJsonAsync("/api/dossiers/strikwerda-jesse/family-member-dossier",
            new MemberDossierRequest("strikwerda-cheryl", null), Json)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
