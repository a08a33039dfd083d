using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Hl7.Fhir.Model;
using Pgo.Api.TeamSpace.Posts;
using Pgo.Fhir.Access;
using Pgo.Fhir.Audit;
using Pgo.Fhir.Rest;
using Pgo.Shared.Contracts;

namespace Pgo.Api.Tests.TeamSpace;

/// <summary>
/// The guard's name source (issue 19): the names of every caseload the team serves, read from the dossiers through the
/// platform read "team-guard"; titles checked like bodies; the coach's mark on a post saved despite the guard; search
/// hits that name their thread; attachments checked as dossier documents.
/// </summary>
public class GuardTests
{
    /// <summary>A team of the demo coach and <paramref name="members"/> (supporters), with one channel.</summary>
    public static async Task<TestTeam> TeamWithAsync(TeamSpaceHost host, string slug, params (TestUser User, string Handle)[] members)
    {
        var coach = host.As(TestUser.Coach);
        var created = await coach.Post("/api/team/teams", new { name = "Team " + slug, slug, handle = "marieke" });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.Read<TeamView>()).Id;
        foreach (var (user, handle) in members)
            (await coach.Post($"/api/team/teams/{id}/members", new { memberKey = user.FhirUser, handle, name = user.Name, role = "supporter" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var channel = (await (await coach.Post($"/api/team/teams/{id}/channels", new { name = "Aanvragen Wlz" })).Read<ChannelView>()).Id;
        return new TestTeam(id, channel, channel, channel);
    }

    private static async Task<TestTeam> NoordAsync(HttpClient member)
    {
        var team = (await member.GetJson<List<TeamSummary>>("/api/team/teams")).Single(t => t.Slug == "copiloten-noord");
        var view = await member.GetJson<TeamView>($"/api/team/teams/{team.Id}");
        var channel = view.Channels.First().Id;
        return new TestTeam(team.Id, channel, channel, channel);
    }

    private static List<(string Kind, string Field, string Text)> Findings(JsonElement problem) =>
        problem.GetProperty("findings").EnumerateArray()
            .Select(f => (f.GetProperty("kind").GetString()!, f.GetProperty("field").GetString()!, f.GetProperty("text").GetString()!)).ToList();

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_client_of_another_members_caseload_is_flagged_and_the_read_is_audited_as_team_guard(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider, demoData: true);
        var sven = host.As(TestUser.Sven);
        var noord = await NoordAsync(sven);
        var threads = $"{noord.Url}/channels/{noord.Wlz}/threads";

        // Atilla Bilic is Khadija's client, not Sven's: the guard knows every caseload of Copiloten Noord.
        var refused = await (await sven.Post(threads, new { title = "Vraag over Atilla Bilic", body = "Hoe regelen we de nachtzorg?" })).Problem(422);
        Findings(refused).ShouldBe([("naam", "title", "Atilla Bilic")]);
        Findings(await (await sven.Post(threads, new { body = "Gulan vroeg me naar de PGB." })).Problem(422)).ShouldBe([("naam", "body", "Gulan")]);
        (await sven.GetJson<List<PostView>>(threads)).ShouldNotContain(p => p.Title == "Vraag over Atilla Bilic"); // nothing stored

        var repo = host.Service<FhirRepository>();
        await repo.Audit.FlushAsync(TestContext.Current.CancellationToken);
        var audit = await repo.Audit.ReadAsync(new AuditQuery(PatientId: "bilic-atilla"), TestContext.Current.CancellationToken);
        audit.ShouldContain(e => e.Record.Action == FhirRepository.PlatformReadAction && e.Record.Detail == PlatformPurpose.TeamGuard.Code);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_name_of_a_family_the_team_does_not_serve_passes(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider, demoData: true);
        var team = await TeamWithAsync(host, "alleen-ilse", (TestUser.Ilse, "ilse"));
        var ilse = host.As(TestUser.Ilse);

        var passed = await team.PostAsync(ilse, team.Wlz, "Atilla Bilic is een naam uit een ander team.");
        passed.ConfirmedFindings.ShouldBeEmpty();
        // Her own family still counts.
        var refused = await (await ilse.Post($"{team.Url}/channels/{team.Wlz}/threads", new { title = "Over Kim de Wit", body = "tekst" })).Problem(422);
        Findings(refused).ShouldBe([("naam", "title", "Kim de Wit")]);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_client_of_a_new_family_is_found_once_the_teams_names_are_read_again(string provider)
    {
        var clock = new MutableClock(TimeProvider.System.GetUtcNow());
        await using var host = TeamSpaceHost.Start(provider, demoData: true, clock: clock);
        var team = await TeamWithAsync(host, "nieuw-gezin", (TestUser.Sven, "sven"));
        var sven = host.As(TestUser.Sven);
        var threads = $"{team.Url}/channels/{team.Wlz}/threads";
        (await team.PostAsync(sven, team.Wlz, "Fenna Oosterhuis belde vanochtend.")).ConfirmedFindings.ShouldBeEmpty();

        // A new family that Sven supports: a dossier with a naaste, and his grant in force.
        var now = clock.GetUtcNow();
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        Resource[] family =
        [
            new Patient { Id = "guard-fenna", Active = true, Name = [new HumanName { Use = HumanName.NameUse.Official, Given = ["Fenna"], Family = "Oosterhuis" }], BirthDate = "2015-04-01" },
            new RelatedPerson { Id = "guard-geert", Active = true, Patient = new ResourceReference("Patient/guard-fenna"), Name = [new HumanName { Given = ["Geert"], Family = "Oosterhuis" }] },
            Grants.Grant("guard-toegang-sven", "guard-fenna", "Practitioner/bondgenoot-sven", PgoCodes.GrantRole.Ondersteuner, null, from: now.AddDays(-1)),
        ];
        foreach (var r in family)
            bundle.Entry.Add(new Bundle.EntryComponent { Resource = r, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"{r.TypeName}/{r.Id}" } });
        var response = await host.Service<FhirRepository>().ProcessBundleAsync(new FhirContext(CallerContext.System("test"), "urn:pgo:test"), bundle, TestContext.Current.CancellationToken);
        ((int)response.Status).ShouldBeLessThan(300);

        // The team's names are kept for at most a minute: within it the old list answers, after it the new family counts.
        (await team.PostAsync(sven, team.Wlz, "Fenna Oosterhuis belde nog eens.")).ConfirmedFindings.ShouldBeEmpty();
        clock.Advance(TimeSpan.FromSeconds(61));
        var refused = await (await sven.Post(threads, new { title = "Fenna Oosterhuis", body = "Geert heeft de brief van het CIZ." })).Problem(422);
        Findings(refused).ShouldBe([("naam", "title", "Fenna Oosterhuis"), ("naam", "body", "Geert")], ignoreOrder: true);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_title_is_checked_for_BSN_address_phone_and_email_and_kept_with_the_thread(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        var ricardo = host.As(TestUser.Ricardo);
        var threads = $"{team.Url}/channels/{team.Wlz}/threads";

        foreach (var (title, kind) in new[]
        {
            ("BSN 111222333 bij het CIZ", "bsn"), ("Woont aan de Kerkstraat 12", "adres"), ("Bel 06-12345678 terug", "telefoonnummer"),
            ("Mail moeder@voorbeeld.nl", "e-mailadres"),
        })
        {
            var found = Findings(await (await ricardo.Post(threads, new { title, body = "Zie de titel." })).Problem(422));
            found.ShouldContain(f => f.Kind == kind && f.Field == "title", title);
        }
        // A number that fails the elfproef is no BSN.
        var thread = (await (await ricardo.Post(threads, new { title = "Dossiernummer 111222334 bij het CIZ", body = "Zie de titel." })).Read<PostView>());
        thread.Title.ShouldBe("Dossiernummer 111222334 bij het CIZ");
        thread.ConfirmedFindings.ShouldBeEmpty();

        await (await ricardo.Post(threads, new { title = new string('t', 121), body = "te lang" })).Problem(400);
        await (await ricardo.Post($"{team.Url}/posts/{thread.Id}/replies", new { title = "Een titel", body = "antwoord" })).Problem(400);

        // Editable with the body; null keeps it, "" removes it; checked again.
        Findings(await (await ricardo.Put($"{team.Url}/posts/{thread.Id}", new { body = "Zie de titel.", title = "Bel 0512-123456" })).Problem(422))
            .ShouldContain(f => f.Kind == "telefoonnummer" && f.Field == "title");
        (await (await ricardo.Put($"{team.Url}/posts/{thread.Id}", new { body = "Nieuwe tekst", title = "Wlz-indicatie en logeren" })).Read<PostView>()).Title.ShouldBe("Wlz-indicatie en logeren");
        (await (await ricardo.Put($"{team.Url}/posts/{thread.Id}", new { body = "Nog nieuwer" })).Read<PostView>()).Title.ShouldBe("Wlz-indicatie en logeren");
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task Search_hits_name_their_thread_and_titles_are_searchable(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        var ricardo = host.As(TestUser.Ricardo);
        var titled = await (await ricardo.Post($"{team.Url}/channels/{team.Wlz}/threads", new { title = "Logeeropvang zoeken", body = "Wie weet een adresje in de regio?" })).Read<PostView>();
        var reply = await team.ReplyAsync(host.As(TestUser.Khadija), titled.Id, "Probeer de zorgboerderij bij het meer.");
        var untitled = await team.PostAsync(ricardo, team.Wlz, "Hoe lang duurt een herindicatie bij het CIZ eigenlijk?\n\nBij ons al drie maanden.");
        var article = await (await ricardo.Post($"{team.Url}/articles", new { title = "Zorgboerderij als dagbesteding", body = "Een zorgboerderij biedt dagbesteding." })).Read<ArticleView>();

        // The title alone finds the thread (only the title says "logeeropvang").
        var byTitle = (await ricardo.GetJson<List<SearchResultView>>($"{team.Url}/search?q=logeeropvang")).ShouldHaveSingleItem();
        (byTitle.Kind, byTitle.Id, byTitle.Title, byTitle.ThreadId).ShouldBe(("post", titled.Id, "Logeeropvang zoeken", (long?)titled.Id));

        var hits = await ricardo.GetJson<List<SearchResultView>>($"{team.Url}/search?q=zorgboerderij");
        var replyHit = hits.Single(h => h.Kind == "post");
        (replyHit.Id, replyHit.Title, replyHit.ThreadId).ShouldBe((reply.Id, "Logeeropvang zoeken", (long?)titled.Id));
        var articleHit = hits.Single(h => h.Kind == "article");
        (articleHit.Slug, articleHit.ThreadId).ShouldBe((article.Slug, (long?)null));

        var firstLine = (await ricardo.GetJson<List<SearchResultView>>($"{team.Url}/search?q=herindicatie")).ShouldHaveSingleItem();
        (firstLine.Title, firstLine.ThreadId).ShouldBe(("Hoe lang duurt een herindicatie bij het CIZ eigenlijk?", (long?)untitled.Id));
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_post_saved_despite_the_guard_is_marked_for_the_coach_who_asks_for_an_edit_that_a_clean_edit_ends(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        var ricardo = host.As(TestUser.Ricardo);
        var coach = host.As(TestUser.Coach);
        var marked = await team.PostAsync(ricardo, team.Wlz, "Mail de moeder via moeder@voorbeeld.nl", confirmed: true);
        marked.Flag.ShouldNotBeNull().ConfirmedFindings.ShouldBe(["e-mailadres"]);
        var clean = await team.PostAsync(ricardo, team.Wlz, "Een bericht zonder herleidbare gegevens.");
        clean.Flag.ShouldBeNull();

        // Only the author, coaches and experts see the mark.
        (await host.As(TestUser.Khadija).GetJson<PostView>($"{team.Url}/posts/{marked.Id}")).Flag.ShouldBeNull();
        (await host.As(TestUser.Expert).GetJson<PostView>($"{team.Url}/posts/{marked.Id}")).Flag.ShouldNotBeNull();
        await (await host.As(TestUser.Khadija).GetAsync($"{team.Url}/flagged")).Problem(403);
        await (await host.As(TestUser.Guest).GetAsync($"{team.Url}/flagged")).Problem(403);
        await (await host.As(TestUser.Outsider).GetAsync($"{team.Url}/flagged")).Problem(404);
        (await host.As(TestUser.Expert).GetJson<List<PostView>>($"{team.Url}/flagged")).ShouldHaveSingleItem().Id.ShouldBe(marked.Id);
        (await coach.GetJson<List<PostView>>($"{team.Url}/flagged")).ShouldHaveSingleItem().Flag.ShouldNotBeNull().EditRequestedAt.ShouldBeNull();

        // The request: a reason of 3 to 500 characters, only by a coach or expert, only on a marked post.
        await (await coach.Post($"{team.Url}/posts/{marked.Id}/edit-request", new { reason = "" })).Problem(400);
        await (await coach.Post($"{team.Url}/posts/{marked.Id}/edit-request", new { reason = "ok" })).Problem(400);
        await (await coach.Post($"{team.Url}/posts/{marked.Id}/edit-request", new { reason = new string('x', 501) })).Problem(400);
        await (await host.As(TestUser.Khadija).Post($"{team.Url}/posts/{marked.Id}/edit-request", new { reason = "Graag aanpassen." })).Problem(403);
        await (await coach.Post($"{team.Url}/posts/{clean.Id}/edit-request", new { reason = "Graag aanpassen." })).Problem(409);
        var asked = await (await coach.Post($"{team.Url}/posts/{marked.Id}/edit-request", new { reason = "Haal het e-mailadres weg, graag." })).Read<PostView>();
        asked.Flag.ShouldNotBeNull().EditRequestReason.ShouldBe("Haal het e-mailadres weg, graag.");
        asked.Flag.EditRequestedBy.ShouldBe("Marieke Smit (coach)");

        // The author is told, and sees the request on the post.
        var notification = (await ricardo.GetJson<List<TeamNotificationView>>("/api/team/notifications")).ShouldHaveSingleItem();
        (notification.Kind, notification.PostId, notification.Actor.Key).ShouldBe((TeamNotifications.EditRequest, (long?)marked.Id, TestUser.Coach.FhirUser));
        (await ricardo.GetJson<PostView>($"{team.Url}/posts/{marked.Id}")).Flag.ShouldNotBeNull().EditRequestReason.ShouldBe("Haal het e-mailadres weg, graag.");
        var log = await coach.GetJson<List<ModerationEntry>>($"{team.Url}/moderation");
        log.ShouldContain(e => e.PostId == marked.Id && e.Action == "aanpassing gevraagd");
        JsonSerializer.Serialize(log).ShouldNotContain("moeder@voorbeeld.nl");

        // An edit still confirmed keeps the mark; an edit the guard passes clean ends it.
        var still = await (await ricardo.Put($"{team.Url}/posts/{marked.Id}", new { body = "Mail via moeder@voorbeeld.nl of bel", confirmed = true })).Read<PostView>();
        still.Flag.ShouldNotBeNull().EditRequestReason.ShouldNotBeNull();
        var edited = await (await ricardo.Put($"{team.Url}/posts/{marked.Id}", new { body = "Mail de moeder via het dossier." })).Read<PostView>();
        edited.Flag.ShouldBeNull();
        edited.ConfirmedFindings.ShouldBeEmpty();
        (await coach.GetJson<List<PostView>>($"{team.Url}/flagged")).ShouldBeEmpty();

        // "In orde": handled marks come after the open ones.
        var first = await team.PostAsync(ricardo, team.Wlz, "Bel 06-12345678", confirmed: true);
        var second = await team.PostAsync(ricardo, team.Wlz, "Bel 06-87654321", confirmed: true);
        await (await coach.Post($"{team.Url}/posts/{clean.Id}/flag-handled", new { })).Problem(409);
        await (await host.As(TestUser.Khadija).Post($"{team.Url}/posts/{second.Id}/flag-handled", new { })).Problem(403);
        var handled = await (await coach.Post($"{team.Url}/posts/{second.Id}/flag-handled", new { })).Read<PostView>();
        handled.Flag.ShouldNotBeNull().HandledAt.ShouldNotBeNull();
        handled.Flag.HandledBy.ShouldBe("Marieke Smit (coach)");
        (await coach.GetJson<List<PostView>>($"{team.Url}/flagged")).Select(p => p.Id).ShouldBe([first.Id, second.Id]);
        (await coach.GetJson<List<ModerationEntry>>($"{team.Url}/moderation")).ShouldContain(e => e.PostId == second.Id && e.Action == "in orde");
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task Attachments_are_checked_as_dossier_documents(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        var ricardo = host.As(TestUser.Ricardo);
        var upload = $"{team.Url}/channels/{team.Wlz}/attachments";
        const string docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

        var word = await ricardo.PostAsync($"{upload}?name=brief.docx", Bytes(Zip("[Content_Types].xml", "word/document.xml"), docx));
        word.StatusCode.ShouldBe(HttpStatusCode.Created, await word.Content.ReadAsStringAsync());
        (await word.Read<AttachmentView>()).ContentType.ShouldBe(docx);
        // A browser that sends no type: the name's extension is the declared kind.
        (await ricardo.PostAsync($"{upload}?name=brief.docx", Bytes(Zip("[Content_Types].xml", "word/document.xml"), "application/octet-stream"))).StatusCode.ShouldBe(HttpStatusCode.Created);

        var html = "<!doctype html><html><body><script>alert(1)</script></body></html>"u8.ToArray();
        await (await ricardo.PostAsync($"{upload}?name=factuur.pdf", Bytes(html, "application/pdf"))).Problem(415);
        await (await ricardo.PostAsync($"{upload}?name=factuur.pdf", Bytes(html, "application/octet-stream"))).Problem(415);
        await (await ricardo.PostAsync($"{upload}?name=factuur.pdf", Bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2], "application/pdf"))).Problem(415);
        await (await ricardo.PostAsync($"{upload}?name=macro.docx", Bytes(Zip("[Content_Types].xml", "word/document.xml", "word/vbaProject.bin"), docx))).Problem(415);
        await (await ricardo.PostAsync($"{upload}?name=leeg.docx", Bytes(Zip("iets.txt"), docx))).Problem(415);
        await (await ricardo.PostAsync($"{upload}?name=programma.exe", Bytes([0x4D, 0x5A, 0x90, 0x00], "application/octet-stream"))).Problem(415);
    }

    private static byte[] Zip(params string[] entries)
    {
        using var memory = new MemoryStream();
        using (var archive = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                using var writer = new StreamWriter(archive.CreateEntry(entry).Open());
                writer.Write("<x/>");
            }
        }
        return memory.ToArray();
    }

    private static ByteArrayContent Bytes(byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }
}
