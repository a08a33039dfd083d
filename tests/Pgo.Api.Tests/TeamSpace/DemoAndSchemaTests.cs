using System.Text.RegularExpressions;
using Pgo.Api.TeamSpace.Articles;
using Pgo.Api.TeamSpace.Data;
using Pgo.Api.TeamSpace.Demo;
using Pgo.Api.TeamSpace.Posts;
using Pgo.Api.TeamSpace.Search;
using Pgo.Api.TeamSpace.Teams;
using Pgo.Shared.Contracts;

namespace Pgo.Api.Tests.TeamSpace;

/// <summary>The demo team, migrations at start-up, and the contract with Identity's demo accounts.</summary>
public class DemoAndSchemaTests
{
    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task The_demo_team_runs_with_channels_threads_articles_and_search(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider, demoData: true);
        var ricardo = host.As(TestUser.Ricardo);
        var team = (await ricardo.GetJson<List<TeamSummary>>("/api/team/teams")).ShouldHaveSingleItem();
        team.Name.ShouldBe("Copiloten Noord");
        var url = $"/api/team/teams/{team.Id}";

        var view = await ricardo.GetJson<TeamView>(url);
        view.Channels.Select(c => c.Name).ShouldBe(["Aanvragen Wlz", "Hulpmiddelen", "Intervisie", "Juridisch", "PGB en SVB", "Wonen"], ignoreOrder: true);
        (await ricardo.GetJson<List<MemberView>>($"{url}/members")).Count.ShouldBe(7);

        var articles = await ricardo.GetJson<List<ArticleSummary>>($"{url}/articles");
        articles.Select(a => a.Slug).ShouldBe(["bezwaar-wmo-besluit", "checklist-18-jaar", "meerzorg-aanvragen"], ignoreOrder: true);
        articles.Single(a => a.Slug == "meerzorg-aanvragen").Version.ShouldBe(2);
        articles.Single(a => a.Slug == "checklist-18-jaar").LastReviewedAt.ShouldNotBeNull();
        var checklist = await ricardo.GetJson<ArticleView>($"{url}/articles/checklist-18-jaar");
        checklist.Body.ShouldContain("mentorschap");
        checklist.Links.Select(l => l.Slug).ShouldBe(["bezwaar-wmo-besluit", "meerzorg-aanvragen"], ignoreOrder: true);

        var wlz = view.Channels.Single(c => c.Slug == "aanvragen-wlz").Id;
        (await ricardo.GetJson<List<PostView>>($"{url}/channels/{wlz}/pinned")).ShouldHaveSingleItem().Author.Key.ShouldBe("Person/coach-smit");
        (await ricardo.GetJson<List<PostView>>($"{url}/channels/{wlz}/threads")).Count.ShouldBe(3);

        var hits = await ricardo.GetJson<List<SearchResultView>>($"{url}/search?q=aanvraag");
        hits.ShouldContain(h => h.Kind == "article" && h.Url.EndsWith("/articles/meerzorg-aanvragen"));
        hits.ShouldContain(h => h.Kind == "post" && h.Snippet.Contains("<mark>"));

        var bundles = await host.As(TestUser.Coach).GetJson<List<BottleneckBundle>>($"{url}/bottlenecks");
        bundles.Select(b => (b.Instantie, b.Count)).ShouldContain(("svb", 2));
        bundles.Select(b => (b.Instantie, b.Count)).ShouldContain(("ciz", 2));
        (await host.As(TestUser.Ilse).GetJson<List<TeamNotificationView>>("/api/team/notifications")).ShouldContain(n => n.Kind == "mention");
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task A_restart_keeps_the_data_and_neither_migrates_nor_loads_the_demo_twice(string provider)
    {
        var dataDir = Directory.CreateTempSubdirectory("pgo-team-restart-").FullName;
        try
        {
            var first = TeamSpaceHost.Start(provider, demoData: true, dataDir: dataDir);
            var pgDatabase = first.PostgresDatabase;
            (await first.Service<TeamSpaceDatabase>().SchemaVersionAsync()).ShouldBe(TeamSpaceSchema.Migrations[^1].Version);
            if (provider == "sqlite") File.Exists(Path.Combine(dataDir, "teamspace.db")).ShouldBeTrue();
            await first.StopAsync(keepDatabase: true);

            await using var second = TeamSpaceHost.Start(provider, demoData: true, dataDir: dataDir, pgDatabase: pgDatabase);
            (await second.Service<TeamSpaceDatabase>().SchemaVersionAsync()).ShouldBe(TeamSpaceSchema.Migrations[^1].Version);
            var teams = await second.As(TestUser.Coach).GetJson<List<TeamSummary>>("/api/team/teams");
            teams.ShouldHaveSingleItem().Slug.ShouldBe(TeamSpaceDemoData.TeamSlug);
            (await second.As(TestUser.Coach).GetJson<List<ArticleSummary>>($"/api/team/teams/{teams[0].Id}/articles")).Count.ShouldBe(3);
        }
        finally
        {
            try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Identity issues fhirUser from its demo accounts; the demo team's member keys must be exactly those.</summary>
    [Fact]
    public void Demo_member_keys_are_the_fhirUser_values_of_Identitys_demo_accounts()
    {
        var source = File.ReadAllText(RepoFiles.Path("Identity", "Demo", "DemoAccounts.cs"));
        var accounts = Regex.Matches(source, "new\\(\"[^\"]+\", \"(?<name>[^\"]+)\", Roles\\.(?<role>\\w+), \"(?<fhir>Person/[^\"]+)\"")
            .ToDictionary(m => m.Groups["fhir"].Value, m => (Name: m.Groups["name"].Value, Role: m.Groups["role"].Value));
        foreach (var member in TeamSpaceDemoData.Members)
        {
            accounts.ShouldContainKey(member.Key);
            accounts[member.Key].Name.ShouldBe(member.Name);
            accounts[member.Key].Role.ShouldBe("Supporter");
        }
    }
}
