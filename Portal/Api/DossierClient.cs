using System.Globalization;
using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Pgo.Shared.Codes;
using Pgo.Shared.Contracts;
using Pgo.Shared.Text;
using FM = Hl7.Fhir.Model;

namespace Pgo.Portal.Api;

/// <summary>
/// One family's dossier: the Api's task-shaped views (overview, timeline, overdue agreements, the caseload), starting a
/// dossier, co-writing notes, and the FHIR resources the screens edit (goals, plans, agreements, appointments, messages,
/// the paspoort). Rules about the dossier (which agreement is late, what changed, what a supporter's families show) are
/// the Api's: this client only calls and maps.
/// </summary>
public sealed class DossierClient(PgoApi api, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, string> _names = new(StringComparer.Ordinal);

    private static string Esc(string value) => PgoApi.Esc(value);

    // ---------------------------------------------------------------- task-shaped views (/api/dossiers, /api/caseload)

    /// <summary>The dossier in one call (GET /api/dossiers/{id}/overview): a section not shared with the person is null.</summary>
    /// <summary>The active measurement instruments to fill in (GET /api/instruments, issue 20): the platform's lists and the ones coaches added.</summary>
    public Task<InstrumentView[]> InstrumentsAsync(CancellationToken cancel = default) =>
        api.GetJsonAsync<InstrumentView[]>("api/instruments", cancel);

    /// <summary>The family's measurement plan (GET /api/dossiers/{id}/measurement-plan, issue 20).</summary>
    public Task<MeasurementPlanView> MeasurementPlanAsync(string patientId, CancellationToken cancel = default) =>
        api.GetJsonAsync<MeasurementPlanView>($"api/dossiers/{Esc(patientId)}/measurement-plan", cancel);

    /// <summary>Plan the 0-, 1- and 2-meting of the default instruments from today.</summary>
    public Task<MeasurementPlanView> PlanMeasurementsAsync(string patientId, CancellationToken cancel = default) =>
        api.SendJsonAsync<MeasurementPlanView>(HttpMethod.Post, $"api/dossiers/{Esc(patientId)}/measurement-plan", new MeasurementPlanRequest(), cancel);

    public Task<MeasurementPlanView> MovePlannedMeasurementAsync(string patientId, string taskId, string due, int version, CancellationToken cancel = default) =>
        api.SendJsonAsync<MeasurementPlanView>(HttpMethod.Put, $"api/dossiers/{Esc(patientId)}/measurement-plan/{Esc(taskId)}", new PlannedMeasurementChange(due, version), cancel);

    public Task<MeasurementPlanView> CancelPlannedMeasurementAsync(string patientId, string taskId, string reason, int version, CancellationToken cancel = default) =>
        api.SendJsonAsync<MeasurementPlanView>(HttpMethod.Post, $"api/dossiers/{Esc(patientId)}/measurement-plan/{Esc(taskId)}/cancel", new PlannedMeasurementCancel(reason, version), cancel);

    /// <summary>A coach adds a measurement instrument (POST /api/instruments, issue 20).</summary>
    public Task<InstrumentView> AddInstrumentAsync(InstrumentRequest request, CancellationToken cancel = default) =>
        api.SendJsonAsync<InstrumentView>(HttpMethod.Post, "api/instruments", request, cancel);

    /// <summary>A coach retires an instrument of their team (POST /api/instruments/{id}/retire).</summary>
    public Task<InstrumentView> RetireInstrumentAsync(string id, CancellationToken cancel = default) =>
        api.SendJsonAsync<InstrumentView>(HttpMethod.Post, $"api/instruments/{Esc(id)}/retire", new { }, cancel);

    public Task<DossierOverview> OverviewAsync(string patientId, CancellationToken cancel = default) =>
        api.GetJsonAsync<DossierOverview>($"api/dossiers/{Esc(patientId)}/overview", cancel);

    /// <summary>What happened lately in the sections the person sees, newest first (GET /api/dossiers/{id}/timeline).</summary>
    public async Task<IReadOnlyList<Change>> ChangesAsync(string patientId, int count, CancellationToken cancel = default) =>
        (await api.GetJsonAsync<TimelinePage>($"api/dossiers/{Esc(patientId)}/timeline?count={count}", cancel)).Items
            .Select(i => new Change(i.Section, $"{i.Type}/{i.Id}", i.Title,
                DateTimeOffset.TryParse(i.Date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when) ? when : DateTimeOffset.MinValue))
            .ToList();

    /// <summary>What the person may see in this dossier that holds <paramref name="query"/> (GET /api/dossiers/{id}/search).</summary>
    public Task<SearchResults> SearchAsync(string patientId, string query, CancellationToken cancel = default) =>
        api.GetJsonAsync<SearchResults>($"api/dossiers/{Esc(patientId)}/search?q={Uri.EscapeDataString(query)}", cancel);

    /// <summary>The open agreements that are late, by the Api's rule (GET /api/dossiers/{id}/agreements/overdue).</summary>
    public Task<AgreementView[]> OverdueAsync(string patientId, CancellationToken cancel = default) =>
        api.GetJsonAsync<AgreementView[]>($"api/dossiers/{Esc(patientId)}/agreements/overdue", cancel);

    /// <summary>"Mijn afspraken": the open agreements the person owns, in every dossier they may read the agreements of (GET /api/agreements/mine).</summary>
    public Task<DueAgreement[]> MyAgreementsAsync(CancellationToken cancel = default) =>
        api.GetJsonAsync<DueAgreement[]>("api/agreements/mine", cancel);

    /// <summary>"Mijn gezinnen" in one call (GET /api/caseload).</summary>
    public Task<CaseloadFamily[]> CaseloadAsync(CancellationToken cancel = default) =>
        api.GetJsonAsync<CaseloadFamily[]>("api/caseload", cancel);

    /// <summary>Intensity over time (issue 20, GET /api/dossiers/{id}/intensity): status, history, whether the person may set it.</summary>
    public Task<IntensityOverview> IntensityAsync(string patientId, CancellationToken cancel = default) =>
        api.GetJsonAsync<IntensityOverview>($"api/dossiers/{PgoApi.Esc(patientId)}/intensity", cancel);

    /// <summary>A new intensity, agreed with the family (POST /api/dossiers/{id}/intensity; the supporter only).</summary>
    public Task<IntensityOverview> SetIntensityAsync(string patientId, IntensityRequest request, CancellationToken cancel = default) =>
        api.SendJsonAsync<IntensityOverview>(HttpMethod.Post, $"api/dossiers/{PgoApi.Esc(patientId)}/intensity", request, cancel);

    /// <summary>The family's social business case (issue 21, GET /api/dossiers/{id}/business-case), optionally under another gezinstype.</summary>
    public Task<FamilyCase> BusinessCaseAsync(string patientId, int? familyType = null, CancellationToken cancel = default) =>
        api.GetJsonAsync<FamilyCase>($"api/dossiers/{PgoApi.Esc(patientId)}/business-case{(familyType is { } t ? $"?gezinstype={t}" : "")}", cancel);

    /// <summary>Judges one item avoided, occurred or not applicable (POST /api/dossiers/{id}/business-case/judgements); answers the case.</summary>
    public Task<FamilyCase> JudgeBusinessCaseItemAsync(string patientId, JudgementRequest request, CancellationToken cancel = default) =>
        api.SendJsonAsync<FamilyCase>(HttpMethod.Post, $"api/dossiers/{PgoApi.Esc(patientId)}/business-case/judgements", request, cancel);

    /// <summary>Starts a dossier for a client; the person becomes its regiehouder (Api/Dossier/DossierApi.cs).</summary>
    public Task<CreatedDossier> CreateDossierAsync(NewDossierRequest request, CancellationToken cancel = default) =>
        api.SendJsonAsync<CreatedDossier>(HttpMethod.Post, "api/dossiers", request, cancel);

    // ---------------------------------------------------------------- FHIR resources of the dossier (/fhir, as the person)

    public Task<List<FM.Goal>> GoalsAsync(string patientId, CancellationToken cancel = default) =>
        api.SearchAsync<FM.Goal>($"Goal?patient=Patient/{Esc(patientId)}&_count=200", cancel);

    public Task<List<FM.CarePlan>> PlansAsync(string patientId, CancellationToken cancel = default) =>
        api.SearchAsync<FM.CarePlan>($"CarePlan?patient=Patient/{Esc(patientId)}&_count=50", cancel);

    /// <summary>Agreements: Tasks for the client ("who does what by when").</summary>
    // A planned meting (issue 20) is a Task in metingen, not an agreement.
    public async Task<List<FM.Task>> AgreementsAsync(string patientId, CancellationToken cancel = default) =>
        (await api.SearchAsync<FM.Task>($"Task?patient=Patient/{Esc(patientId)}&_count=200", cancel)).Where(t => !Pgo.Shared.Codes.MeasurementPlanCodes.IsPlanned(t)).ToList();

    /// <summary>One agreement as stored (with its version, so a save after it is refused when someone changed it meanwhile).</summary>
    public async Task<FM.Task> AgreementAsync(string id, CancellationToken cancel = default) =>
        (FM.Task)await api.ReadAsync($"Task/{Esc(id)}", cancel);

    /// <summary>Logbook notes: DocumentReferences in section logboek, newest first.</summary>
    public Task<List<FM.DocumentReference>> LogbookAsync(string patientId, CancellationToken cancel = default) =>
        api.SearchAsync<FM.DocumentReference>($"DocumentReference?patient=Patient/{Esc(patientId)}&category={Esc(DossierSections.System + "|" + DossierSections.Logboek)}&_sort=-_lastUpdated&_count=100", cancel);

    public Task<List<FM.Appointment>> AppointmentsAsync(string patientId, CancellationToken cancel = default) =>
        api.SearchAsync<FM.Appointment>($"Appointment?patient=Patient/{Esc(patientId)}&_sort=date&_count=100", cancel);

    public Task<List<FM.RelatedPerson>> FamilyAsync(string patientId, CancellationToken cancel = default) =>
        api.SearchAsync<FM.RelatedPerson>($"RelatedPerson?patient=Patient/{Esc(patientId)}&_count=100", cancel);

    /// <summary>A questionnaire of the directory (Metingen), to fill in.</summary>
    public async Task<FM.Questionnaire> QuestionnaireAsync(string id, CancellationToken cancel = default) =>
        (FM.Questionnaire)await api.ReadAsync($"Questionnaire/{Esc(id)}", cancel);

    /// <summary>Creates (no id) or updates (with the version it was read at: a stale one is refused with 412, never overwritten).</summary>
    public Task<T> SaveAsync<T>(T resource, CancellationToken cancel = default) where T : FM.Resource => api.SaveAsync(resource, cancel);

    /// <summary>The display name of a reference (Patient/..., RelatedPerson/..., Practitioner/..., Organization/..., Person/...), cached per circuit.</summary>
    public async Task<string> NameAsync(string reference, CancellationToken cancel = default)
    {
        if (_names.TryGetValue(reference, out var known)) return known;
        string? name;
        try
        {
            name = await api.ReadAsync(reference, cancel) switch
            {
                FM.Patient p => DisplayNames.Of(p.Name),
                FM.RelatedPerson r => DisplayNames.Of(r.Name),
                FM.Practitioner pr => DisplayNames.Of(pr.Name),
                FM.Person pe => DisplayNames.Of(pe.Name),
                FM.Organization o => o.Name,
                _ => null,
            };
        }
        catch (ApiException) { name = null; }
        return _names[reference] = string.IsNullOrWhiteSpace(name) ? reference : name;
    }

    public static DateTimeOffset When(FM.Resource r) => r.Meta?.LastUpdated ?? DateTimeOffset.MinValue;

    public static string TextOf(FM.DocumentReference d) =>
        d.Content.FirstOrDefault()?.Attachment?.Data is { } data ? Encoding.UTF8.GetString(data) : d.Description ?? "";

    // ---------------------------------------------------------------- co-writing notes (/api/dossiers/{id}/notes)

    public Task<NoteView> NoteAsync(string patientId, string noteId, CancellationToken cancel = default) =>
        api.GetJsonAsync<NoteView>($"api/dossiers/{Esc(patientId)}/notes/{Esc(noteId)}", cancel);

    /// <summary>Who wrote each version of a note, newest first (the Api records the writer of every version).</summary>
    public async Task<IReadOnlyList<NoteVersion>> NoteVersionsAsync(string patientId, string noteId, CancellationToken cancel = default) =>
        await api.GetJsonAsync<List<NoteVersion>>($"api/dossiers/{Esc(patientId)}/notes/{Esc(noteId)}/versions", cancel);

    /// <summary>The extension on a logbook note version naming who wrote it (set by the Api, with the writer's name as display).</summary>
    public const string WrittenBy = "https://fhir.pgo-platform.nl/StructureDefinition/written-by";

    /// <summary>The name of whoever wrote this version of the note, as the Api recorded it; null when not recorded.</summary>
    public static string? WriterOf(FM.DocumentReference note) =>
        (note.Extension.FirstOrDefault(e => e.Url == WrittenBy)?.Value as FM.ResourceReference)?.Display;

    /// <summary>Saves an edit made on <paramref name="baseVersion"/>: the new note, or (someone saved in between) the
    /// Api's 409 as a <see cref="NoteConflict"/>, never an overwrite.</summary>
    public async Task<(NoteView? Saved, NoteConflict? Conflict)> SaveNoteAsync(string patientId, string noteId, int baseVersion, string text, CancellationToken cancel = default)
    {
        try
        {
            return (await api.SendJsonAsync<NoteView>(HttpMethod.Put, $"api/dossiers/{Esc(patientId)}/notes/{Esc(noteId)}", new { baseVersion, text }, cancel), null);
        }
        catch (ApiException e) when (e.Status == HttpStatusCode.Conflict && e.Body is { } raw)
        {
            return (null, PgoApi.Parse<NoteConflict>(raw));
        }
    }

    // ---------------------------------------------------------------- messages (FHIR Communication)

    /// <summary>The dossier's messages (as the person: their access decides what comes back) grouped into threads: a root
    /// message and the replies that answer it (inResponseTo), newest thread first.</summary>
    public async Task<IReadOnlyList<MessageThread>> MessageThreadsAsync(string patientId, CancellationToken cancel = default)
    {
        var messages = (await api.SearchAsync<FM.Communication>($"Communication?patient=Patient/{Esc(patientId)}&_sort=-sent&_count=500", cancel))
            .Where(c => c.Id is not null).Select(MessageOf).ToDictionary(m => m.Id, StringComparer.Ordinal);
        (string Root, int Depth) RootOf(Message m)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (m.InResponseTo is { } parent && messages.TryGetValue(parent, out var up) && seen.Add(m.Id)) m = up;
            return (m.Id, seen.Count);
        }
        // A reply comes after the message it answers, even when the clocks say otherwise.
        return messages.Values.Select(m => (Message: m, Place: RootOf(m))).GroupBy(x => x.Place.Root)
            .Select(g => new MessageThread(messages[g.Key], g.OrderBy(x => x.Place.Depth).ThenBy(x => x.Message.Sent ?? DateTimeOffset.MinValue).Select(x => x.Message).ToList()))
            .OrderByDescending(t => t.Last.Sent ?? DateTimeOffset.MinValue).ToList();
    }

    /// <summary>Sends a message in the dossier: a new thread (<paramref name="topic"/>) or a reply to <paramref name="inResponseTo"/>.</summary>
    public async Task<Message> SendMessageAsync(string patientId, string? topic, string text, string[] recipients, string? inResponseTo, CancellationToken cancel = default)
    {
        var user = await api.UserAsync();
        var message = new FM.Communication
        {
            Status = FM.EventStatus.Completed,
            Subject = new FM.ResourceReference($"Patient/{patientId}"),
            Sender = new FM.ResourceReference { Reference = user.FindFirst("fhirUser")?.Value, Display = user.Identity?.Name },
            Recipient = recipients.Select(r => new FM.ResourceReference(r)).ToList(),
            Sent = clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture),
            Topic = string.IsNullOrWhiteSpace(topic) ? null : new FM.CodeableConcept { Text = topic.Trim() },
            InResponseTo = inResponseTo is null ? [] : [new FM.ResourceReference($"Communication/{inResponseTo}")],
            Payload = [new FM.Communication.PayloadComponent { Content = new FM.FhirString(text.Trim()) }],
        };
        return MessageOf(await api.SaveAsync(message, cancel));
    }

    private static Message MessageOf(FM.Communication c) => new(c.Id!, c.Topic?.Text,
        string.Join("\n", c.Payload.Select(p => p.Content).OfType<FM.FhirString>().Select(s => s.Value)),
        c.Sender?.Reference, c.Sender?.Display ?? c.Sender?.Reference ?? "",
        c.Recipient.Select(r => r.Display ?? r.Reference).OfType<string>().ToArray(),
        c.Recipient.Select(r => r.Reference).OfType<string>().ToArray(),
        DateTimeOffset.TryParse(c.Sent, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var sent) ? sent : null,
        c.InResponseTo.FirstOrDefault()?.Reference?.Split('/')[^1]);

    // ---------------------------------------------------------------- Over mij (Patient and the paspoort, section profiel)

    /// <summary>The client (Patient under /fhir, section profiel).</summary>
    public async Task<FM.Patient> PatientAsync(string patientId, CancellationToken cancel = default) =>
        (FM.Patient)await api.ReadAsync($"Patient/{Esc(patientId)}", cancel);

    /// <summary>The paspoort: the newest DocumentReference in section profiel (docs/adr/0005-dossier-mapping.md), or null when there is none yet.</summary>
    public async Task<FM.DocumentReference?> PaspoortAsync(string patientId, CancellationToken cancel = default) =>
        (await api.SearchAsync<FM.DocumentReference>($"DocumentReference?patient=Patient/{Esc(patientId)}&category={Esc(DossierSections.System + "|" + DossierSections.Profiel)}&_sort=-_lastUpdated&_count=10", cancel))
            .FirstOrDefault(d => d.Status != FM.DocumentReferenceStatus.EnteredInError);

    /// <summary>Saves the paspoort's Markdown: an update of <paramref name="existing"/> at the version it was read (a stale one is refused
    /// with 412, never overwritten), or a new DocumentReference in section profiel when the client has none yet.</summary>
    public async Task<FM.DocumentReference> SavePaspoortAsync(string patientId, FM.DocumentReference? existing, string markdown, CancellationToken cancel = default)
    {
        var paspoort = existing is null ? new FM.DocumentReference
        {
            Status = FM.DocumentReferenceStatus.Current,
            Subject = new FM.ResourceReference($"Patient/{patientId}"),
            Category = [new FM.CodeableConcept(DossierSections.System, DossierSections.Profiel, "Over mij", null)],
            Description = "Paspoort: over mij",
        } : PgoApi.Copy(existing); // a copy: the shown one stays as it was if the save fails
        var user = await api.UserAsync();
        paspoort.Date = clock.GetUtcNow();
        paspoort.Author = [new FM.ResourceReference { Reference = user.FindFirst("fhirUser")?.Value, Display = user.Identity?.Name }];
        paspoort.Content = [new FM.DocumentReference.ContentComponent
        {
            Attachment = new FM.Attachment { ContentType = "text/markdown; charset=utf-8", Data = Encoding.UTF8.GetBytes(markdown.Trim()) },
        }];
        return await api.SaveAsync(paspoort, cancel);
    }
}
