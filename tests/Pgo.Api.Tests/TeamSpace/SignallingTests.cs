using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using System.Text;
using Dapper;
using Pgo.Api.TeamSpace.Data;
using Pgo.Api.TeamSpace.Demo;
using Pgo.Api.TeamSpace.Posts;
using Pgo.Api.TeamSpace.Signalling;
using Pgo.Shared.Contracts;

namespace Pgo.Api.Tests.TeamSpace;

/// <summary>
/// Signalling across teams (issue 19): knelpunten marked in different teams are one bundle per theme and instantie,
/// counted for the landelijk coördinator (and only for them); status and outcome flow back to the authors and markers;
/// the export carries counts and descriptions, never who wrote what.
/// </summary>
public class SignallingTests
{
    private static readonly TestUser Femke = new("Person/coordinator-jansen", "Femke Jansen (landelijk coördinator)", "coordinator");
    private static readonly TestUser Admin = new("Person/beheer-pgo", "Beheerder PGO", "admin");

    private const string Programme = "/api/signalling/bundles";

    private static async Task<PostView> MarkAsync(TeamSpaceHost host, TestTeam team, TestUser author, string body, string instantie, string theme, int families,
        string summary = "De uitbetaling loopt maanden achter.", TestUser? marker = null)
    {
        var post = await team.PostAsync(host.As(author), team.Pgb, body);
        return await (await host.As(marker ?? author).Put($"{team.Url}/posts/{post.Id}/bottleneck", new { instantie, theme, families, summary })).Read<PostView>();
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task The_same_theme_and_instantie_marked_in_two_teams_is_one_bundle_counted_per_team_and_month(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var noord = await TestTeam.CreateAsync(host, "noord");
        var zuid = await TestTeam.CreateAsync(host, "zuid");
        var ricardo = await MarkAsync(host, noord, TestUser.Ricardo, "De SVB betaalt al twee maanden niet uit.", "svb", "pgb", 2);
        var khadija = await MarkAsync(host, zuid, TestUser.Khadija, "Ook bij ons betaalt de SVB te laat.", "svb", "pgb", 3, "Wijziging in het zorgcontract blijft hangen.");
        var sven = await MarkAsync(host, noord, TestUser.Sven, "Tien weken wachten op het CIZ.", "ciz", "wlz-indicatie", 1);
        ricardo.Bottleneck!.BundleId.ShouldNotBeNull();
        khadija.Bottleneck!.BundleId.ShouldBe(ricardo.Bottleneck.BundleId);
        sven.Bottleneck!.BundleId.ShouldNotBe(ricardo.Bottleneck.BundleId);

        // Khadija's knelpunt was marked last month (Europe/Amsterdam): the months count apart.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(ricardo.Bottleneck.MarkedAt.ToUnixTimeMilliseconds());
        var earlier = now.AddDays(-40);
        await host.Service<TeamSpaceDatabase>().WriteAsync((c, tx) => c.ExecuteAsync(
            "UPDATE ts_post SET signal_ms = @ms WHERE id = @id;", new { ms = earlier.ToUnixTimeMilliseconds(), id = khadija.Id }, tx), default);

        var femke = host.As(Femke);
        var bundles = await femke.GetJson<List<SignalBundleSummary>>(Programme);
        bundles.Count.ShouldBe(2);
        var svb = bundles.Single(b => b.Instantie == "svb");
        (svb.Theme, svb.ThemeName, svb.InstantieName, svb.Status, svb.StatusName).ShouldBe(("pgb", "Pgb en SVB", "SVB", "nieuw", "Nieuw"));
        (svb.Signals, svb.Teams, svb.Families).ShouldBe((2, 2, 5));
        svb.FirstAt.ToUnixTimeMilliseconds().ShouldBe(earlier.ToUnixTimeMilliseconds());
        (await femke.GetJson<List<SignalBundleSummary>>($"{Programme}?instantie=svb&theme=pgb&status=nieuw")).ShouldHaveSingleItem().Id.ShouldBe(svb.Id);
        (await femke.GetJson<List<SignalBundleSummary>>($"{Programme}?status=aangekaart")).ShouldBeEmpty();

        var view = await femke.GetJson<SignalBundleView>($"{Programme}/{svb.Id}");
        view.PerTeam.Select(t => (t.Team, t.Signals, t.Families)).ShouldBe([("Testteam noord", 1, 2), ("Testteam zuid", 1, 3)], ignoreOrder: true);
        view.PerMonth.Select(m => (m.Month, m.Signals, m.Families)).ShouldBe([
            (SignalService.Month(earlier.ToUnixTimeMilliseconds()), 1, 3), (SignalService.Month(now.ToUnixTimeMilliseconds()), 1, 2)]);
        view.Summaries.ShouldBe(["De uitbetaling loopt maanden achter.", "Wijziging in het zorgcontract blijft hangen."]);
        view.History.ShouldBeEmpty();

        // A deleted post no longer counts; a bundle with no live post left is not listed.
        (await host.As(TestUser.Sven).DeleteAsync($"{noord.Url}/posts/{sven.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await femke.GetJson<List<SignalBundleSummary>>(Programme)).ShouldHaveSingleItem().Instantie.ShouldBe("svb");
        await (await femke.GetAsync($"{Programme}/{sven.Bottleneck.BundleId}")).Problem(404);

        // Unmarking takes it out of the counts too.
        (await (await host.As(TestUser.Khadija).DeleteAsync($"{zuid.Url}/posts/{khadija.Id}/bottleneck")).Read<PostView>()).Bottleneck.ShouldBeNull();
        var after = (await femke.GetJson<List<SignalBundleSummary>>(Programme)).ShouldHaveSingleItem();
        (after.Signals, after.Teams, after.Families).ShouldBe((1, 1, 2));
    }

    [Fact]
    public void A_month_is_the_month_on_the_Dutch_clock()
    {
        SignalService.Month(DateTimeOffset.Parse("2026-10-31T23:30:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds()).ShouldBe("2026-11");
        SignalService.Month(DateTimeOffset.Parse("2026-06-30T21:59:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds()).ShouldBe("2026-06");
        SignalService.Month(DateTimeOffset.Parse("2026-06-30T22:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds()).ShouldBe("2026-07");
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task A_status_change_tells_every_author_and_marker_once_and_shows_on_their_posts(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var noord = await TestTeam.CreateAsync(host, "noord");
        var zuid = await TestTeam.CreateAsync(host, "zuid");
        // Ricardo wrote it, Khadija marked it; Ricardo marks a second post himself; Sven marks one in the other team.
        var byKhadija = await MarkAsync(host, noord, TestUser.Ricardo, "De SVB betaalt niet uit.", "svb", "pgb", 1, marker: TestUser.Khadija);
        var byRicardo = await MarkAsync(host, noord, TestUser.Ricardo, "Nog een gezin met dezelfde vertraging.", "svb", "pgb", 1);
        var bySven = await MarkAsync(host, zuid, TestUser.Sven, "Hier ook.", "svb", "pgb", 4);
        var bundleId = byKhadija.Bottleneck!.BundleId!.Value;
        var femke = host.As(Femke);

        var raised = await (await femke.Put($"{Programme}/{bundleId}", new { status = "aangekaart", raisedWith = "SVB, landelijk overleg pgb" })).Read<SignalBundleView>();
        (raised.Bundle.Status, raised.Bundle.RaisedWith).ShouldBe(("aangekaart", "SVB, landelijk overleg pgb"));
        var solved = await (await femke.Put($"{Programme}/{bundleId}", new { status = "opgelost", outcome = "De SVB verwerkt wijzigingen voortaan binnen tien werkdagen." })).Read<SignalBundleView>();
        (solved.Bundle.Status, solved.Bundle.RaisedWith, solved.Bundle.Outcome).ShouldBe(("opgelost", "SVB, landelijk overleg pgb", "De SVB verwerkt wijzigingen voortaan binnen tien werkdagen."));
        solved.History.Select(h => (h.Status, h.By)).ShouldBe([("opgelost", Femke.Name), ("aangekaart", Femke.Name)]);

        // One notification per person per change (Ricardo wrote two posts and marked one): two changes, two each.
        foreach (var user in new[] { TestUser.Ricardo, TestUser.Khadija, TestUser.Sven })
        {
            var notes = (await host.As(user).GetJson<List<TeamNotificationView>>("/api/team/notifications")).Where(n => n.Kind == TeamNotifications.Signal).ToList();
            notes.Count.ShouldBe(2, user.Name);
            notes.ShouldAllBe(n => n.Actor.Name == Femke.Name && n.PostId != null);
        }
        (await host.As(TestUser.Coach).GetJson<List<TeamNotificationView>>("/api/team/notifications")).ShouldNotContain(n => n.Kind == TeamNotifications.Signal);
        (await host.As(Femke).GetJson<List<TeamNotificationView>>("/api/team/notifications")).ShouldBeEmpty();
        (await host.Service<TeamSpaceDatabase>().ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM ts_notification WHERE kind = 'signal' AND recipient_key = @k;", new { k = TestUser.Ricardo.FhirUser }), default)).ShouldBe(2);

        // The posts show the bundle's status and outcome, for their authors and the rest of the team.
        foreach (var (team, post, reader) in new[] { (noord, byKhadija, TestUser.Ricardo), (noord, byRicardo, TestUser.Expert), (zuid, bySven, TestUser.Sven) })
        {
            var mark = (await host.As(reader).GetJson<PostView>($"{team.Url}/posts/{post.Id}")).Bottleneck.ShouldNotBeNull();
            (mark.BundleId, mark.BundleStatus, mark.RaisedWith, mark.Outcome).ShouldBe(
                (bundleId, "opgelost", "SVB, landelijk overleg pgb", "De SVB verwerkt wijzigingen voortaan binnen tien werkdagen."));
        }
        var byKhadijaNow = (await host.As(TestUser.Ricardo).GetJson<PostView>($"{noord.Url}/posts/{byKhadija.Id}")).Bottleneck!;
        (byKhadijaNow.MarkedBy, byKhadijaNow.Families, byKhadijaNow.Summary).ShouldBe((TestUser.Khadija.FhirUser, 1, "De uitbetaling loopt maanden achter."));

        // The knelpunt comes back after "opgelost": a new mark makes the bundle new again, its history says so without a name.
        await MarkAsync(host, zuid, TestUser.Sven, "Het gebeurt weer, ondanks de afspraak.", "svb", "pgb", 2);
        var reopened = await femke.GetJson<SignalBundleView>($"{Programme}/{bundleId}");
        (reopened.Bundle.Status, reopened.Bundle.Signals).ShouldBe(("nieuw", 4));
        reopened.History.Select(h => (h.Status, h.By)).ShouldBe([("nieuw", SignalService.ReopenedBy), ("opgelost", Femke.Name), ("aangekaart", Femke.Name)]);
        reopened.History[0].Outcome.ShouldBe("De SVB verwerkt wijzigingen voortaan binnen tien werkdagen.");
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Only_the_landelijk_coordinator_reaches_the_programme_view(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        var post = await MarkAsync(host, team, TestUser.Ricardo, "De SVB betaalt niet uit.", "svb", "pgb", 1);
        var bundle = $"{Programme}/{post.Bottleneck!.BundleId}";

        foreach (var user in new[] { TestUser.Ricardo, TestUser.Coach, TestUser.Expert, Admin })
        {
            await (await host.As(user).GetAsync(Programme)).Problem(403);
            await (await host.As(user).GetAsync(bundle)).Problem(403);
            await (await host.As(user).GetAsync($"{bundle}/export")).Problem(403);
            await (await host.As(user).Put(bundle, new { status = "aangekaart", raisedWith = "SVB" })).Problem(403);
        }
        var anonymous = host.Anonymous();
        await (await anonymous.GetAsync(Programme)).Problem(401);
        await (await anonymous.GetAsync($"{bundle}/export")).Problem(401);
        await (await anonymous.Put(bundle, new { status = "aangekaart", raisedWith = "SVB" })).Problem(401);

        // The coördinator is no team member: the team itself stays closed to them.
        await (await host.As(Femke).GetAsync(team.Url)).Problem(404);
        await (await host.As(Femke).GetAsync($"{team.Url}/posts/{post.Id}")).Problem(404);
        (await host.As(Femke).GetJson<SignalBundleView>(bundle)).Bundle.Status.ShouldBe("nieuw");
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Bad_codes_counts_and_texts_are_refused_with_400(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        var ricardo = host.As(TestUser.Ricardo);
        var post = await team.PostAsync(ricardo, team.Pgb, "De SVB betaalt niet uit.");
        var mark = $"{team.Url}/posts/{post.Id}/bottleneck";

        async Task Refused(object body, string field)
        {
            var problem = await (await ricardo.Put(mark, body)).Problem(400);
            problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(problem.ToString());
        }
        await Refused(new { instantie = "rijkswaterstaat", theme = "pgb", families = 1, summary = "Te laat betaald." }, "instantie");
        await Refused(new { instantie = "svb", theme = "late uitbetaling", families = 1, summary = "Te laat betaald." }, "theme");
        await Refused(new { instantie = "svb", theme = "pgb", families = 0, summary = "Te laat betaald." }, "families");
        await Refused(new { instantie = "svb", theme = "pgb", families = 501, summary = "Te laat betaald." }, "families");
        await Refused(new { instantie = "svb", theme = "pgb", summary = "Te laat betaald." }, "families");
        await Refused(new { instantie = "svb", theme = "pgb", families = 1, summary = "Laat" }, "summary");
        await Refused(new { instantie = "svb", theme = "pgb", families = 1, summary = new string('x', 301) }, "summary");
        await Refused(new { instantie = "svb", theme = "pgb", families = 1 }, "summary");
        (await ricardo.GetJson<PostView>($"{team.Url}/posts/{post.Id}")).Bottleneck.ShouldBeNull();
        (await (await ricardo.Put(mark, new { instantie = "svb", theme = "pgb", families = 500, summary = "Te laat betaald." })).Read<PostView>())
            .Bottleneck!.Families.ShouldBe(500);

        var femke = host.As(Femke);
        var bundle = $"{Programme}/{(await femke.GetJson<List<SignalBundleSummary>>(Programme)).ShouldHaveSingleItem().Id}";
        await (await femke.GetAsync($"{Programme}?theme=bestaat-niet")).Problem(400);
        await (await femke.GetAsync($"{Programme}?status=klaar")).Problem(400);
        await (await femke.Put(bundle, new { status = "klaar" })).Problem(400);
        await (await femke.Put(bundle, new { status = "aangekaart" })).Problem(400);
        await (await femke.Put(bundle, new { status = "aangekaart", raisedWith = "ab" })).Problem(400);
        await (await femke.Put(bundle, new { status = "opgelost", raisedWith = "SVB" })).Problem(400);
        await (await femke.Put(bundle, new { status = "opgelost", outcome = new string('x', 1001) })).Problem(400);
        await (await femke.PutAsync(bundle, new StringContent("{ niet json", Encoding.UTF8, "application/json"))).Problem(400);
        await (await femke.Put($"{Programme}/999999", new { status = "gebundeld" })).Problem(404);
        (await femke.GetJson<SignalBundleView>(bundle)).History.ShouldBeEmpty();
        (await (await femke.Put(bundle, new { status = "gebundeld" })).Read<SignalBundleView>()).Bundle.Status.ShouldBe("gebundeld");
    }

    /// <summary>With the demo data, so the guard knows the caseloads whichever name source it uses (configured or FHIR).</summary>
    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task A_summary_or_a_coordinators_outcome_with_a_clients_name_or_a_bsn_is_refused_with_422_and_nothing_is_stored(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider, demoData: true);
        var ricardo = host.As(TestUser.Ricardo);
        var team = (await ricardo.GetJson<List<TeamSummary>>("/api/team/teams")).Single(t => t.Slug == TeamSpaceDemoData.TeamSlug);
        var channel = (await ricardo.GetJson<TeamView>($"/api/team/teams/{team.Id}")).Channels.Single(c => c.Slug == "pgb-en-svb").Id;
        var post = await (await ricardo.Post($"/api/team/teams/{team.Id}/channels/{channel}/threads", new { body = "Het zorgkantoor reageert niet op de aanvraag." })).Read<PostView>();
        var mark = $"/api/team/teams/{team.Id}/posts/{post.Id}/bottleneck";
        var before = await host.As(Femke).GetJson<List<SignalBundleSummary>>(Programme);

        // The demo: Noord and Zuid both signalled late pgb payments by the SVB (one bundle); the CIZ bundle was raised.
        var pgb = before.Single(b => b.Theme == "pgb" && b.Instantie == "svb");
        (pgb.Signals, pgb.Teams, pgb.Families).ShouldBe((3, 2, 6));
        var ciz = before.Single(b => b.Theme == "wlz-indicatie" && b.Instantie == "ciz");
        (ciz.Status, ciz.RaisedWith).ShouldBe(("aangekaart", "CIZ, regionaal overleg"));
        ciz.Outcome.ShouldNotBeNullOrWhiteSpace();
        (await host.As(new TestUser("Person/copiloot-noor", "Noor (copiloot)")).GetJson<List<TeamSummary>>("/api/team/teams"))
            .ShouldHaveSingleItem().Slug.ShouldBe(TeamSpaceDemoData.ZuidSlug);

        var named = await (await ricardo.Put(mark, new { instantie = "zorgkantoor", theme = "meerzorg", families = 1, summary = "Meerzorg voor Jesse Strikwerda blijft liggen.", confirmed = true })).Problem(422);
        named.GetProperty("findings").EnumerateArray().ShouldContain(f => f.GetProperty("kind").GetString() == "naam" && f.GetProperty("field").GetString() == "summary");
        await (await ricardo.Put(mark, new { instantie = "zorgkantoor", theme = "meerzorg", families = 1, summary = "Aanvraag met BSN 123456782 blijft liggen." })).Problem(422);

        // The coördinator's words go back to the teams: the guard of every team in the bundle reads them too.
        var femke = host.As(Femke);
        var byName = await (await femke.Put($"{Programme}/{ciz.Id}", new { status = "opgelost", outcome = "Voor Jesse Strikwerda is het besluit er." })).Problem(422);
        byName.GetProperty("findings").EnumerateArray().ShouldContain(f => f.GetProperty("kind").GetString() == "naam" && f.GetProperty("field").GetString() == "outcome");
        await (await femke.Put($"{Programme}/{ciz.Id}", new { status = "aangekaart", raisedWith = "CIZ, zaak van BSN 123456782" })).Problem(422);
        var unchanged = await femke.GetJson<SignalBundleView>($"{Programme}/{ciz.Id}");
        (unchanged.Bundle.Status, unchanged.Bundle.RaisedWith, unchanged.Bundle.Outcome).ShouldBe(("aangekaart", ciz.RaisedWith, ciz.Outcome));

        (await ricardo.GetJson<PostView>($"/api/team/teams/{team.Id}/posts/{post.Id}")).Bottleneck.ShouldBeNull();
        var after = await host.As(Femke).GetJson<List<SignalBundleSummary>>(Programme);
        after.ShouldNotContain(b => b.Theme == "meerzorg" && b.Instantie == "zorgkantoor");
        after.Count.ShouldBe(before.Count);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task The_export_is_dutch_csv_with_counts_and_descriptions_and_nothing_that_identifies(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var noord = await TestTeam.CreateAsync(host, "noord");
        var zuid = await TestTeam.CreateAsync(host, "zuid");
        const string canary = "Kanarievogel-7731";
        var first = await MarkAsync(host, noord, TestUser.Ricardo, $"De SVB betaalt niet uit. {canary}", "svb", "pgb", 2, "Uitbetaling loopt; maanden \"achter\".");
        await MarkAsync(host, zuid, TestUser.Khadija, $"Hier ook. {canary}", "svb", "pgb", 1, "=Wijziging blijft hangen.");
        var femke = host.As(Femke);
        var bundle = $"{Programme}/{first.Bottleneck!.BundleId}";
        await (await femke.Put(bundle, new { status = "aangekaart", raisedWith = "SVB, landelijk overleg" })).Read<SignalBundleView>();

        var response = await femke.GetAsync($"{bundle}/export");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        (response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName).ShouldBe("knelpunt-pgb-svb.csv");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        bytes.Take(3).ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });
        var csv = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        var lines = csv.Split("\r\n");
        lines[0].ShouldBe(SignalCsv.HeaderLine);
        lines[0].ShouldStartWith("thema;instantie;status;aangekaart bij;uitkomst");
        lines[1].ShouldStartWith("Pgb en SVB;SVB;Aangekaart;SVB, landelijk overleg;;2;3;2;");
        csv.ShouldContain("Testteam noord;1;2");
        csv.ShouldContain("Testteam zuid;1;1");
        csv.ShouldContain("\"Uitbetaling loopt; maanden \"\"achter\"\".\"");
        csv.ShouldContain("\r\n'=Wijziging blijft hangen.\r\n");

        foreach (var secret in new[] { canary, "Ricardo", "Khadija", "Marieke", "Femke", "Person/", "/posts/", TestUser.Ricardo.Sub })
            csv.ShouldNotContain(secret, Case.Insensitive);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Marking_and_a_status_change_reach_the_open_channel_live(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        var events = Channel.CreateUnbounded<(string Name, PostView Post)>();
        await using var khadija = new HubConnectionBuilder()
            .WithUrl(new Uri(host.Server.BaseAddress, "/hubs/team"), o =>
            {
                o.Transports = HttpTransportType.LongPolling;
                o.HttpMessageHandlerFactory = _ => host.Server.CreateHandler();
                o.Headers[TestAuthHandler.Header] = TestAuthHandler.HeaderValue(TestUser.Khadija);
            })
            .Build();
        khadija.On<PostView>("postEdited", p => events.Writer.TryWrite(("postEdited", p)));
        await khadija.StartAsync();
        await khadija.InvokeAsync("JoinChannel", team.Id, team.Pgb);
        async Task<PostView> NextAsync()
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            return (await events.Reader.ReadAsync(cts.Token)).Post;
        }

        var marked = await MarkAsync(host, team, TestUser.Ricardo, "De SVB betaalt niet uit.", "svb", "pgb", 1);
        (await NextAsync()).Bottleneck.ShouldNotBeNull().BundleStatus.ShouldBe("nieuw");
        await (await host.As(Femke).Put($"{Programme}/{marked.Bottleneck!.BundleId}", new { status = "aangekaart", raisedWith = "SVB" })).Read<SignalBundleView>();
        var changed = await NextAsync();
        (changed.Id, changed.Bottleneck!.BundleStatus, changed.Bottleneck.RaisedWith).ShouldBe((marked.Id, "aangekaart", "SVB"));
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task A_status_change_reaches_the_bell_of_the_author_without_text(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        var marked = await MarkAsync(host, team, TestUser.Ricardo, "Kanarievogel: de SVB betaalt niet uit.", "svb", "pgb", 1);
        await (await host.As(Femke).Put($"{Programme}/{marked.Bottleneck!.BundleId}", new { status = "aangekaart", raisedWith = "SVB" })).Read<SignalBundleView>();

        var forwarder = host.Service<Pgo.Api.Notifications.TeamNotificationForwarder>();
        while (await forwarder.ForwardOnceAsync(CancellationToken.None) > 0) { }
        var bell = await host.As(TestUser.Ricardo).GetJson<NotificationList>("/api/notifications?count=100");
        var item = bell.Items.ShouldHaveSingleItem();
        (item.Kind, item.Item, item.ActorName).ShouldBe((Pgo.Shared.Codes.NotificationKinds.TeamSignal, $"team/{team.Id}/post/{marked.Id}", Femke.Name));
        (await (await host.As(TestUser.Ricardo).GetAsync("/api/notifications?count=100")).Content.ReadAsStringAsync()).ShouldNotContain("Kanarievogel");
    }
}
