using System.Globalization;
using System.Text;
using Pgo.Shared.Contracts;
using FM = Hl7.Fhir.Model;

namespace Pgo.Portal.Api;

/// <summary>Who may do what (Api/Access/AccessApi.cs): the person's dossiers and account operations, a dossier's grants,
/// share packages and hidden items, the audit trail, and "what was shared with us" for an agency.</summary>
public sealed class AccessClient(PgoApi api)
{
    private static string Esc(string value) => PgoApi.Esc(value);

    /// <summary>The dossiers the person has a grant on (also those whose profile they may not read).</summary>
    public async Task<IReadOnlyList<Dossier>> DossiersAsync(CancellationToken cancel = default) =>
        (await api.GetJsonAsync<List<Dossier>>("api/access/dossiers", cancel)).OrderBy(d => d.Name, StringComparer.CurrentCulture).ToList();

    /// <summary>What the account may do without a dossier (GET /api/access/account): "start-dossier", "import-dossier".</summary>
    public async Task<IReadOnlyList<string>> AccountOperationsAsync(CancellationToken cancel = default) =>
        (await api.GetJsonAsync<AccountOperations>("api/access/account", cancel)).Operations;

    public Task<AccessOverview> AccessAsync(string patientId, CancellationToken cancel = default) =>
        api.GetJsonAsync<AccessOverview>($"api/dossiers/{Esc(patientId)}/access", cancel);

    public Task<GrantView> GrantAsync(string patientId, GrantRequest request, CancellationToken cancel = default) =>
        api.SendJsonAsync<GrantView>(HttpMethod.Post, $"api/dossiers/{Esc(patientId)}/access/grants", request, cancel);

    public Task<GrantView> ChangeGrantAsync(string patientId, string grantId, GrantChange change, CancellationToken cancel = default) =>
        api.SendJsonAsync<GrantView>(HttpMethod.Patch, $"api/dossiers/{Esc(patientId)}/access/grants/{Esc(grantId)}", change, cancel);

    public Task RevokeGrantAsync(string patientId, string grantId, CancellationToken cancel = default) =>
        api.DeleteAsync($"api/dossiers/{Esc(patientId)}/access/grants/{Esc(grantId)}", cancel);

    public Task<GrantView> SharePackageAsync(string patientId, SharePackageRequest request, CancellationToken cancel = default) =>
        api.SendJsonAsync<GrantView>(HttpMethod.Post, $"api/dossiers/{Esc(patientId)}/access/share-packages", request, cancel);

    public Task<GrantView> HideItemAsync(string patientId, HiddenItemRequest request, CancellationToken cancel = default) =>
        api.SendJsonAsync<GrantView>(HttpMethod.Post, $"api/dossiers/{Esc(patientId)}/access/hidden-items", request, cancel);

    /// <summary>Undoes a hide: the item shows again for the person it was hidden from (DELETE .../hidden-items/{id}).</summary>
    public Task UnhideItemAsync(string patientId, string hideId, CancellationToken cancel = default) =>
        api.DeleteAsync($"api/dossiers/{Esc(patientId)}/access/hidden-items/{Esc(hideId)}", cancel);

    public async Task<IReadOnlyList<AuditRow>> AuditAsync(string patientId, AuditFilter filter, CancellationToken cancel = default) =>
        await api.GetJsonAsync<List<AuditRow>>(AuditUrl(patientId, filter, null), cancel);

    /// <summary>The CSV with its UTF-8 byte order mark (reading it as text drops the Api's): Dutch Excel needs it to read é and ë.</summary>
    public async Task<byte[]> AuditCsvAsync(string patientId, AuditFilter filter, CancellationToken cancel = default)
    {
        var text = (await api.GetAsync(AuditUrl(patientId, filter, "csv"), cancel)).TrimStart('\uFEFF');
        return [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(text)];
    }

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

    /// <summary>"What was shared with us": the share packages of the person's organisation, open and ended.</summary>
    public async Task<IReadOnlyList<SharedPackage>> SharedWithUsAsync(CancellationToken cancel = default) =>
        await api.GetJsonAsync<List<SharedPackage>>("api/access/share-packages", cancel);

    /// <summary>The things in a dossier one can point at (to hide one, or put in a share package): reference → title.</summary>
    // A person sees a title, never an id: an item without one is named as such (the Portal translates the key).
    public const string Untitled = "(zonder titel)";

    public async Task<Dictionary<string, string>> ItemsAsync(string patientId, CancellationToken cancel = default)
    {
        var items = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var d in await api.SearchAsync<FM.DocumentReference>($"DocumentReference?patient=Patient/{Esc(patientId)}&_count=100", cancel)) items[$"DocumentReference/{d.Id}"] = d.Description ?? d.Content.FirstOrDefault()?.Attachment?.Title ?? Untitled;
        foreach (var g in await api.SearchAsync<FM.Goal>($"Goal?patient=Patient/{Esc(patientId)}&_count=200", cancel)) items[$"Goal/{g.Id}"] = g.Description?.Text ?? Untitled;
        foreach (var t in await api.SearchAsync<FM.Task>($"Task?patient=Patient/{Esc(patientId)}&_count=200", cancel)) items[$"Task/{t.Id}"] = t.Description ?? Untitled;
        return items;
    }

    /// <summary>Organisations in the directory (for share packages): reference → name.</summary>
    public async Task<Dictionary<string, string>> OrganizationsAsync(CancellationToken cancel = default) =>
        (await api.SearchAsync<FM.Organization>("Organization?_count=200", cancel)).Where(o => o.Id is not null)
            .ToDictionary(o => $"Organization/{o.Id}", o => o.Name ?? o.Id!, StringComparer.Ordinal);

    /// <summary>Research consent of the dossier (issue 21: "Deelnemen aan onderzoek"); only regiehouders may change it.</summary>
    public Task<ResearchConsentView> ResearchConsentAsync(string patientId, CancellationToken cancel = default) =>
        api.GetJsonAsync<ResearchConsentView>($"api/dossiers/{Esc(patientId)}/research-consent", cancel);

    /// <summary>Gives (true) or revokes (false) research consent; answers the new state.</summary>
    public async Task<ResearchConsentView> SetResearchConsentAsync(string patientId, bool given, CancellationToken cancel = default)
    {
        using var request = new HttpRequestMessage(given ? HttpMethod.Put : HttpMethod.Delete, $"api/dossiers/{Esc(patientId)}/research-consent");
        return PgoApi.Parse<ResearchConsentView>(await api.SendAsync(request, cancel));
    }
}
