using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using Pgo.Fhir.Audit;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Search.Indexing;
using Pgo.Fhir.Storage;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Fhir.Tests.Access;

/// <summary>A clock the test moves.</summary>
public sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>A repository with the consent policy on a test database (no HTTP), for policy-level tests.</summary>
public sealed class PolicyRig : IAsyncDisposable
{
    public PolicyRig(TestDb db, TestClock clock, bool audit = false)
    {
        Store = SqlFhirStore.FromConnectionString(db.ConnectionString);
        var indexer = new SearchIndexer();
        Policy = new ConsentAccessPolicy(Store, indexer, clock);
        Audit = new AuditLog(Store, new AuditOptions { Enabled = audit });
        Repository = new FhirRepository(Store, indexer, Policy, [], new FhirRepositoryOptions(), clock, Audit);
    }

    internal SqlFhirStore Store { get; }
    public ConsentAccessPolicy Policy { get; }
    public AuditLog Audit { get; }
    public FhirRepository Repository { get; }

    public static FhirContext System => new(CallerContext.System("test"), "urn:test");

    public static FhirContext As(string person, string scopes = "user/*.cruds") =>
        new(new CallerContext("sub-" + person, $"Person/{person}", scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), false, "test-app"), "urn:test");

    public async Task<Resource> PutAsync(Resource r)
    {
        var response = r.Id is null
            ? await Repository.CreateAsync(System, r.TypeName, r, null)
            : await Repository.UpdateAsync(System, r.TypeName, r.Id, r, null);
        return Serialization.FhirJson.Parse(response.Stored!.Json);
    }

    public async ValueTask DisposeAsync() => await Store.DisposeAsync();

    /// <summary>A new resource of a section for a patient.</summary>
    public static Resource NewResource(string section, string patientId)
    {
        var patient = new ResourceReference($"Patient/{patientId}");
        DocumentReference Doc(string? s) => new()
        {
            Status = DocumentReferenceStatus.Current,
            Subject = patient,
            Category = s is null ? [] : [new CodeableConcept(Section.System, s)],
            Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { Title = s ?? "document" } }],
        };
        return section switch
        {
            Section.Profiel => Doc(Section.Profiel),
            Section.Plan => new CarePlan { Status = RequestStatus.Active, Intent = CarePlan.CarePlanIntent.Plan, Subject = patient },
            Section.Doelen => new Goal { LifecycleStatus = Goal.GoalLifecycleStatus.Active, Subject = patient, Description = new CodeableConcept { Text = "doel" } },
            Section.Afspraken => new Hl7.Fhir.Model.Task { Status = Hl7.Fhir.Model.Task.TaskStatus.Requested, Intent = Hl7.Fhir.Model.Task.TaskIntent.Order, For = patient },
            Section.Logboek => Doc(Section.Logboek),
            Section.Berichten => new Communication { Status = EventStatus.Completed, Subject = patient },
            Section.Documenten => Doc(null),
            Section.Netwerk => new CareTeam { Subject = patient },
            Section.Agenda => new Appointment { Status = Appointment.AppointmentStatus.Booked, Participant = [new Appointment.ParticipantComponent { Actor = patient, Status = ParticipationStatus.Accepted }] },
            Section.Medisch => new Condition { Subject = patient, Code = new CodeableConcept { Text = "x" } },
            Section.Financien => Doc(Section.Financien),
            Pgo.Shared.Codes.DossierSections.Zorgtestament => Doc(Pgo.Shared.Codes.DossierSections.Zorgtestament),
            Section.Metingen => new QuestionnaireResponse { Status = QuestionnaireResponse.QuestionnaireResponseStatus.Completed, Subject = patient },
            Section.Tijd => new Basic { Code = new CodeableConcept(Section.System, Section.Tijd), Subject = patient },
            // An event that counts (issue 20): a Basic with an event-type code, valid by the project rule.
            Section.Gebeurtenissen => Pgo.Fhir.Profiles.CountableEvent.New(patientId, null, null,
                new Pgo.Fhir.Profiles.CountableEvent.Fields(Pgo.Shared.Codes.EventCodes.Types.Crisis, new DateOnly(2020, 1, 1), "crisis")),
            _ => throw new ArgumentOutOfRangeException(nameof(section), section, null),
        };
    }
}
