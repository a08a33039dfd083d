using Pgo.Shared.Codes;
using FM = Hl7.Fhir.Model;

namespace Pgo.Portal.Api;

/// <summary>The Medisch section (docs/adr/0005-dossier-mapping.md): conditions, medication and allergies under /fhir, as the
/// person may see them (the Api's access decides what comes back), and the Financiën section's money matters.</summary>
public sealed class MedicalClient(PgoApi api)
{
    public Task<List<FM.Condition>> ConditionsAsync(string patientId, CancellationToken cancel = default) =>
        api.SearchAsync<FM.Condition>($"Condition?patient=Patient/{PgoApi.Esc(patientId)}&_count=200", cancel);

    public Task<List<FM.MedicationStatement>> MedicationsAsync(string patientId, CancellationToken cancel = default) =>
        api.SearchAsync<FM.MedicationStatement>($"MedicationStatement?patient=Patient/{PgoApi.Esc(patientId)}&_count=200", cancel);

    public Task<List<FM.AllergyIntolerance>> AllergiesAsync(string patientId, CancellationToken cancel = default) =>
        api.SearchAsync<FM.AllergyIntolerance>($"AllergyIntolerance?patient=Patient/{PgoApi.Esc(patientId)}&_count=200", cancel);

    /// <summary>Everything filed under Financiën: money matters and documents (DocumentReference with that section's category).</summary>
    public Task<List<FM.DocumentReference>> FinanceDocumentsAsync(string patientId, CancellationToken cancel = default) =>
        api.SearchAsync<FM.DocumentReference>($"DocumentReference?patient=Patient/{PgoApi.Esc(patientId)}&category={PgoApi.Esc(DossierSections.System + "|" + DossierSections.Financien)}&_count=200", cancel);

    /// <summary>Agreements about money: Tasks labelled with the financien section (the search returns only what the person may see).</summary>
    public async Task<List<FM.Task>> FinanceAgreementsAsync(string patientId, CancellationToken cancel = default) =>
        (await api.SearchAsync<FM.Task>($"Task?patient=Patient/{PgoApi.Esc(patientId)}&_count=200", cancel))
            .Where(t => t.Meta?.Security.Any(c => c.System == DossierSections.System && c.Code == DossierSections.Financien) == true).ToList();

    /// <summary>The kind of a money matter (FinanceKinds), or null for a plain document in the section.</summary>
    public static string? KindOf(FM.DocumentReference d) =>
        d.Category.SelectMany(c => c.Coding).FirstOrDefault(c => c.System == FinanceKinds.System && c.Code is not null && FinanceKinds.Display.ContainsKey(c.Code))?.Code;

    /// <summary>A new money matter: its kind, a title and the details in Markdown, in section financien.</summary>
    public static FM.DocumentReference NewFinanceMatter(string patientId, string kind, string title, string details, DateTimeOffset now, string? author, string? authorName) => new()
    {
        Status = FM.DocumentReferenceStatus.Current,
        Subject = new FM.ResourceReference($"Patient/{patientId}"),
        Category =
        [
            new FM.CodeableConcept(DossierSections.System, DossierSections.Financien, DossierSections.Display[DossierSections.Financien], null),
            new FM.CodeableConcept(FinanceKinds.System, kind, FinanceKinds.Display[kind], null),
        ],
        Description = title.Trim(),
        Date = now,
        Author = author is null ? [] : [new FM.ResourceReference { Reference = author, Display = authorName }],
        Content = [new FM.DocumentReference.ContentComponent
        {
            Attachment = new FM.Attachment { ContentType = "text/markdown; charset=utf-8", Data = System.Text.Encoding.UTF8.GetBytes(details.Trim()) },
        }],
    };

    public Task<T> SaveAsync<T>(T resource, CancellationToken cancel = default) where T : FM.Resource => api.SaveAsync(resource, cancel);

    public Task<System.Security.Claims.ClaimsPrincipal> UserAsync() => api.UserAsync();
}
