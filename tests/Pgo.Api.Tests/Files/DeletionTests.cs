using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Pgo.Api.Files;
using Pgo.Fhir.Audit;
using Pgo.Fhir.Rest;
using Shouldly;

namespace Pgo.Api.Tests.Files;

/// <summary>The regiehouder deletes the dossier: scheduled with a grace period and a clear warning, cancellable, then carried out.</summary>
[Collection("Files")]
public sealed class DeletionTests(FilesFixture files)
{
    private const string Kim = "dewit-kim";

    [Fact]
    public async Task A_scheduled_deletion_is_cancellable_and_after_the_grace_period_removes_resources_versions_and_files_but_keeps_the_audit_trail()
    {
        FilesHost.Require();
        await DeleteKimAsync(files.Host);
    }

    [Fact]
    public async Task On_PostgreSQL_the_deletion_removes_every_version_too()
    {
        FilesHost.Require();
        Needs.Postgres();
        await using var host = new FilesHost(provider: "postgres");
        await DeleteKimAsync(host);
    }

    private static async Task DeleteKimAsync(FilesHost host)
    {
        host.Clock.Set(DateTimeOffset.UtcNow);
        var ilona = host.As("dewit-ilona");
        (await host.As("bondgenoot-ilse").PostAsync($"/api/dossiers/{Kim}/deletion", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await host.As("vanassen-paula").PostAsync($"/api/dossiers/{Kim}/deletion", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await host.BlobNamesAsync($"{Kim}/")).ShouldNotBeEmpty();

        var scheduled = await ilona.PostAsync($"/api/dossiers/{Kim}/deletion", null);
        scheduled.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var view = (await scheduled.Content.ReadFromJsonAsync<DeletionView>())!;
        view.Scheduled.ShouldBeTrue();
        view.DueAt!.Value.ShouldBe(host.Clock.GetUtcNow().AddDays(30), TimeSpan.FromSeconds(5));
        view.Message.ShouldContain("definitief verwijderd");
        view.Message.ShouldContain("ongedaan maken");
        view.Message.ShouldContain("auditlog");

        var cancelled = await ilona.DeleteAsync($"/api/dossiers/{Kim}/deletion");
        (await cancelled.Content.ReadFromJsonAsync<DeletionView>())!.Scheduled.ShouldBeFalse();
        (await ilona.PostAsync($"/api/dossiers/{Kim}/deletion", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        var deletion = host.Api.Services.GetRequiredService<DossierDeletion>();
        (await deletion.CarryOutDueAsync(default)).ShouldBeEmpty(); // still inside the grace period
        host.Clock.Advance(TimeSpan.FromDays(31));
        IReadOnlyList<string> done;
        try { done = await deletion.CarryOutDueAsync(default); }
        finally { host.Clock.Set(DateTimeOffset.UtcNow); } // tokens are checked against the same clock
        done.ShouldBe([Kim]);

        var system = host.Api.CreateClient();
        (await system.GetAsync($"/fhir/Patient/{Kim}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await system.GetAsync($"/fhir/Patient/{Kim}/_history")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await system.GetAsync("/fhir/Consent/regie-dewit")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await system.GetAsync("/fhir/RelatedPerson/dewit-ilona")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await host.BlobNamesAsync($"{Kim}/")).ShouldBeEmpty();
        // Other families are untouched; the audit trail of this one stays.
        (await system.GetAsync("/fhir/Patient/frank-leo")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var repo = host.Api.Services.GetRequiredService<FhirRepository>();
        await repo.Audit.FlushAsync();
        var audit = await repo.Audit.ReadAsync(new AuditQuery(Kim, null, null, null, null, Limit: 1000));
        audit.ShouldContain(e => e.Record.Action == "dossier-deletion");
        audit.Count.ShouldBeGreaterThan(3);
    }
}
