using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Pgo.Api.TeamSpace.Articles;
using Pgo.Api.TeamSpace.Posts;
using Pgo.Shared.Contracts;

namespace Pgo.Api.Tests.TeamSpace;

/// <summary>The de-identification guard through the API, bad input, and attachments: refusals are ProblemDetails, never a 500, and leave nothing behind.</summary>
public class SafetyApiTests
{
    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Identifying_text_is_refused_with_the_findings_until_the_author_confirms(string provider)
    {
        // The demo dossiers: Ricardo supports the Strikwerda family (Rowena is Jesse's sister), which the guard reads from FHIR.
        await using var host = TeamSpaceHost.Start(provider, demoData: true);
        var team = await TestTeam.CreateAsync(host);
        var ricardo = host.As(TestUser.Ricardo);
        const string text = "Rowena heeft BSN 123456782 en haar moeder is bereikbaar op 06-12345678.";

        var refused = await (await ricardo.Post($"{team.Url}/channels/{team.Wlz}/threads", new { body = text })).Problem(422);
        refused.GetProperty("title").GetString().ShouldBe("Mogelijk herleidbare gegevens");
        var kinds = refused.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("kind").GetString()).ToList();
        kinds.ShouldBe(["bsn", "telefoonnummer", "naam"], ignoreOrder: true);
        (await ricardo.GetJson<List<PostView>>($"{team.Url}/channels/{team.Wlz}/threads")).ShouldBeEmpty(); // nothing stored

        var saved = await team.PostAsync(ricardo, team.Wlz, text, confirmed: true);
        saved.ConfirmedFindings.ShouldBe(["bsn", "telefoonnummer", "naam"], ignoreOrder: true);

        // The same name is no finding in a team that does not serve the family.
        var other = await GuardTests.TeamWithAsync(host, "alleen-ilse", (TestUser.Ilse, "ilse"));
        (await other.PostAsync(host.As(TestUser.Ilse), other.Wlz, "Rowena is een mooie naam.")).ConfirmedFindings.ShouldBeEmpty();

        // Articles and edits are guarded too.
        await (await ricardo.Post($"{team.Url}/articles", new { title = "Over Jesse Strikwerda", body = "tekst" })).Problem(422);
        await (await ricardo.Put($"{team.Url}/posts/{saved.Id}", new { body = "Mail tessa@strikwerda.example" })).Problem(422);
        var article = await (await ricardo.Post($"{team.Url}/articles", new { title = "Over Jesse", body = "tekst", confirmed = true })).Read<ArticleView>();
        article.ConfirmedFindings.ShouldBe(["naam"]);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Bad_input_gets_a_problem_and_never_a_server_error(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        var ricardo = host.As(TestUser.Ricardo);
        var threads = $"{team.Url}/channels/{team.Wlz}/threads";

        await (await ricardo.PostAsync(threads, new StringContent("{ niet json", Encoding.UTF8, "application/json"))).Problem(400);
        await (await ricardo.PostAsync(threads, new StringContent("", Encoding.UTF8, "application/json"))).Problem(400);
        await (await ricardo.PostAsync(threads, new StringContent("null", Encoding.UTF8, "application/json"))).Problem(400);
        await (await ricardo.PostAsync(threads, new StringContent("{\"body\": 12}", Encoding.UTF8, "application/json"))).Problem(400);
        await (await ricardo.Post(threads, new { body = "" })).Problem(400);
        await (await ricardo.Post(threads, new { body = "nul\0teken" })).Problem(400);
        await (await ricardo.PostAsync(threads, new StringContent("{\"body\": \"half \\ud800 teken\"}", Encoding.UTF8, "application/json"))).Problem(400);
        await (await ricardo.Post(threads, new { body = new string('x', 20_001) })).Problem(400);
        await (await ricardo.GetAsync($"{team.Url}/channels/abc/threads")).Problem(404);
        await (await ricardo.GetAsync($"{team.Url}/channels/{team.Wlz}/threads?limit=veel")).Problem(400);
        await (await ricardo.GetAsync($"{team.Url}/channels/999999/threads")).Problem(404);
        await (await ricardo.Post($"{team.Url}/channels/999999/threads", new { body = "x" })).Problem(404);
        await (await ricardo.GetAsync($"{team.Url}/posts/999999")).Problem(404);
        await (await ricardo.GetAsync("/api/team/bestaat-niet")).Problem(404);
        await (await ricardo.GetAsync("/api/team/teams/999999")).Problem(404);
        await (await host.As(TestUser.Coach).Post("/api/team/teams", new { name = "Team", slug = "Geen Slug!" })).Problem(400);
        await (await host.As(TestUser.Coach).Post("/api/team/teams", new { name = "Testteam", slug = "testteam" })).Problem(409);

        // A post that names an attachment it may not use is refused as a whole: the post is not stored.
        await (await ricardo.Post(threads, new { body = "met bijlage", attachmentIds = new[] { 424242 } })).Problem(400);
        (await ricardo.GetJson<List<PostView>>(threads)).ShouldBeEmpty();

        // A channel of another team is not reachable through this team.
        var other = await TestTeam.CreateAsync(host, "ander-team");
        await (await ricardo.Post($"{team.Url}/channels/{other.Wlz}/threads", new { body = "verkeerd team" })).Problem(404);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Attachments_pass_only_as_allowed_types_within_the_size_limit_and_only_to_readers(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider, settings: new Dictionary<string, string?> { ["TeamSpace:MaxAttachmentBytes"] = "1024" });
        var team = await TestTeam.CreateAsync(host);
        var ricardo = host.As(TestUser.Ricardo);
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4];

        var uploaded = await ricardo.PostAsync($"{team.Url}/channels/{team.Wlz}/attachments?name=schema.png", Bytes(png, "application/octet-stream"));
        uploaded.StatusCode.ShouldBe(HttpStatusCode.Created);
        var attachment = await uploaded.Read<AttachmentView>();
        (attachment.ContentType, attachment.SizeBytes).ShouldBe(("image/png", png.Length));

        await (await ricardo.PostAsync($"{team.Url}/channels/{team.Wlz}/attachments?name=x.html", Bytes("<script>alert(1)</script>"u8.ToArray(), "image/png"))).Problem(415);
        await (await ricardo.PostAsync($"{team.Url}/channels/{team.Wlz}/attachments?name=x.svg", Bytes("<svg onload=alert(1)/>"u8.ToArray(), "image/svg+xml"))).Problem(415);
        await (await ricardo.PostAsync($"{team.Url}/channels/{team.Wlz}/attachments?name=groot.pdf", Bytes([.. "%PDF-"u8.ToArray(), .. new byte[2000]], "application/pdf"))).Problem(413);
        await (await ricardo.PostAsync($"{team.Url}/channels/{team.Wlz}/attachments?name=../../etc/passwd", Bytes(png, "image/png"))).Problem(400);
        await (await ricardo.PostAsync($"{team.Url}/channels/{team.Wlz}/attachments", Bytes(png, "image/png"))).Problem(400);

        // Before it is used in a post only the uploader sees it; then every reader of the channel, nobody else.
        await (await host.As(TestUser.Khadija).GetAsync(attachment.Url)).Problem(404);
        var post = await ricardo.Post($"{team.Url}/channels/{team.Wlz}/threads", new { body = "Het schema", attachmentIds = new[] { attachment.Id } });
        (await post.Read<PostView>()).Attachments.ShouldHaveSingleItem().Id.ShouldBe(attachment.Id);
        var download = await host.As(TestUser.Khadija).GetAsync(attachment.Url);
        download.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await download.Content.ReadAsByteArrayAsync()).ShouldBe(png);
        download.Content.Headers.ContentType!.MediaType.ShouldBe("image/png");
        download.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        download.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        await (await host.As(TestUser.Guest).GetAsync(attachment.Url)).Problem(404);
        await (await host.As(TestUser.Outsider).GetAsync(attachment.Url)).Problem(404);
        // Used once only.
        await (await ricardo.Post($"{team.Url}/channels/{team.Wlz}/threads", new { body = "nog eens", attachmentIds = new[] { attachment.Id } })).Problem(400);
    }

    private static ByteArrayContent Bytes(byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }
}
