using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hl7.Fhir.Model;
using Pgo.Api.Realtime.CoWriting;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;
using static Pgo.Api.Tests.Realtime.LiveFamily;

namespace Pgo.Api.Tests.Realtime;

/// <summary>Co-writing a logbook note: a stale save never overwrites, it gets the current text and a merge where possible.</summary>
public class NotesTests
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;
    private const string Url = $"/api/dossiers/{Child}/notes";

    private static async Task<NoteView> CreateAsync(HttpClient client, string text)
    {
        var created = await client.PostAsJsonAsync(Url, new { text, title = "Overleg" }, Json);
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        return (await created.Content.ReadFromJsonAsync<NoteView>(Json))!;
    }

    private static Task<HttpResponseMessage> SaveAsync(HttpClient client, string id, int baseVersion, string text) =>
        client.PutAsJsonAsync($"{Url}/{id}", new { baseVersion, text }, Json);

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_stale_save_gets_the_current_text_and_a_merge_of_edits_that_do_not_overlap(string provider)
    {
        await using var api = new ApiFactory(provider);
        await SeedAsync(api.CreateClient());
        var parent = api.ClientAs(Parent);
        var note = await CreateAsync(parent, "# Overleg\n\nJesse slaapt slecht.\n\nAfspraak: huisarts bellen.");
        note.Version.ShouldBe(1);

        var first = await SaveAsync(parent, note.Id, 1, "# Overleg\n\nJesse slaapt slecht sinds de verhuizing.\n\nAfspraak: huisarts bellen.");
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await first.Content.ReadFromJsonAsync<NoteView>(Json))!.Version.ShouldBe(2);

        // A second writer still on version 1 edits another paragraph.
        var stale = await SaveAsync(parent, note.Id, 1, "# Overleg\n\nJesse slaapt slecht.\n\nAfspraak: huisarts bellen (Tessa).");
        stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        stale.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = JsonDocument.Parse(await stale.Content.ReadAsStringAsync()).RootElement;
        problem.GetProperty("currentVersion").GetInt32().ShouldBe(2);
        problem.GetProperty("currentText").GetString().ShouldBe("# Overleg\n\nJesse slaapt slecht sinds de verhuizing.\n\nAfspraak: huisarts bellen.");
        var merged = problem.GetProperty("mergedText").GetString();
        merged.ShouldBe("# Overleg\n\nJesse slaapt slecht sinds de verhuizing.\n\nAfspraak: huisarts bellen (Tessa).");

        // Nothing was stored by the stale save; the merged text saves on the current version.
        (await parent.GetFromJsonAsync<NoteView>($"{Url}/{note.Id}", Json))!.Version.ShouldBe(2);
        var saved = await SaveAsync(parent, note.Id, 2, merged!);
        saved.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await parent.GetFromJsonAsync<NoteView>($"{Url}/{note.Id}", Json))!.Text.ShouldBe(merged);
    }

    [Fact]
    public async System.Threading.Tasks.Task Overlapping_edits_are_a_clear_conflict_without_a_merge()
    {
        await using var api = new ApiFactory();
        await SeedAsync(api.CreateClient());
        var parent = api.ClientAs(Parent);
        var note = await CreateAsync(parent, "Afspraak: huisarts bellen.");
        (await SaveAsync(parent, note.Id, 1, "Afspraak: huisarts bellen op maandag.")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var stale = await SaveAsync(parent, note.Id, 1, "Afspraak: tandarts bellen.");
        stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var problem = JsonDocument.Parse(await stale.Content.ReadAsStringAsync()).RootElement;
        problem.GetProperty("mergedText").ValueKind.ShouldBe(JsonValueKind.Null);
        var conflict = problem.GetProperty("conflicts").EnumerateArray().ShouldHaveSingleItem();
        (conflict.GetProperty("mine").GetString(), conflict.GetProperty("theirs").GetString())
            .ShouldBe(("Afspraak: tandarts bellen.", "Afspraak: huisarts bellen op maandag."));
    }

    [Fact]
    public async System.Threading.Tasks.Task People_without_access_to_the_logbook_cannot_read_or_save_a_note()
    {
        await using var api = new ApiFactory();
        await SeedAsync(api.CreateClient());
        foreach (var person in new[] { Supporter, Stranger })
        {
            var client = api.ClientAs(person);
            (await client.GetAsync($"{Url}/rt-note")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await SaveAsync(client, "rt-note", 1, "overschreven")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await client.PostAsJsonAsync(Url, new { text = "nieuw" }, Json)).StatusCode.ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.NotFound);
        }
        (await api.CreateClient().GetFromJsonAsync<NoteView>($"{Url}/rt-note", Json))!.Text.ShouldBe("Eerste notitie");
        (await api.ClientFor(null).GetAsync($"{Url}/rt-note")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task Fifty_concurrent_writers_on_one_note_lose_no_update(string provider)
    {
        await using var api = new ApiFactory(provider);
        await SeedAsync(api.CreateClient());
        var parent = api.ClientAs(Parent);
        // 100 lines; writer i changes line 2i, so no two writers touch adjacent lines and every stale save can merge.
        var lines = Enumerable.Range(0, 100).Select(i => $"regel {i}").ToArray();
        var note = await CreateAsync(parent, string.Join('\n', lines));
        var accepted = new System.Collections.Concurrent.ConcurrentBag<(int Writer, int Version, string Text)>();
        var statuses = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();

        // Each writer saves from version 1 and, told of a conflict, tries again with the offered merge (three tries at most).
        await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, 50).Select(writer => System.Threading.Tasks.Task.Run(async () =>
        {
            var client = api.ClientAs(Parent);
            var mine = (string[])lines.Clone();
            mine[2 * writer] = Edit(writer);
            var (baseVersion, text) = (1, string.Join('\n', mine));
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var response = await SaveAsync(client, note.Id, baseVersion, text);
                statuses.Add(response.StatusCode);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    accepted.Add((writer, (await response.Content.ReadFromJsonAsync<NoteView>(Json))!.Version, text));
                    return;
                }
                if (response.StatusCode != HttpStatusCode.Conflict) return;
                var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                (baseVersion, text) = (problem.GetProperty("currentVersion").GetInt32(), problem.GetProperty("mergedText").GetString()!);
                text.ShouldContain(Edit(writer)); // the offered merge keeps this writer's edit
            }
        }, TestContext.Current.CancellationToken)));

        // Every reply was "saved" or "conflict"; each accepted save made its own version, one after the other.
        statuses.Count.ShouldBeGreaterThanOrEqualTo(50);
        statuses.ShouldAllBe(s => s == HttpStatusCode.OK || s == HttpStatusCode.Conflict);
        accepted.ShouldNotBeEmpty();
        accepted.Select(a => a.Version).Order().ShouldBe(Enumerable.Range(2, accepted.Count));
        var final = (await parent.GetFromJsonAsync<NoteView>($"{Url}/{note.Id}", Json))!;
        final.Version.ShouldBe(1 + accepted.Count);
        // Every accepted edit is in the final text; the edit of a writer that gave up is not (it was told, not dropped silently).
        for (var writer = 0; writer < 50; writer++)
        {
            var landed = accepted.Any(a => a.Writer == writer);
            final.Text.Split('\n').Contains(Edit(writer)).ShouldBe(landed, $"writer {writer}");
        }

        // The history holds each accepted text as it was sent: nothing was overwritten in between.
        var system = api.CreateClient();
        foreach (var (_, version, text) in accepted)
        {
            var stored = await (await system.GetAsync($"/fhir/DocumentReference/{note.Id}/_history/{version}")).ReadAs<DocumentReference>();
            System.Text.Encoding.UTF8.GetString(stored.Content[0].Attachment.Data).ShouldBe(text);
        }
    }

    private static string Edit(int writer) => $"regel {2 * writer}: schrijver {writer}";
}
