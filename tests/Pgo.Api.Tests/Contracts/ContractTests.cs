using System.Net;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Pgo.Api.Tests.Access;
using Pgo.Shared.Contracts;
using PortalDossier = Pgo.Shared.Contracts.Dossier;

namespace Pgo.Api.Tests.Contracts;

/// <summary>
/// The records in Shared/Contracts are what the Portal deserializes. This reads what the Api really sends, as the demo
/// users the Portal signs in with, into those records with unknown members refused and every constructor parameter
/// required (as the Portal reads them, but strict): a field renamed, added or dropped on either side fails here instead
/// of silently showing as empty in a screen.
/// </summary>
public sealed class ContractTests(SqliteDemoFamilies demo) : IClassFixture<SqliteDemoFamilies>
{
    private static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    private async Task<T> ReadAsync<T>(string person, string url)
    {
        var response = await demo.Api.ClientAs($"Person/{person}").GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{url}: {body}");
        try
        {
            return JsonSerializer.Deserialize<T>(body, Strict)!;
        }
        catch (JsonException e)
        {
            throw new ShouldAssertException($"{url} does not match {typeof(T).Name}: {e.Message}\n{body[..Math.Min(body.Length, 2000)]}", e);
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task The_access_answers_match_the_records_the_Portal_reads()
    {
        (await ReadAsync<List<PortalDossier>>("strikwerda-tessa", "/api/access/dossiers")).ShouldContain(d => d.Id == "strikwerda-jesse");
        (await ReadAsync<AccountOperations>("strikwerda-tessa", "/api/access/account")).Operations.ShouldNotBeNull();
        (await ReadAsync<AccessOverview>("strikwerda-tessa", "/api/dossiers/strikwerda-jesse/access")).Grants.ShouldNotBeEmpty();
        (await ReadAsync<List<AuditRow>>("strikwerda-tessa", "/api/dossiers/strikwerda-jesse/audit")).ShouldNotBeEmpty();
        await ReadAsync<List<SharedPackage>>("gemeente-wmo-degroot", "/api/access/share-packages");
    }

    [Fact]
    public async System.Threading.Tasks.Task The_dossier_answers_match_the_records_the_Portal_reads()
    {
        var overview = await ReadAsync<DossierOverview>("strikwerda-tessa", "/api/dossiers/strikwerda-jesse/overview");
        overview.OpenAgreements.ShouldNotBeNull();
        overview.Measurements.ShouldNotBeNull();
        (await ReadAsync<TimelinePage>("strikwerda-tessa", "/api/dossiers/strikwerda-jesse/timeline?count=50")).Items.ShouldNotBeEmpty();
        (await ReadAsync<SearchResults>("strikwerda-tessa", "/api/dossiers/strikwerda-jesse/search?q=school")).ShouldNotBeNull();
        await ReadAsync<AgreementView[]>("strikwerda-tessa", "/api/dossiers/strikwerda-jesse/agreements/overdue");
        await ReadAsync<DueAgreement[]>("strikwerda-tessa", "/api/agreements/due-soon?days=366");
        (await ReadAsync<DueAgreement[]>("strikwerda-tessa", "/api/agreements/mine")).ShouldNotBeEmpty();
        (await ReadAsync<CaseloadFamily[]>("bondgenoot-ricardo", "/api/caseload")).ShouldNotBeEmpty();
        var note = await ReadAsync<NoteView>("bondgenoot-ricardo", "/api/dossiers/strikwerda-jesse/notes/strikwerda-logboek-dagbesteding");
        note.PatientId.ShouldBe("strikwerda-jesse");
        (await ReadAsync<List<NoteVersion>>("bondgenoot-ricardo", "/api/dossiers/strikwerda-jesse/notes/strikwerda-logboek-dagbesteding/versions")).ShouldNotBeEmpty();
    }

    [Fact]
    public async System.Threading.Tasks.Task The_time_answers_match_the_records_the_Portal_reads()
    {
        // The Api allows a period of at most 366 days; the demo's time is in the weeks before today.
        var today = DateOnly.FromDateTime(demo.Api.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
        var sheet = await ReadAsync<TimeSheet>("bondgenoot-ricardo", $"/api/time?from={today.AddDays(-365):yyyy-MM-dd}&to={today:yyyy-MM-dd}");
        sheet.Entries.ShouldNotBeEmpty();
    }

    [Fact]
    public async System.Threading.Tasks.Task The_event_answers_match_the_records_the_Portal_reads()
    {
        var register = await ReadAsync<EventRegister>("bondgenoot-ilse", "/api/dossiers/dewit-kim/events");
        register.Events.ShouldContain(e => e.Type == "bezwaar" && e.Contests == "Basic/gebeurtenis-dewit-besluit-lift" && e.Procedure!.DaysLeft > 0);
        (await ReadAsync<EventView[]>("bondgenoot-ilse", "/api/procedures/upcoming")).ShouldContain(e => e.PatientId == "dewit-kim");
    }

    [Fact]
    public async System.Threading.Tasks.Task The_team_space_answers_match_the_records_the_Portal_reads()
    {
        var teams = await ReadAsync<List<TeamSummary>>("bondgenoot-ricardo", "/api/team/teams");
        var team = await ReadAsync<TeamView>("bondgenoot-ricardo", $"/api/team/teams/{teams.ShouldHaveSingleItem().Id}");
        var threads = await ReadAsync<List<PostView>>("bondgenoot-ricardo", $"/api/team/teams/{team.Id}/channels/{team.Channels[0].Id}/threads?limit=30");
        if (threads.Count > 0) await ReadAsync<ThreadView>("bondgenoot-ricardo", $"/api/team/teams/{team.Id}/posts/{threads[0].Id}/thread");
        var articles = await ReadAsync<List<ArticleSummary>>("bondgenoot-ricardo", $"/api/team/teams/{team.Id}/articles");
        if (articles.Count > 0) await ReadAsync<ArticleView>("bondgenoot-ricardo", $"/api/team/teams/{team.Id}/articles/{articles[0].Slug}");
        // Only the coach reads the signalled bottlenecks.
        await ReadAsync<List<BottleneckBundle>>("coach-smit", $"/api/team/teams/{team.Id}/bottlenecks");
        await ReadAsync<List<SearchResultView>>("bondgenoot-ricardo", $"/api/team/teams/{team.Id}/search?q=school&limit=20");
    }

    /// <summary>The demo's measurement plans (issue 20) as the Portal reads them: De Wit's plan shows every state (done with
    /// its day, planned, and the resilience list overdue); Strikwerda has none, so Ricardo can plan it.</summary>
    [Fact]
    public async Task The_demo_measurement_plans_match_the_contract_and_show_done_planned_and_overdue()
    {
        var dewit = await ReadAsync<MeasurementPlanView>("bondgenoot-ilse", "/api/dossiers/dewit-kim/measurement-plan");
        dewit.CanPlan.ShouldBeTrue();
        dewit.Items.Select(i => i.State).Distinct().Order(StringComparer.Ordinal).ShouldBe(["gedaan", "gepland", "te-laat"]);
        dewit.Items.Where(i => i.State == "gedaan").ShouldAllBe(i => i.DoneOn != null);
        dewit.Items.Single(i => i.State == "te-laat").Instrument.ShouldBe("veerkracht");
        (await ReadAsync<MeasurementPlanView>("bondgenoot-ricardo", "/api/dossiers/strikwerda-jesse/measurement-plan")).Items.ShouldBeEmpty();
        (await ReadAsync<MeasurementPlanView>("dewit-ilona", "/api/dossiers/dewit-kim/measurement-plan")).Items.Length.ShouldBe(dewit.Items.Length);
    }
}
