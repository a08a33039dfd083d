using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Pgo.Api.Tests.Access;
using Pgo.Fhir.Access;
using Pgo.Shared.Contracts;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;

namespace Pgo.Api.Tests.Dossier;

/// <summary>GET /api/dossiers/{id}/search?q=: one search box per dossier, under the caller's access like every read.</summary>
public sealed class DossierSearchTests
{
    private const string Child = "zk-child";

    /// <summary>A child whose parent holds regie, a sister and a stranger with accounts, and items that all hold "zwem".</summary>
    private static async Task<ApiFactory> FamilyAsync(string provider)
    {
        var api = new ApiFactory(provider, clock: new MutableClock(new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero)));
        var system = api.CreateClient();
        var subject = new ResourceReference($"Patient/{Child}");
        Resource[] resources =
        [
            new Patient { Id = Child, BirthDate = "2015-03-08", Name = [new HumanName { Family = "Zoeker" }] },
            new RelatedPerson { Id = "zk-parent", Patient = subject },
            new RelatedPerson { Id = "zk-sister", Patient = subject },
            Link("zk-parent", "RelatedPerson/zk-parent"), Link("zk-sister", "RelatedPerson/zk-sister"), Link("zk-stranger", "RelatedPerson/zk-nobody"),
            Named(Grants.Regie(null, Child, ["RelatedPerson/zk-parent"], null), "zk-regie"),
            new Goal { Id = "zk-goal", LifecycleStatus = Goal.GoalLifecycleStatus.Active, Subject = subject, Start = new Date("2026-11-01"),
                Description = new CodeableConcept { Text = "Zwemdiploma A halen" }, Category = [new CodeableConcept(PgoCodes.LifeDomain.System, "vrije-tijd")] },
            new Hl7.Fhir.Model.Task { Id = "zk-task", Status = Hl7.Fhir.Model.Task.TaskStatus.Requested, Intent = Hl7.Fhir.Model.Task.TaskIntent.Plan, For = subject,
                Description = "Een zwemtas kopen", AuthoredOn = "2026-11-02" },
            Note("zk-note", "Vandaag **zwemles** gehad, het ging goed.", "2026-11-03T10:00:00Z"),
            Note("zk-secret", "Zwemles overgeslagen, niet verder vertellen.", "2026-11-04T10:00:00Z"),
            new DocumentReference { Id = "zk-doc", Status = DocumentReferenceStatus.Current, Subject = subject, Date = new DateTimeOffset(2026, 11, 5, 9, 0, 0, TimeSpan.Zero),
                Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { Title = "Zwembadpas gemeente", ContentType = "application/pdf", Url = "https://example.org/pas.pdf" } }] },
            new Goal { Id = "zk-other", LifecycleStatus = Goal.GoalLifecycleStatus.Active, Subject = subject,
                Description = new CodeableConcept { Text = "Fietsen naar school" }, Category = [new CodeableConcept(PgoCodes.LifeDomain.System, "vrije-tijd")] },
        ];
        foreach (var r in resources) (await system.PutAsync($"/fhir/{r.TypeName}/{r.Id}", r)).EnsureSuccessStatusCode();
        return api;

        static Person Link(string id, string target) => new() { Id = id, Link = [new Person.LinkComponent { Target = new ResourceReference(target) }] };
        static Consent Named(Consent c, string id) { c.Id = id; return c; }
        DocumentReference Note(string id, string text, string date) => new()
        {
            Id = id, Status = DocumentReferenceStatus.Current, Subject = subject, Date = DateTimeOffset.Parse(date, System.Globalization.CultureInfo.InvariantCulture),
            Category = [new CodeableConcept(PgoCodes.Section.System, PgoCodes.Section.Logboek)],
            Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { ContentType = "text/markdown", Data = Encoding.UTF8.GetBytes(text) } }],
        };
    }

    private static async Task<SearchResults> SearchAsync(HttpClient client, string q)
    {
        var response = await client.GetAsync($"/api/dossiers/{Child}/search?q={Uri.EscapeDataString(q)}");
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return JsonSerializer.Deserialize<SearchResults>(body, DossierClient.Json)!;
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task The_regiehouder_finds_the_word_in_goals_agreements_notes_and_document_titles_newest_first(string provider)
    {
        await using var api = await FamilyAsync(provider);
        var found = await SearchAsync(api.ClientAs("Person/zk-parent"), "ZWEM");
        found.Hits.Select(h => h.Id).ShouldBe(["zk-doc", "zk-secret", "zk-note", "zk-task", "zk-goal"]);
        found.More.ShouldBeFalse();
        var goal = found.Hits.Single(h => h.Id == "zk-goal");
        goal.Type.ShouldBe("Goal");
        goal.Section.ShouldBe(PgoCodes.Section.Doelen);
        goal.Title.ShouldBe("Zwemdiploma A halen");
        goal.Date.ShouldBe("2026-11-01");
        found.Hits.Single(h => h.Id == "zk-note").Snippet.ShouldContain("**zwemles**");
        found.Hits.Single(h => h.Id == "zk-doc").Section.ShouldBe(PgoCodes.Section.Documenten);
        // Accents and case do not matter; a word that is nowhere finds nothing.
        (await SearchAsync(api.ClientAs("Person/zk-parent"), "fiétsen")).Hits.ShouldHaveSingleItem().Id.ShouldBe("zk-other");
        (await SearchAsync(api.ClientAs("Person/zk-parent"), "paardrijden")).Hits.ShouldBeEmpty();
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_hidden_item_and_a_section_not_shared_are_not_found(string provider)
    {
        await using var api = await FamilyAsync(provider);
        var parent = api.ClientAs("Person/zk-parent");
        var sister = api.ClientAs("Person/zk-sister");
        (await parent.GrantAsync(Child, new { actor = "RelatedPerson/zk-sister", role = "gezinslid", sections = new[] { "doelen", "logboek" } })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var hide = await parent.PostAsJsonAsync($"/api/dossiers/{Child}/access/hidden-items", new { item = "DocumentReference/zk-secret", hiddenFrom = "RelatedPerson/zk-sister" }, AccessApiClient.Json);
        hide.StatusCode.ShouldBe(HttpStatusCode.Created, await hide.Content.ReadAsStringAsync());

        // The sister reads goals and the logbook: not the hidden note, not the agreements, not the documents — not as a
        // hit, a snippet or a count.
        var found = await SearchAsync(sister, "zwem");
        found.Hits.Select(h => h.Id).ShouldBe(["zk-note", "zk-goal"]);
        found.More.ShouldBeFalse();
        found.Hits.ShouldAllBe(h => !h.Snippet.Contains("overgeslagen") && !h.Title.Contains("zwemtas") && !h.Title.Contains("Zwembadpas"));
        (await SearchAsync(sister, "overgeslagen")).Hits.ShouldBeEmpty();
        (await SearchAsync(sister, "zwemtas")).Hits.ShouldBeEmpty();
        (await SearchAsync(sister, "Zwembadpas")).Hits.ShouldBeEmpty();
        // The parent still finds all of it.
        (await SearchAsync(parent, "overgeslagen")).Hits.ShouldHaveSingleItem().Id.ShouldBe("zk-secret");
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task Someone_without_access_gets_the_dossier_s_404_and_a_too_short_query_is_refused(string provider)
    {
        await using var api = await FamilyAsync(provider);
        var stranger = await api.ClientAs("Person/zk-stranger").GetAsync($"/api/dossiers/{Child}/search?q=zwem");
        stranger.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // The same answer as for a dossier that does not exist.
        (await api.ClientAs("Person/zk-stranger").GetAsync("/api/dossiers/bestaat-niet/search?q=zwem")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await api.ClientFor(null).GetAsync($"/api/dossiers/{Child}/search?q=zwem")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var tooShort = await api.ClientAs("Person/zk-parent").GetAsync($"/api/dossiers/{Child}/search?q=%20z%20");
        tooShort.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await tooShort.Content.ReadAsStringAsync()).ShouldContain("minstens 2");
    }
}
