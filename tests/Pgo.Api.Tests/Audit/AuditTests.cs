using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Pgo.Fhir.Access;
using Pgo.Fhir.Audit;
using Pgo.Fhir.Storage;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;

namespace Pgo.Api.Tests.Audit;

/// <summary>Every interaction leaves a NEN 7513 audit entry; the chain verifies; the regiehouder sees who looked at what.</summary>
public class AuditTests
{
    private const string Client = "au-client";

    private static async System.Threading.Tasks.Task FamilyAsync(ApiFactory api)
    {
        var system = api.CreateClient();
        Resource[] resources =
        [
            new Patient { Id = Client, BirthDate = "2014-01-01" },
            new RelatedPerson { Id = "au-parent", Patient = new ResourceReference($"Patient/{Client}") },
            new RelatedPerson { Id = "au-sister", Patient = new ResourceReference($"Patient/{Client}") },
            new Person { Id = "au-parent", Link = [new Person.LinkComponent { Target = new ResourceReference("RelatedPerson/au-parent") }] },
            new Person { Id = "au-sister", Link = [new Person.LinkComponent { Target = new ResourceReference("RelatedPerson/au-sister") }] },
            Named(Grants.Regie(null, Client, ["RelatedPerson/au-parent"]), "au-regie"),
            Named(Grants.Grant(null, Client, "RelatedPerson/au-sister", PgoCodes.GrantRole.Gezinslid, [PgoCodes.Section.Agenda]), "au-sister-agenda"),
        ];
        foreach (var r in resources) (await system.PutAsync($"/fhir/{r.TypeName}/{r.Id}", r)).EnsureSuccessStatusCode();

        static Consent Named(Consent c, string id) { c.Id = id; return c; }
    }

    private static Goal Goal(string text) => new()
    {
        LifecycleStatus = Hl7.Fhir.Model.Goal.GoalLifecycleStatus.Active,
        Subject = new ResourceReference($"Patient/{Client}"),
        Description = new CodeableConcept { Text = text },
        // The project profile: every goal names a life domain.
        Category = [new CodeableConcept(Pgo.Fhir.Access.PgoCodes.LifeDomain.System, "vrije-tijd")],
    };

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task Every_interaction_permitted_or_denied_leaves_an_entry_and_the_chain_verifies(string provider)
    {
        await using var api = new ApiFactory(provider);
        await FamilyAsync(api);
        var parent = api.ClientAs("Person/au-parent");
        var sister = api.ClientAs("Person/au-sister");

        var goal = await (await parent.PostAsync("/fhir/Goal", Goal("Fietsen"))).ReadAs<Goal>();
        (await parent.GetAsync($"/fhir/Goal/{goal.Id}")).EnsureSuccessStatusCode();
        (await parent.GetAsync($"/fhir/Goal/{goal.Id}/_history/1")).EnsureSuccessStatusCode();
        (await parent.GetAsync($"/fhir/Goal?patient=Patient/{Client}")).EnsureSuccessStatusCode();
        (await parent.GetAsync($"/fhir/Goal/{goal.Id}/_history")).EnsureSuccessStatusCode();
        goal.Description.Text = "Fietsen naar school";
        (await parent.PutAsync($"/fhir/Goal/{goal.Id}", goal)).EnsureSuccessStatusCode();
        (await parent.GetAsync($"/fhir/Patient/{Client}/$everything")).EnsureSuccessStatusCode();
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction, Entry = [new Bundle.EntryComponent { Resource = Goal("Zwemmen"), Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Goal" } }] };
        (await parent.PostAsync("/fhir", bundle)).EnsureSuccessStatusCode();
        (await sister.GetAsync($"/fhir/Goal/{goal.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await sister.PostAsync("/fhir/Goal", Goal("Stiekem"))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await parent.DeleteAsync($"/fhir/Goal/{goal.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var repo = api.Services.GetRequiredService<Pgo.Fhir.Rest.FhirRepository>();
        await repo.Audit.FlushAsync(TestContext.Current.CancellationToken);
        var entries = await repo.Audit.ReadAsync(new AuditQuery(PatientId: Client));
        var parentActions = entries.Where(e => e.Record.FhirUser == "Person/au-parent").Select(e => e.Record.Action).ToHashSet();
        foreach (var action in new[] { "create", "read", "vread", "search", "history", "update", "everything", "transaction:create", "delete" })
            parentActions.ShouldContain(action);

        var read = entries.First(e => e.Record.FhirUser == "Person/au-parent" && e.Record.Action == "read");
        read.Record.ResourceType.ShouldBe("Goal");
        read.Record.ResourceId.ShouldBe(goal.Id);
        read.Record.Version.ShouldBe(1);
        read.Record.Section.ShouldBe("doelen");
        read.Record.Outcome.ShouldBe(AuditRecord.Permitted);
        read.Record.Grants.ShouldBe("au-regie");
        read.Record.ClientId.ShouldBe("pgo-portal");
        read.Record.Subject.ShouldBe("account-Person-au-parent");
        read.Record.RequestId.ShouldNotBeNullOrEmpty();

        var denied = entries.Where(e => e.Record.FhirUser == "Person/au-sister").ToList();
        denied.Select(e => (e.Record.Action, e.Record.Outcome, e.Record.Status)).ShouldBe([("create", AuditRecord.Denied, 403), ("read", AuditRecord.Denied, 404)], ignoreOrder: true);

        (await repo.Audit.VerifyAsync()).Ok.ShouldBeTrue();
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task AuditEvent_cannot_be_written_through_rest_not_even_by_a_system_client(string provider)
    {
        await using var api = new ApiFactory(provider);
        await FamilyAsync(api);
        var audit = new AuditEvent
        {
            Type = new Coding("http://dicom.nema.org/resources/ontology/DCM", "110110"),
            Recorded = DateTimeOffset.UtcNow,
            Agent = [new AuditEvent.AgentComponent { Requestor = true, Who = new ResourceReference("RelatedPerson/au-parent") }],
            Source = new AuditEvent.SourceComponent { Observer = new ResourceReference("Device/x") },
            Entity = [new AuditEvent.EntityComponent { What = new ResourceReference($"Patient/{Client}") }],
        };
        var clients = new[] { api.CreateClient(), api.ClientAs("Person/au-parent") };
        foreach (var client in clients)
        {
            var post = await client.PostAsync("/fhir/AuditEvent", audit);
            post.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await post.Outcome()).Issue[0].Diagnostics.ShouldContain("alleen-lezen");
            audit.Id = "au-1";
            // A system client is refused as for POST; a person cannot create by PUT at all, so a new id is simply not found (W5).
            (await client.PutAsync("/fhir/AuditEvent/au-1", audit)).StatusCode.ShouldBe(client == clients[0] ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound);
            audit.Id = null;
        }
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task The_regiehouder_sees_who_looked_at_what_and_others_do_not(string provider)
    {
        await using var api = new ApiFactory(provider);
        await FamilyAsync(api);
        var parent = api.ClientAs("Person/au-parent");
        var sister = api.ClientAs("Person/au-sister");
        var appointment = new Appointment { Status = Appointment.AppointmentStatus.Booked, Participant = [new Appointment.ParticipantComponent { Actor = new ResourceReference($"Patient/{Client}"), Status = ParticipationStatus.Accepted }] };
        var created = await (await parent.PostAsync("/fhir/Appointment", appointment)).ReadAs<Appointment>();
        (await sister.GetAsync($"/fhir/Appointment/{created.Id}")).EnsureSuccessStatusCode();
        (await sister.GetAsync($"/fhir/Appointment?patient=Patient/{Client}")).EnsureSuccessStatusCode();

        var rows = await parent.GetFromJsonAsync<JsonElement>($"/api/dossiers/{Client}/audit?person=Person/au-sister&section=agenda");
        var list = rows.EnumerateArray().ToList();
        list.Select(r => r.GetProperty("action").GetString()).ShouldBe(["search", "read"]);
        list.All(r => r.GetProperty("who").GetString() == "Person/au-sister").ShouldBeTrue();
        list[1].GetProperty("grants").GetString().ShouldBe("au-sister-agenda");

        var csv = await parent.GetAsync($"/api/dossiers/{Client}/audit?format=csv");
        csv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var text = await csv.Content.ReadAsStringAsync();
        text.ShouldStartWith("nr;tijdstip;wie;rol;organisatie;handeling;record;versie;onderdeel;uitkomst;status;toestemming;app;details");
        text.ShouldContain("Person/au-sister");

        (await sister.GetAsync($"/api/dossiers/{Client}/audit")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await api.ClientAs("Person/au-stranger").GetAsync($"/api/dossiers/{Client}/audit")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var future = DateTimeOffset.UtcNow.AddDays(1).ToString("o");
        var none = await parent.GetFromJsonAsync<JsonElement>($"/api/dossiers/{Client}/audit?from={Uri.EscapeDataString(future)}");
        none.GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async System.Threading.Tasks.Task The_verify_audit_command_passes_on_an_intact_log_and_fails_after_an_edit()
    {
        var dataDir = Directory.CreateTempSubdirectory("pgo-audit-").FullName;
        try
        {
            await using (var api = new ApiFactory(dataDir: dataDir))
            {
                await FamilyAsync(api);
                (await api.ClientAs("Person/au-parent").PostAsync("/fhir/Goal", Goal("Lezen"))).EnsureSuccessStatusCode();
                await api.Services.GetRequiredService<Pgo.Fhir.Rest.FhirRepository>().Audit.FlushAsync(TestContext.Current.CancellationToken);
            }
            var (ok, output) = await VerifyAsync(dataDir);
            ok.ShouldBe(0, output);
            output.ShouldContain("in orde");

            SqliteConnection.ClearAllPools();
            await using (var conn = new SqliteConnection($"Data Source={Path.Combine(dataDir, "fhir.db")};Pooling=False"))
            {
                await conn.OpenAsync();
                await using var cmd = conn.CreateCommand();
                cmd.CommandText = "DROP TRIGGER audit_no_update; UPDATE audit_entry SET subject = 'iemand-anders' WHERE n = 2;";
                await cmd.ExecuteNonQueryAsync();
            }
            var (broken, message) = await VerifyAsync(dataDir);
            broken.ShouldBe(1, message);
            message.ShouldContain("regel 2 is gewijzigd");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> VerifyAsync(string dataDir)
    {
        var psi = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Pgo.Api.dll"), "verify-audit"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        psi.Environment["Pgo__DataDirectory"] = dataDir;
        psi.Environment["Pgo__LoadDemoData"] = "false";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(psi)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output + error);
    }
}
