using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Serialization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;
using Pgo.Portal.Auth;
using Pgo.Shared.Text;
using FM = Hl7.Fhir.Model;

namespace Pgo.Portal.Api;

/// <summary>
/// Every call the Portal makes to Pgo.Api and Identity's invitation API, with the signed-in person's access token.
/// The one place that knows URLs and wire formats: today it reads and writes FHIR under /fhir and the access and team
/// APIs under /api; when the task-shaped dossier endpoints (/api/dossiers/{id}/overview, ...) land, only this class changes.
/// One instance per circuit (scoped).
/// </summary>
public sealed class PgoApi(IHttpClientFactory factory, AuthenticationStateProvider auth, SessionTokens tokens, IOptions<PortalOptions> options)
{
    public const string SectionSystem = "https://fhir.pgo-platform.nl/CodeSystem/dossier-section";

    /// <summary>The project CodeSystem of life domains (leefgebieden, Fhir/Access/PgoCodes.Dossier.cs), on Goal.category: the Api refuses a goal without one.</summary>
    public const string LifeDomainSystem = "https://fhir.pgo-platform.nl/CodeSystem/leefgebied";
    /// <summary>CarePlan.category: the intensity of support, intake to waakvlam (Fhir/Access/PgoCodes.Dossier.cs).</summary>
    public const string IntensitySystem = "https://fhir.pgo-platform.nl/CodeSystem/intensiteit";

    private static readonly FhirJsonDeserializer Reader = FhirJsonDeserializer.OSTRICH;
    private static readonly FhirJsonSerializer Writer = new();
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ConcurrentDictionary<string, string> _names = new(StringComparer.Ordinal);

    // ---------------------------------------------------------------- dossiers (FHIR)

    /// <summary>The dossiers the person has a grant on (also those whose profile they may not read).</summary>
    public async Task<IReadOnlyList<Dossier>> DossiersAsync(CancellationToken cancel = default) =>
        Parse<List<Dossier>>(await GetAsync("api/access/dossiers", cancel)).OrderBy(d => d.Name, StringComparer.CurrentCulture).ToList();

    /// <summary>What the account may do without a dossier (GET /api/access/account): "start-dossier", "import-dossier".</summary>
    public async Task<IReadOnlyList<string>> AccountOperationsAsync(CancellationToken cancel = default) =>
        Parse<AccountOperations>(await GetAsync("api/access/account", cancel)).Operations ?? [];

    public sealed record AccountOperations(List<string>? Operations);

    public Task<List<FM.Goal>> GoalsAsync(string patientId, CancellationToken cancel = default) =>
        SearchAsync<FM.Goal>($"Goal?patient=Patient/{Esc(patientId)}&_count=200", cancel);

    public Task<List<FM.CarePlan>> PlansAsync(string patientId, CancellationToken cancel = default) =>
        SearchAsync<FM.CarePlan>($"CarePlan?patient=Patient/{Esc(patientId)}&_count=50", cancel);

    /// <summary>Agreements: Tasks for the client ("who does what by when").</summary>
    public Task<List<FM.Task>> AgreementsAsync(string patientId, CancellationToken cancel = default) =>
        SearchAsync<FM.Task>($"Task?patient=Patient/{Esc(patientId)}&_count=200", cancel);

    /// <summary>Logbook notes: DocumentReferences in section logboek, newest first.</summary>
    public Task<List<FM.DocumentReference>> LogbookAsync(string patientId, CancellationToken cancel = default) =>
        SearchAsync<FM.DocumentReference>($"DocumentReference?patient=Patient/{Esc(patientId)}&category={Esc(SectionSystem + "|logboek")}&_sort=-_lastUpdated&_count=100", cancel);

    /// <summary>Documents of every section the person may see (the agency's "what was shared with us").</summary>
    public Task<List<FM.DocumentReference>> DocumentsAsync(string? patientId, CancellationToken cancel = default) =>
        SearchAsync<FM.DocumentReference>(patientId is null ? "DocumentReference?_count=100" : $"DocumentReference?patient=Patient/{Esc(patientId)}&_count=100", cancel);

    public Task<List<FM.Appointment>> AppointmentsAsync(string patientId, CancellationToken cancel = default) =>
        SearchAsync<FM.Appointment>($"Appointment?patient=Patient/{Esc(patientId)}&_sort=date&_count=100", cancel);

    public Task<List<FM.RelatedPerson>> FamilyAsync(string patientId, CancellationToken cancel = default) =>
        SearchAsync<FM.RelatedPerson>($"RelatedPerson?patient=Patient/{Esc(patientId)}&_count=100", cancel);

    /// <summary>The things in a dossier one can point at (to hide one, or put in a share package): reference → title.</summary>
    public async Task<Dictionary<string, string>> ItemsAsync(string patientId, CancellationToken cancel = default)
    {
        var items = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var d in await DocumentsAsync(patientId, cancel)) items[$"DocumentReference/{d.Id}"] = d.Description ?? d.Id!;
        foreach (var g in await GoalsAsync(patientId, cancel)) items[$"Goal/{g.Id}"] = g.Description?.Text ?? g.Id!;
        foreach (var t in await AgreementsAsync(patientId, cancel)) items[$"Task/{t.Id}"] = t.Description ?? t.Id!;
        return items;
    }

    /// <summary>Organisations in the directory (for share packages): reference → name.</summary>
    public async Task<Dictionary<string, string>> OrganizationsAsync(CancellationToken cancel = default) =>
        (await SearchAsync<FM.Organization>("Organization?_count=200", cancel)).Where(o => o.Id is not null)
            .ToDictionary(o => $"Organization/{o.Id}", o => o.Name ?? o.Id!, StringComparer.Ordinal);

    /// <summary>What changed lately in the sections the person sees, newest first.</summary>
    public async Task<IReadOnlyList<Change>> ChangesAsync(string patientId, int count, CancellationToken cancel = default)
    {
        var p = $"patient=Patient/{Esc(patientId)}&_sort=-_lastUpdated&_count={count}";
        var goals = SearchAsync<FM.Goal>($"Goal?{p}", cancel);
        var tasks = SearchAsync<FM.Task>($"Task?{p}", cancel);
        var docs = SearchAsync<FM.DocumentReference>($"DocumentReference?{p}", cancel);
        var appointments = SearchAsync<FM.Appointment>($"Appointment?{p}", cancel);
        var messages = SearchAsync<FM.Communication>($"Communication?{p}", cancel);
        var measurements = SearchAsync<FM.QuestionnaireResponse>($"QuestionnaireResponse?{p}", cancel);
        var changes = new List<Change>();
        changes.AddRange((await goals).Select(g => new Change("doelen", $"Goal/{g.Id}", g.Description?.Text ?? "", When(g))));
        changes.AddRange((await tasks).Select(t => new Change("afspraken", $"Task/{t.Id}", t.Description ?? "", When(t))));
        changes.AddRange((await docs).Select(d => new Change(SectionOf(d), $"DocumentReference/{d.Id}", d.Description ?? "", When(d))));
        changes.AddRange((await appointments).Select(a => new Change("agenda", $"Appointment/{a.Id}", a.Description ?? "", When(a))));
        changes.AddRange((await messages).Select(m => new Change("berichten", $"Communication/{m.Id}", MessageOf(m) is var v ? $"{v.SenderName}: {v.Topic ?? v.Text}" : "", When(m))));
        changes.AddRange((await measurements).Select(q => new Change("metingen", $"QuestionnaireResponse/{q.Id}", "", When(q))));
        return changes.OrderByDescending(c => c.When).Take(count).ToList();
    }

    /// <summary>Open agreements with a due date, the overdue ones first.</summary>
    public async Task<IReadOnlyList<DueItem>> DueAsync(string patientId, DateTimeOffset now, CancellationToken cancel = default)
    {
        var tasks = await AgreementsAsync(patientId, cancel);
        return tasks.Where(IsOpen).Select(t => new DueItem($"Task/{t.Id}", t.Description ?? "", DueOf(t), DueOf(t) is { } d && d < now))
            .OrderByDescending(d => d.Overdue).ThenBy(d => d.Due ?? DateTimeOffset.MaxValue).ToList();
    }

    /// <summary>A supporter's families with what a supporter watches: intensity of support, last contact (newest logbook note),
    /// overdue agreements, goals in progress.</summary>
    public async Task<IReadOnlyList<CaseloadRow>> CaseloadAsync(DateTimeOffset now, CancellationToken cancel = default)
    {
        var rows = new List<CaseloadRow>();
        foreach (var d in await DossiersAsync(cancel))
        {
            var tasks = await AgreementsAsync(d.Id, cancel);
            var goals = await GoalsAsync(d.Id, cancel);
            var notes = await LogbookAsync(d.Id, cancel);
            var last = notes.Select(When).DefaultIfEmpty().Max();
            // The intensity is the category of the active plan (the waakvlam plan waits as a draft until support scales down).
            var intensity = (await PlansAsync(d.Id, cancel)).Where(p => p.Status == FM.RequestStatus.Active)
                .SelectMany(p => p.Category).SelectMany(c => c.Coding).FirstOrDefault(c => c.System == IntensitySystem)?.Display;
            rows.Add(new CaseloadRow(d, last == default ? null : last, tasks.Count(t => IsOpen(t) && DueOf(t) < now),
                goals.Count(g => g.LifecycleStatus is FM.Goal.GoalLifecycleStatus.Active or FM.Goal.GoalLifecycleStatus.Accepted),
                tasks.Count(IsOpen), intensity));
        }
        return rows;
    }

    /// <summary>Creates (no id) or updates (with the version it was read at: a stale one is refused with 412, never overwritten).</summary>
    public async Task<T> SaveAsync<T>(T resource, CancellationToken cancel = default) where T : FM.Resource
    {
        using var request = new HttpRequestMessage(resource.Id is null ? HttpMethod.Post : HttpMethod.Put,
            resource.Id is null ? $"fhir/{resource.TypeName}" : $"fhir/{resource.TypeName}/{resource.Id}")
        {
            Content = new StringContent(Writer.SerializeToString(resource), Encoding.UTF8, "application/fhir+json"),
        };
        request.Headers.Add("Prefer", "return=representation");
        if (resource.Id is not null && resource.Meta?.VersionId is { } version) request.Headers.TryAddWithoutValidation("If-Match", $"W/\"{version}\"");
        var body = await SendAsync(request, cancel);
        return (T)Reader.DeserializeResource(body);
    }

    /// <summary>The display name of a reference (Patient/..., RelatedPerson/..., Practitioner/..., Organization/..., Person/...), cached per circuit.</summary>
    public async Task<string> NameAsync(string reference, CancellationToken cancel = default)
    {
        if (_names.TryGetValue(reference, out var known)) return known;
        string name;
        try
        {
            var resource = Reader.DeserializeResource(await GetAsync($"fhir/{reference}", cancel));
            name = resource switch
            {
                FM.Patient p => DisplayNames.Of(p.Name) ?? "",
                FM.RelatedPerson r => DisplayNames.Of(r.Name) ?? "",
                FM.Practitioner pr => DisplayNames.Of(pr.Name) ?? "",
                FM.Person pe => DisplayNames.Of(pe.Name) ?? "",
                FM.Organization o => o.Name ?? reference,
                _ => reference,
            };
        }
        catch (ApiException) { name = reference; }
        return _names[reference] = string.IsNullOrWhiteSpace(name) ? reference : name;
    }

    // ---------------------------------------------------------------- co-writing notes (/api/dossiers/{id}/notes)

    public async Task<NoteView> NoteAsync(string patientId, string noteId, CancellationToken cancel = default) =>
        Parse<NoteView>(await GetAsync($"api/dossiers/{Esc(patientId)}/notes/{Esc(noteId)}", cancel));

    /// <summary>Who wrote each version of a note, newest first (the Api records the writer of every version).</summary>
    public async Task<IReadOnlyList<NoteVersion>> NoteVersionsAsync(string patientId, string noteId, CancellationToken cancel = default) =>
        Parse<List<NoteVersion>>(await GetAsync($"api/dossiers/{Esc(patientId)}/notes/{Esc(noteId)}/versions", cancel));

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
            return (await SendJsonAsync<NoteView>(HttpMethod.Put, $"api/dossiers/{Esc(patientId)}/notes/{Esc(noteId)}", new { baseVersion, text }, cancel), null);
        }
        catch (ApiException e) when (e.Status == HttpStatusCode.Conflict && e.Body is { } raw)
        {
            return (null, JsonSerializer.Deserialize<NoteConflict>(raw, Json));
        }
    }

    // ---------------------------------------------------------------- starting a dossier (POST /api/dossiers)

    /// <summary>Starts a dossier for a client; the person becomes its regiehouder (Api/Dossier/DossierApi.cs).</summary>
    public Task<CreatedDossier> CreateDossierAsync(NewDossierRequest request, CancellationToken cancel = default) =>
        SendJsonAsync<CreatedDossier>(HttpMethod.Post, "api/dossiers", request, cancel);

    // ---------------------------------------------------------------- access (/api/dossiers/{id}/access)

    public async Task<AccessOverview> AccessAsync(string patientId, CancellationToken cancel = default) =>
        Parse<AccessOverview>(await GetAsync($"api/dossiers/{Esc(patientId)}/access", cancel));

    public Task<GrantView> GrantAsync(string patientId, GrantRequest request, CancellationToken cancel = default) =>
        SendJsonAsync<GrantView>(HttpMethod.Post, $"api/dossiers/{Esc(patientId)}/access/grants", request, cancel);

    public Task<GrantView> ChangeGrantAsync(string patientId, string grantId, GrantChange change, CancellationToken cancel = default) =>
        SendJsonAsync<GrantView>(HttpMethod.Patch, $"api/dossiers/{Esc(patientId)}/access/grants/{Esc(grantId)}", change, cancel);

    public async Task RevokeGrantAsync(string patientId, string grantId, CancellationToken cancel = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"api/dossiers/{Esc(patientId)}/access/grants/{Esc(grantId)}");
        await SendAsync(request, cancel);
    }

    public Task<GrantView> SharePackageAsync(string patientId, SharePackageRequest request, CancellationToken cancel = default) =>
        SendJsonAsync<GrantView>(HttpMethod.Post, $"api/dossiers/{Esc(patientId)}/access/share-packages", request, cancel);

    public Task<GrantView> HideItemAsync(string patientId, HiddenItemRequest request, CancellationToken cancel = default) =>
        SendJsonAsync<GrantView>(HttpMethod.Post, $"api/dossiers/{Esc(patientId)}/access/hidden-items", request, cancel);

    public async Task<IReadOnlyList<AuditRow>> AuditAsync(string patientId, AuditFilter filter, CancellationToken cancel = default) =>
        Parse<List<AuditRow>>(await GetAsync(AuditUrl(patientId, filter, null), cancel));

    public async Task<byte[]> AuditCsvAsync(string patientId, AuditFilter filter, CancellationToken cancel = default) =>
        Encoding.UTF8.GetBytes(await GetAsync(AuditUrl(patientId, filter, "csv"), cancel));

    private static string AuditUrl(string patientId, AuditFilter f, string? format)
    {
        var q = new List<string>();
        if (!string.IsNullOrWhiteSpace(f.Person)) q.Add($"person={Esc(f.Person)}");
        if (!string.IsNullOrWhiteSpace(f.Section)) q.Add($"section={Esc(f.Section)}");
        if (f.From is { } from) q.Add($"from={Esc(from.ToString("o", CultureInfo.InvariantCulture))}");
        if (f.To is { } to) q.Add($"to={Esc(to.ToString("o", CultureInfo.InvariantCulture))}");
        if (format is not null) q.Add($"format={format}");
        return $"api/dossiers/{Esc(patientId)}/audit" + (q.Count > 0 ? "?" + string.Join('&', q) : "");
    }

    // ---------------------------------------------------------------- share packages, as the agency sees them

    /// <summary>"What was shared with us": the share packages of the person's organisation, open and ended.</summary>
    public async Task<IReadOnlyList<SharedPackage>> SharedWithUsAsync(CancellationToken cancel = default) =>
        Parse<List<SharedPackage>>(await GetAsync("api/access/share-packages", cancel));

    /// <summary>One resource by its reference (DocumentReference/123), as the person may see it (404 otherwise).</summary>
    public async Task<FM.Resource> ReadAsync(string reference, CancellationToken cancel = default) =>
        Reader.DeserializeResource(await GetAsync($"fhir/{reference}", cancel));

    /// <summary>The file of a document (bytes in blob storage), after the Api's access decision; the download is audited there.</summary>
    public async Task<DocumentFile> DocumentFileAsync(string patientId, string documentId, CancellationToken cancel = default)
    {
        var state = await auth.GetAuthenticationStateAsync();
        var session = SessionTokens.SessionOf(state.User) ?? throw new SignInRequiredException();
        var token = await tokens.AccessTokenAsync(session, cancel) ?? throw new SignInRequiredException();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/dossiers/{Esc(patientId)}/documents/{Esc(documentId)}/content");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        HttpResponseMessage response;
        try { response = await factory.CreateClient(nameof(PgoApi)).SendAsync(request, cancel); }
        catch (HttpRequestException) { throw ApiException.Unreachable(); }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.Unauthorized) { tokens.End(session); throw new SignInRequiredException(); }
            if (!response.IsSuccessStatusCode) throw ApiException.From(response.StatusCode, await response.Content.ReadAsStringAsync(cancel));
            var name = response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"') ?? "document";
            return new DocumentFile(name, response.Content.Headers.ContentType?.MediaType ?? "application/octet-stream", await response.Content.ReadAsByteArrayAsync(cancel));
        }
    }

    // ---------------------------------------------------------------- invitations (Identity /api/invitations)

    public Task<Invitation> InviteAsync(InvitationRequest request, CancellationToken cancel = default) =>
        SendJsonAsync<Invitation>(HttpMethod.Post, $"{Identity}/api/invitations", new
        {
            request.Email, request.Role, request.Patient, request.PatientName, request.Sections, request.Access,
            Until = request.Until?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), request.Message,
        }, cancel);

    public async Task<IReadOnlyList<Invitation>> InvitationsAsync(string patientId, CancellationToken cancel = default) =>
        Parse<List<Invitation>>(await GetAsync($"{Identity}/api/invitations?patient={Esc(patientId)}", cancel));

    public async Task WithdrawInvitationAsync(string id, CancellationToken cancel = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"{Identity}/api/invitations/{Esc(id)}");
        await SendAsync(request, cancel);
    }

    private string Identity => options.Value.Authority.TrimEnd('/');

    // ---------------------------------------------------------------- team space (/api/team)

    public async Task<IReadOnlyList<TeamSummary>> TeamsAsync(CancellationToken cancel = default) =>
        Parse<List<TeamSummary>>(await GetAsync("api/team/teams", cancel));

    public async Task<TeamView> TeamAsync(long teamId, CancellationToken cancel = default) =>
        Parse<TeamView>(await GetAsync($"api/team/teams/{teamId}", cancel));

    public async Task<IReadOnlyList<PostView>> ThreadsAsync(long teamId, long channelId, CancellationToken cancel = default) =>
        Parse<List<PostView>>(await GetAsync($"api/team/teams/{teamId}/channels/{channelId}/threads?limit=30", cancel));

    public async Task<ThreadView> ThreadAsync(long teamId, long postId, CancellationToken cancel = default) =>
        Parse<ThreadView>(await GetAsync($"api/team/teams/{teamId}/posts/{postId}/thread", cancel));

    /// <summary>Starts a thread (<paramref name="replyTo"/> null) or replies. A text the guard flags comes back as findings, not saved,
    /// unless <paramref name="confirmed"/>.</summary>
    public async Task<PostResult> PostAsync(long teamId, long channelId, long? replyTo, string body, bool confirmed, CancellationToken cancel = default)
    {
        var url = replyTo is { } root ? $"api/team/teams/{teamId}/posts/{root}/replies" : $"api/team/teams/{teamId}/channels/{channelId}/threads";
        try
        {
            return new PostResult(await SendJsonAsync<PostView>(HttpMethod.Post, url, new { body, confirmed }, cancel), []);
        }
        catch (ApiException e) when (e.Status == HttpStatusCode.UnprocessableEntity && e.Body is { } raw)
        {
            using var json = JsonDocument.Parse(raw);
            if (!json.RootElement.TryGetProperty("findings", out var findings)) throw;
            return new PostResult(null, findings.Deserialize<List<GuardFinding>>(Json) ?? []);
        }
    }

    public async Task<IReadOnlyList<SearchResultView>> SearchTeamAsync(long teamId, string query, CancellationToken cancel = default) =>
        Parse<List<SearchResultView>>(await GetAsync($"api/team/teams/{teamId}/search?q={Esc(query)}&limit=20", cancel));

    public async Task<IReadOnlyList<BottleneckBundle>> BottlenecksAsync(long teamId, CancellationToken cancel = default) =>
        Parse<List<BottleneckBundle>>(await GetAsync($"api/team/teams/{teamId}/bottlenecks", cancel));

    public async Task<IReadOnlyList<ArticleSummary>> ArticlesAsync(long teamId, CancellationToken cancel = default) =>
        Parse<List<ArticleSummary>>(await GetAsync($"api/team/teams/{teamId}/articles", cancel));

    public async Task<ArticleView> ArticleAsync(long teamId, string slug, CancellationToken cancel = default) =>
        Parse<ArticleView>(await GetAsync($"api/team/teams/{teamId}/articles/{Esc(slug)}", cancel));

    // ---------------------------------------------------------------- time registration (/api/time, /api/dossiers/{id}/time)

    /// <summary>The time registrations the person may read in every family, with totals per family and per activity.</summary>
    public async Task<TimeSheet> TimeSheetAsync(DateOnly from, DateOnly to, CancellationToken cancel = default) =>
        Parse<TimeSheet>(await GetAsync($"api/time?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}", cancel));

    /// <summary>The 18 supporter activities (code → Dutch name) from the project CodeSystem the Api serves at /fhir.</summary>
    public async Task<IReadOnlyList<(string Code, string Name)>> SupporterActivitiesAsync(CancellationToken cancel = default) =>
        (await SearchAsync<FM.CodeSystem>($"CodeSystem?url={Esc("https://fhir.pgo-platform.nl/CodeSystem/ondersteuningsactiviteit")}", cancel))
            .SelectMany(c => c.Concept).Where(c => c.Code is not null).Select(c => (Code: c.Code!, Name: c.Display ?? c.Code!)).ToList();

    public Task<TimeEntry> RegisterTimeAsync(string patientId, TimeRequest request, CancellationToken cancel = default) =>
        SendJsonAsync<TimeEntry>(HttpMethod.Post, $"api/dossiers/{Esc(patientId)}/time", request, cancel);

    // ---------------------------------------------------------------- documents (/api/dossiers/{id}/documents)

    /// <summary>Uploads a file as it is read from <paramref name="content"/> (the browser's bytes, streamed on to the Api, never
    /// held whole in memory); <paramref name="sent"/> hears how many bytes went out. The Api checks access, type and size and
    /// stores nothing of a refused upload.</summary>
    public async Task UploadDocumentAsync(string patientId, Stream content, long length, string contentType, string fileName, string? title,
        Action<long> sent, CancellationToken cancel = default)
    {
        var query = $"fileName={Esc(fileName)}" + (string.IsNullOrWhiteSpace(title) ? "" : $"&title={Esc(title.Trim())}");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/dossiers/{Esc(patientId)}/documents?{query}")
        {
            Content = new StreamContent(new Files.ProgressStream(content, sent), 64 * 1024),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.TryParse(contentType, out var type) ? type : new MediaTypeHeaderValue("application/octet-stream");
        request.Content.Headers.ContentLength = length;
        await SendAsync(request, cancel, Files.DocumentFiles.Client);
    }

    /// <summary>Whether a document's bytes are in the Api's file store (a DocumentReference made by an upload).</summary>
    public static bool HasFile(FM.DocumentReference d) => d.Content.FirstOrDefault()?.Attachment?.Url?.StartsWith("urn:pgo:blob:", StringComparison.Ordinal) == true;

    // ---------------------------------------------------------------- FHIR helpers (also used by the screens)

    public static DateTimeOffset When(FM.Resource r) => r.Meta?.LastUpdated ?? DateTimeOffset.MinValue;

    public static bool IsOpen(FM.Task t) => t.Status is not (FM.Task.TaskStatus.Completed or FM.Task.TaskStatus.Cancelled or FM.Task.TaskStatus.Rejected
        or FM.Task.TaskStatus.EnteredInError or FM.Task.TaskStatus.Failed);

    public static DateTimeOffset? DueOf(FM.Task t) =>
        DateTimeOffset.TryParse(t.Restriction?.Period?.End, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d : null;

    public static string SectionOf(FM.DocumentReference d) =>
        d.Category.SelectMany(c => c.Coding).FirstOrDefault(c => c.System == SectionSystem)?.Code ?? "documenten";

    public static string TextOf(FM.DocumentReference d) =>
        d.Content.FirstOrDefault()?.Attachment?.Data is { } data ? Encoding.UTF8.GetString(data) : d.Description ?? "";

    // ---------------------------------------------------------------- family screens: overview, messages

    /// <summary>The dossier in one call (GET /api/dossiers/{id}/overview): a section not shared with the person is null.</summary>
    public async Task<DossierOverview> OverviewAsync(string patientId, CancellationToken cancel = default) =>
        Parse<DossierOverview>(await GetAsync($"api/dossiers/{Esc(patientId)}/overview", cancel));

    /// <summary>The dossier's messages (FHIR Communication under /fhir, as the person: their access decides what comes
    /// back) grouped into threads: a root message and the replies that answer it (inResponseTo), newest thread first.</summary>
    public async Task<IReadOnlyList<MessageThread>> MessageThreadsAsync(string patientId, CancellationToken cancel = default)
    {
        var messages = (await SearchAsync<FM.Communication>($"Communication?patient=Patient/{Esc(patientId)}&_sort=-sent&_count=500", cancel))
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
        var state = await auth.GetAuthenticationStateAsync();
        var message = new FM.Communication
        {
            Status = FM.EventStatus.Completed,
            Subject = new FM.ResourceReference($"Patient/{patientId}"),
            Sender = new FM.ResourceReference { Reference = state.User.FindFirst("fhirUser")?.Value, Display = state.User.Identity?.Name },
            Recipient = recipients.Select(r => new FM.ResourceReference(r)).ToList(),
            Sent = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture),
            Topic = string.IsNullOrWhiteSpace(topic) ? null : new FM.CodeableConcept { Text = topic.Trim() },
            InResponseTo = inResponseTo is null ? [] : [new FM.ResourceReference($"Communication/{inResponseTo}")],
            Payload = [new FM.Communication.PayloadComponent { Content = new FM.FhirString(text.Trim()) }],
        };
        return MessageOf(await SaveAsync(message, cancel));
    }

    /// <summary>A questionnaire of the directory (Metingen), to fill in.</summary>
    public async Task<FM.Questionnaire> QuestionnaireAsync(string id, CancellationToken cancel = default) =>
        (FM.Questionnaire)Reader.DeserializeResource(await GetAsync($"fhir/Questionnaire/{Esc(id)}", cancel));

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
        (FM.Patient)Reader.DeserializeResource(await GetAsync($"fhir/Patient/{Esc(patientId)}", cancel));

    /// <summary>The paspoort: the newest DocumentReference in section profiel (docs/adr/0005-dossier-mapping.md), or null when there is none yet.</summary>
    public async Task<FM.DocumentReference?> PaspoortAsync(string patientId, CancellationToken cancel = default) =>
        (await SearchAsync<FM.DocumentReference>($"DocumentReference?patient=Patient/{Esc(patientId)}&category={Esc(SectionSystem + "|profiel")}&_sort=-_lastUpdated&_count=10", cancel))
            .FirstOrDefault(d => d.Status != FM.DocumentReferenceStatus.EnteredInError);

    /// <summary>Saves the paspoort's Markdown: an update of <paramref name="existing"/> at the version it was read (a stale one is refused
    /// with 412, never overwritten), or a new DocumentReference in section profiel when the client has none yet.</summary>
    public async Task<FM.DocumentReference> SavePaspoortAsync(string patientId, FM.DocumentReference? existing, string markdown, CancellationToken cancel = default)
    {
        var paspoort = existing is null ? new FM.DocumentReference
        {
            Status = FM.DocumentReferenceStatus.Current,
            Subject = new FM.ResourceReference($"Patient/{patientId}"),
            Category = [new FM.CodeableConcept(SectionSystem, "profiel", "Over mij", null)],
            Description = "Paspoort: over mij",
        } : (FM.DocumentReference)Reader.DeserializeResource(Writer.SerializeToString(existing)); // a copy: the shown one stays as it was if the save fails
        var state = await auth.GetAuthenticationStateAsync();
        paspoort.Date = DateTimeOffset.UtcNow;
        paspoort.Author = [new FM.ResourceReference { Reference = state.User.FindFirst("fhirUser")?.Value, Display = state.User.Identity?.Name }];
        paspoort.Content = [new FM.DocumentReference.ContentComponent
        {
            Attachment = new FM.Attachment { ContentType = "text/markdown; charset=utf-8", Data = Encoding.UTF8.GetBytes(markdown.Trim()) },
        }];
        return await SaveAsync(paspoort, cancel);
    }

    // ---------------------------------------------------------------- HTTP

    private async Task<List<T>> SearchAsync<T>(string query, CancellationToken cancel) where T : FM.Resource
    {
        var bundle = (FM.Bundle)Reader.DeserializeResource(await GetAsync($"fhir/{query}", cancel));
        return bundle.Entry.Where(e => e.Search?.Mode is null or FM.Bundle.SearchEntryMode.Match).Select(e => e.Resource).OfType<T>().ToList();
    }

    private async Task<string> GetAsync(string url, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        return await SendAsync(request, cancel);
    }

    private async Task<T> SendJsonAsync<T>(HttpMethod method, string url, object body, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body, options: Json) };
        return Parse<T>(await SendAsync(request, cancel));
    }

    /// <summary>The person's access token, for the live connection to the dossier hub (refreshed when needed).</summary>
    public async Task<string?> AccessTokenAsync()
    {
        var state = await auth.GetAuthenticationStateAsync();
        return SessionTokens.SessionOf(state.User) is { } session ? await tokens.AccessTokenAsync(session, CancellationToken.None) : null;
    }

    private async Task<string> SendAsync(HttpRequestMessage request, CancellationToken cancel, string client = nameof(PgoApi))
    {
        var state = await auth.GetAuthenticationStateAsync();
        var session = SessionTokens.SessionOf(state.User) ?? throw new SignInRequiredException();
        var token = await tokens.AccessTokenAsync(session, cancel) ?? throw new SignInRequiredException();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue(CultureInfo.CurrentUICulture.TwoLetterISOLanguageName));
        HttpResponseMessage response;
        try
        {
            response = await factory.CreateClient(client).SendAsync(request, cancel);
        }
        catch (HttpRequestException) { throw ApiException.Unreachable(); }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancel);
            if (response.StatusCode == HttpStatusCode.Unauthorized) { tokens.End(session); throw new SignInRequiredException(); }
            if (!response.IsSuccessStatusCode) throw ApiException.From(response.StatusCode, body);
            return body;
        }
    }

    private static T Parse<T>(string body) => JsonSerializer.Deserialize<T>(body, Json) ?? throw new ApiException(HttpStatusCode.BadGateway, "Er ging iets mis", "Een leeg antwoord van de dienst.");

    private static string Esc(string value) => Uri.EscapeDataString(value);
}
