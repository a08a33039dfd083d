using Microsoft.Extensions.DependencyInjection.Extensions;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using Pgo.Api.Hosting;
using Pgo.Fhir.Profiles;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using Pgo.Shared.Text;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Practice;

/// <summary>Registers the supporter's practice (its time lives in the team space's database, migration 5).</summary>
public static class PracticeHosting
{
    public static WebApplicationBuilder AddPractice(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PracticeOptions>().BindConfiguration(PracticeOptions.Section)
            .Validate(o => o.EditDays is >= 1 and <= 366, "Practice:EditDays must be 1 to 366.").ValidateOnStart();
        builder.Services.AddSingleton<TimeStore>();
        builder.Services.AddSingleton<ReferralStore>();
        // The programme view (issue 21, Api/Evidence): its aggregates, the business case per stakeholder included.
        builder.Services.AddSingleton<Pgo.Api.Evidence.ProgrammeService>();
        // After TeamSpaceStartup (hosted services start in order), so the schema is there.
        builder.Services.AddHostedService<PracticeStartup>();
        return builder;
    }
}

/// <summary>
/// At start-up: moves time registrations still stored as FHIR <c>Basic</c> (older data) into the practice, once (each
/// keeps its origin as <see cref="TimeRow.Source"/>, so an interrupted move moves nothing twice; when done, pr_done says so
/// and later starts do not read again), and loads the demo supporters' time when asked. The FHIR path itself is closed (<see cref="TimeRegistration"/>).
/// </summary>
internal sealed class PracticeStartup(TimeStore store, FhirRepository repo, TimeProvider clock, IOptions<PgoOptions> pgo, IHostEnvironment environment,
    ILogger<PracticeStartup> logger) : IHostedService
{
    public async System.Threading.Tasks.Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var moved = await MoveFromFhirAsync(cancellationToken);
            if (moved > 0) logger.LogInformation("Moved {Count} time registrations from the dossiers into the practice.", moved);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The move is retried at the next start; the Api serves meanwhile (the entries stay readable as FHIR).
            logger.LogError(e, "Moving time registrations from the dossiers into the practice failed; it is retried at the next start.");
        }
        if (pgo.Value.DemoData(environment)) await DemoTime.LoadAsync(store, clock, cancellationToken);
    }

    public System.Threading.Tasks.Task StopAsync(CancellationToken cancellationToken) => System.Threading.Tasks.Task.CompletedTask;

    private const string MoveDone = "time-move";

    private async Task<int> MoveFromFhirAsync(CancellationToken ct)
    {
        // The FHIR path is closed, so once time Basics were found and moved no new ones can appear: later starts skip the
        // read (and its audit records). A store that never had any keeps looking, which reads (and audits) nothing.
        if (await store.IsDoneAsync(MoveDone, ct)) return 0;
        var reader = repo.AsPlatform(PlatformPurpose.TimeMove);
        var moved = 0;
        var seen = 0;
        const int page = 500;
        for (var offset = 0; ; offset += page)
        {
            var found = await reader.SearchAsync("Basic",
                [new("code", SupporterActivity.System + "|"), new("_count", page.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                 new("_offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture))], ct);
            seen += found.Count;
            foreach (var stored in found)
            {
                var basic = FhirJson.Parse<Basic>(stored.Json);
                if (!TimeRegistration.IsTimeEntry(basic) || await store.HasSourceAsync($"Basic/{basic.Id}", ct)) continue;
                if (TimeRegistration.ActivityOf(basic) is not { } activity || TimeRegistration.MinutesOf(basic) is not { } minutes
                    || TimeRegistration.DateOf(basic) is not { } date || basic.Subject?.Reference?.Split('/') is not ["Patient", var patientId]) continue;
                var authorRef = basic.Author?.Reference;
                var persons = authorRef is null ? [] : await reader.PersonsActingAsAsync([authorRef], ct);
                var patient = await reader.ReadAsync<Patient>(patientId, ct);
                var created = stored.LastUpdated;
                var row = await store.InsertAsync(new TimeRow
                {
                    AuthorKey = persons.FirstOrDefault() ?? authorRef ?? "onbekend",
                    AuthorName = basic.Author?.Display ?? "",
                    AuthorRef = authorRef,
                    PatientId = patientId,
                    FamilyName = patient is null ? null : DisplayNames.Of(patient.Name),
                    Activity = activity,
                    EntryDate = date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    Minutes = minutes,
                    Note = TimeRegistration.NoteOf(basic),
                    Source = $"Basic/{basic.Id}",
                    CreatedMs = created.ToUnixTimeMilliseconds(),
                }, ct);
                if (row is not null) moved++;
            }
            if (found.Count < page)
            {
                if (seen > 0) await store.MarkDoneAsync(MoveDone, clock.GetUtcNow().ToUnixTimeMilliseconds(), ct);
                return moved;
            }
        }
    }
}
