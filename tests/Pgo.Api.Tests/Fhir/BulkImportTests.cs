using System.Net;
using System.Text;
using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using Microsoft.Extensions.DependencyInjection;
using Pgo.Fhir.Audit;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using Pgo.Fhir.Storage;

namespace Pgo.Api.Tests.Fhir;

/// <summary>One Api per provider for the class, with one import of three patients' dossiers (300 resources) done once.</summary>
public abstract class BulkImportHost(string provider) : IAsyncLifetime
{
    public ApiFactory Api { get; } = new(provider);

    public const int PerPatient = 100;
    public static readonly string[] Patients = ["bi-p0", "bi-p1", "bi-p2"];

    public async ValueTask InitializeAsync()
    {
        var system = Api.CreateClient();
        // A supporter with a read grant on one section (doelen) of one patient, written through the ordinary write path.
        Resource[] supporter =
        [
            new Practitioner { Id = "bi-sup", Name = [new HumanName { Family = "Bondgenoot" }] },
            new Person { Id = "bi-sup", Link = [new Person.LinkComponent { Target = new ResourceReference("Practitioner/bi-sup") }] },
        ];
        foreach (var r in supporter) (await system.PutAsync($"/fhir/{r.TypeName}/{r.Id}", r)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var response = await BulkImportTests.ImportAsync(system, Patients.SelectMany(p => BulkImportTests.Dossier(p, PerPatient)));
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var grant = Grants.Grant("bi-grant", "bi-p0", "Practitioner/bi-sup", PgoCodes.GrantRole.Ondersteuner, [PgoCodes.Section.Doelen]);
        (await system.PutAsync("/fhir/Consent/bi-grant", grant)).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return Api.DisposeAsync();
    }
}

public sealed class SqliteBulkImportHost() : BulkImportHost("sqlite");
public sealed class PostgresBulkImportHost() : BulkImportHost("postgres");
public sealed class BulkImportOnSqlite(SqliteBulkImportHost host) : BulkImportTests(host), IClassFixture<SqliteBulkImportHost>;
public sealed class BulkImportOnPostgres(PostgresBulkImportHost host) : BulkImportTests(host), IClassFixture<PostgresBulkImportHost>;

/// <summary>Issue 22's bulk path, POST /fhir/$import (docs/adr/0015-bulk-import.md): NDJSON of new resources, stored all or
/// nothing with their index rows and sections, by a system client only, audited as one event.</summary>
public abstract class BulkImportTests(BulkImportHost host)
{
    private HttpClient SystemClient => host.Api.CreateClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A dossier like the benchmark's: the Patient, then Observations (k % 10 &lt; 8), Goals (8) and Tasks (9).</summary>
    public static IEnumerable<Resource> Dossier(string patient, int count)
    {
        yield return new Patient { Id = patient, BirthDate = "2012-05-01", Name = [new HumanName { Family = "Imp" + patient.Replace("-", "", StringComparison.Ordinal), Given = ["Kind"] }] };
        for (var k = 1; k < count; k++)
        {
            var id = $"{patient}-{k}";
            var subject = new ResourceReference($"Patient/{patient}");
            var day = new DateTime(2024, 1, 1).AddDays(k).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            yield return (k % 10) switch
            {
                8 => new Goal { Id = id, LifecycleStatus = Goal.GoalLifecycleStatus.Active, Description = new CodeableConcept { Text = $"Doel {k}" }, Subject = subject },
                9 => new Hl7.Fhir.Model.Task { Id = id, Status = Hl7.Fhir.Model.Task.TaskStatus.Requested, Intent = Hl7.Fhir.Model.Task.TaskIntent.Order, For = subject, Description = $"Afspraak {k}" },
                _ => new Observation
                {
                    Id = id, Status = ObservationStatus.Final, Subject = subject, Effective = new FhirDateTime(day),
                    Code = new CodeableConcept("http://loinc.org", k % 2 == 0 ? "8867-4" : "29463-7"), Value = new Quantity(40 + k % 80, "kg"),
                },
            };
        }
    }

    private static int CountOf<T>(int count) where T : Resource => Dossier("x", count).Count(r => r is T);

    public static Task<HttpResponseMessage> ImportAsync(HttpClient client, IEnumerable<Resource> resources) =>
        ImportLinesAsync(client, resources.Select(r => FhirJson.Serialize(r)));

    private static async Task<HttpResponseMessage> ImportLinesAsync(HttpClient client, IEnumerable<string> lines)
    {
        using var content = new StringContent(string.Join("\n", lines) + "\n", Encoding.UTF8, "application/fhir+ndjson");
        return await client.PostAsync("/fhir/$import", content);
    }

    [Fact]
    public async System.Threading.Tasks.Task Imported_resources_are_stored_as_version_1_and_searches_find_them_with_the_right_totals()
    {
        foreach (var p in BulkImportHost.Patients)
        {
            (await SystemClient.CountAsync("Observation", $"subject=Patient/{p}")).ShouldBe(CountOf<Observation>(BulkImportHost.PerPatient));
            (await SystemClient.CountAsync("Goal", $"subject=Patient/{p}")).ShouldBe(CountOf<Goal>(BulkImportHost.PerPatient));
            (await SystemClient.CountAsync("Task", $"patient=Patient/{p}")).ShouldBe(CountOf<Hl7.Fhir.Model.Task>(BulkImportHost.PerPatient));
        }
        (await SystemClient.CountAsync("Patient", "family=impbip")).ShouldBe(3); // Impbip0..2: a prefix search on the imported names
        (await SystemClient.CountAsync("Observation", "subject=Patient/bi-p1&code=http://loinc.org|8867-4&date=ge2024-01-02&date=le2024-01-11")).ShouldBe(4);
        var observation = await (await SystemClient.GetAsync("/fhir/Observation/bi-p2-3", Ct)).ReadAs<Observation>();
        observation.Meta.VersionId.ShouldBe("1");
        observation.Subject.Reference.ShouldBe("Patient/bi-p2");
    }

    [Fact]
    public async System.Threading.Tasks.Task A_supporter_with_a_doelen_grant_on_one_patient_sees_only_that_patients_imported_goals()
    {
        var supporter = host.Api.ClientAs("Person/bi-sup");
        (await supporter.CountAsync("Goal", "")).ShouldBe(CountOf<Goal>(BulkImportHost.PerPatient));
        (await supporter.CountAsync("Goal", "subject=Patient/bi-p0")).ShouldBe(CountOf<Goal>(BulkImportHost.PerPatient));
        (await supporter.CountAsync("Observation", "")).ShouldBe(0);
        (await supporter.CountAsync("Task", "")).ShouldBe(0);
        (await supporter.GetAsync("/fhir/Goal/bi-p0-8", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await supporter.GetAsync("/fhir/Goal/bi-p1-8", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await supporter.GetAsync("/fhir/Observation/bi-p0-1", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async System.Threading.Tasks.Task Persons_user_patient_and_read_only_system_tokens_are_refused_with_403_and_nothing_is_stored()
    {
        var dossier = Dossier("bi-refused", 5).ToList();
        HttpClient[] refused =
        [
            host.Api.ClientAs("Person/bi-sup"),
            host.Api.ClientAs("Person/bi-sup", "openid fhirUser user/*.cruds system/*.cruds"),
            host.Api.ClientFor(TestTokens.Person("Person/bi-sup", "openid fhirUser launch/patient patient/*.cruds")),
            host.Api.ClientFor(TestTokens.System("system/*.rs")),
            host.Api.ClientFor(TestTokens.System("system/Observation.c")),
        ];
        foreach (var client in refused)
        {
            var response = await ImportAsync(client, dossier);
            var body = await response.Content.ReadAsStringAsync(Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, body);
            body.ShouldContain("OperationOutcome");
        }
        (await ImportAsync(host.Api.ClientFor(null), dossier)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await SystemClient.GetAsync("/fhir/Patient/bi-refused", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await SystemClient.CountAsync("Observation", "subject=Patient/bi-refused")).ShouldBe(0);
    }

    [Fact]
    public async System.Threading.Tasks.Task Bad_lines_refuse_the_whole_import_with_400_naming_each_line_and_nothing_is_stored()
    {
        var good = Dossier("bi-bad", 3).Select(r => FhirJson.Serialize(r)).ToList();
        var consent = Grants.Grant("bi-bad-grant", "bi-bad", "Practitioner/bi-sup", PgoCodes.GrantRole.Regiehouder, null, write: true, manage: true);
        string[] lines =
        [
            good[0],                                                        // 1
            good[1],                                                        // 2
            "{\"resourceType\": \"Observation\", \"id\": ",                  // 3: not JSON
            FhirJson.Serialize(consent),                          // 4: access-shaping type
            "{\"resourceType\":\"Goal\",\"lifecycleStatus\":\"active\",\"description\":{\"text\":\"x\"},\"subject\":{\"reference\":\"Patient/bi-bad\"}}", // 5: no id
            "",                                                             // 6: blank, skipped
            good[1],                                                        // 7: the id of line 2 again
            good[2],                                                        // 8
        ];
        var before = await SystemClient.CountAsync("Observation", "");
        var response = await ImportLinesAsync(SystemClient, lines);
        var body = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body);
        var outcome = FhirJson.Parse<OperationOutcome>(body);
        var text = outcome.Issue[0].Diagnostics;
        foreach (var line in new[] { 3, 4, 5, 7 }) text.ShouldMatch($"(Regel|Line) {line}:");
        foreach (var line in new[] { 1, 2, 6, 8 }) text.ShouldNotMatch($"(Regel|Line) {line}:");
        text.ShouldContain("Consent");
        (await SystemClient.GetAsync("/fhir/Patient/bi-bad", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await SystemClient.CountAsync("Observation", "")).ShouldBe(before);
        (await SystemClient.GetAsync("/fhir/Consent/bi-bad-grant", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    /// <summary>One record of each type that decides who may see what (grants, who a person acts as, whom they work for,
    /// care teams) or acts on its own (subscriptions), and the audit trail: $import refuses them all (ADR 15).</summary>
    private static IEnumerable<Resource> AccessShaping()
    {
        var patient = new ResourceReference("Patient/bi-shape");
        yield return Grants.Grant("bi-shape-consent", "bi-shape", "Practitioner/bi-sup", PgoCodes.GrantRole.Regiehouder, null, write: true, manage: true);
        yield return new Person { Id = "bi-shape-person", Link = [new Person.LinkComponent { Target = patient }] };
        yield return new RelatedPerson { Id = "bi-shape-relatedperson", Patient = patient };
        yield return new Practitioner { Id = "bi-shape-practitioner", Name = [new HumanName { Family = "Ander" }] };
        yield return new PractitionerRole { Id = "bi-shape-practitionerrole", Practitioner = new ResourceReference("Practitioner/bi-sup"), Organization = new ResourceReference("Organization/bi-shape-organization") };
        yield return new Organization { Id = "bi-shape-organization", Name = "Overgenomen" };
        yield return new CareTeam { Id = "bi-shape-careteam", Subject = patient, Participant = [new CareTeam.ParticipantComponent { Member = new ResourceReference("Practitioner/bi-sup") }] };
        yield return new Subscription
        {
            Id = "bi-shape-subscription", Status = Subscription.SubscriptionStatus.Requested, Criteria = "Observation?subject=Patient/bi-shape", Reason = "meekijken",
            Channel = new Subscription.ChannelComponent { Type = Subscription.SubscriptionChannelType.RestHook, Endpoint = "https://example.org/hook" },
        };
        yield return new AuditEvent
        {
            Id = "bi-shape-auditevent", Type = new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest"), Recorded = DateTimeOffset.UtcNow,
            Agent = [new AuditEvent.AgentComponent { Requestor = true, Who = new ResourceReference("Practitioner/bi-sup") }],
            Source = new AuditEvent.SourceComponent { Observer = new ResourceReference("Organization/bi-shape-organization") },
        };
    }

    [Fact]
    public async System.Threading.Tasks.Task A_create_only_system_client_is_refused_every_access_shaping_type_by_its_line_and_nothing_of_that_file_is_stored()
    {
        // The migration client ADR 15 describes: client credentials, system/*.c and nothing else.
        var migration = host.Api.ClientFor(TestTokens.System("system/*.c", "pgo-test-migration"));
        var shaping = AccessShaping().ToList();
        shaping.Select(r => r.TypeName).ToHashSet().ShouldBe(FhirRepository.ImportRefusedTypes, ignoreOrder: true);
        Goal GoalFor(Resource r) => new() { Id = $"bi-shape-goal-{r.TypeName.ToLowerInvariant()}", LifecycleStatus = Goal.GoalLifecycleStatus.Active, Description = new CodeableConcept { Text = "Doel" }, Subject = new ResourceReference("Patient/bi-shape") };
        foreach (var refused in shaping)
        {
            // An allowed Goal on line 1, the access-shaping record on line 2: all or nothing.
            var response = await ImportAsync(migration, [GoalFor(refused), refused]);
            var body = await response.Content.ReadAsStringAsync(Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, $"{refused.TypeName}: {body}");
            var text = FhirJson.Parse<OperationOutcome>(body).Issue[0].Diagnostics;
            text.ShouldMatch("(Regel|Line) 2:", refused.TypeName);
            text.ShouldNotMatch("(Regel|Line) 1:", refused.TypeName);
            text.ShouldContain(refused.TypeName);
            (await SystemClient.GetAsync($"/fhir/Goal/{GoalFor(refused).Id}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound, $"{refused.TypeName}: half a file was stored");
            (await SystemClient.GetAsync($"/fhir/{refused.TypeName}/{refused.Id}", Ct)).StatusCode.ShouldNotBe(HttpStatusCode.OK, $"{refused.TypeName} was imported");
        }
        // The same client imports the allowed lines alone: the refusals were the types', not the client's.
        var goals = await ImportAsync(migration, shaping.Select(GoalFor));
        goals.StatusCode.ShouldBe(HttpStatusCode.OK, await goals.Content.ReadAsStringAsync(Ct));
        (await SystemClient.GetAsync($"/fhir/Goal/{GoalFor(shaping[0]).Id}", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        // The refused Consent would have made the supporter regiehouder of bi-shape: they see none of its Goals.
        (await SystemClient.CountAsync("Goal", "subject=Patient/bi-shape")).ShouldBe(shaping.Count);
        (await host.Api.ClientAs("Person/bi-sup").CountAsync("Goal", "subject=Patient/bi-shape")).ShouldBe(0);
    }

    [Fact]
    public async System.Threading.Tasks.Task An_id_that_exists_is_refused_by_its_line_number_and_the_rest_of_that_import_is_not_stored()
    {
        Resource[] again =
        [
            new Observation { Id = "bi-new-1", Status = ObservationStatus.Final, Code = new CodeableConcept("http://loinc.org", "8867-4"), Subject = new ResourceReference("Patient/bi-p1") },
            new Observation { Id = "bi-p1-1", Status = ObservationStatus.Final, Code = new CodeableConcept("http://loinc.org", "8867-4"), Subject = new ResourceReference("Patient/bi-p2") },
        ];
        var response = await ImportAsync(SystemClient, again);
        var body = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body);
        body.ShouldMatch("(Regel|Line) 2: Observation/bi-p1-1");
        body.ShouldNotMatch("(Regel|Line) 1:");
        (await SystemClient.GetAsync("/fhir/Observation/bi-new-1", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // The existing resource is untouched: still version 1 in bi-p1's dossier.
        var existing = await (await SystemClient.GetAsync("/fhir/Observation/bi-p1-1", Ct)).ReadAs<Observation>();
        existing.Meta.VersionId.ShouldBe("1");
        existing.Subject.Reference.ShouldBe("Patient/bi-p1");
    }

    [Fact]
    public async System.Threading.Tasks.Task An_import_is_one_audit_record_naming_counts_and_patients_and_the_chain_still_verifies()
    {
        var response = await ImportAsync(SystemClient, Dossier("bi-audit-a", 4).Concat(Dossier("bi-audit-b", 3)));
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        var auditStore = host.Api.Services.GetRequiredService<IAuditStore>();
        var entries = await auditStore.ReadAuditAsync(new AuditQuery(Limit: 100_000), Ct);
        var imports = entries.Where(e => e.Record.Action == "import" && e.Record.Status == 200 && e.Record.Detail!.Contains("bi-audit-a", StringComparison.Ordinal)).ToList();
        imports.Count.ShouldBe(1);
        var detail = imports[0].Record.Detail!;
        detail.ShouldContain("Observation 5");
        detail.ShouldContain("Patient 2");
        detail.ShouldContain("bi-audit-a,bi-audit-b");
        imports[0].Record.ClientId.ShouldBe("pgo-test-system");
        // No per-resource write records for what the import stored.
        entries.ShouldNotContain(e => e.Record.ResourceId == "bi-audit-a-1" && e.Record.Action == "create");
        var verification = await auditStore.VerifyAuditAsync(Ct);
        verification.Ok.ShouldBeTrue(verification.ToString());
    }
}
