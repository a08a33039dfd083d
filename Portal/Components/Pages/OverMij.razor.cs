using Pgo.Portal.Api;
using Pgo.Shared.Contracts;
using Pgo.Portal.Live;
using FM = Hl7.Fhir.Model;

namespace Pgo.Portal.Components.Pages;

/// <summary>Over mij: the client (Patient) and the paspoort, Markdown in a DocumentReference of section profiel
/// (docs/adr/0005-dossier-mapping.md). Shown as sanitized HTML; edited as Markdown and saved with If-Match on the version
/// it was read at, so a save over someone else's change is refused (412) and the text stays in the editor.</summary>
public partial class OverMij
{

    /// <summary>Language codes (BCP 47) of the demo and the most spoken home languages, with their Dutch names.</summary>
    private static readonly Dictionary<string, string> Languages = new(StringComparer.OrdinalIgnoreCase)
    {
        ["nl"] = "Nederlands", ["en"] = "Engels", ["fy"] = "Fries", ["ku"] = "Koerdisch", ["ar"] = "Arabisch", ["tr"] = "Turks",
        ["pl"] = "Pools", ["de"] = "Duits", ["ti"] = "Tigrinya", ["uk"] = "Oekraïens",
    };

    private bool _loaded;
    private FM.Patient? _patient;
    private FM.DocumentReference? _paspoort;
    private string _html = "";

    private bool _editing;
    private string? _text;
    /// <summary>The paspoort as it was when editing began: its version goes along as If-Match.</summary>
    private FM.DocumentReference? _base;
    private bool _conflict;
    private bool _changedMeanwhile;

    protected override async Task LoadAsync()
    {
        if (!Dossier!.CanRead("profiel"))
        {
            _patient = null;
            _paspoort = null;
            _loaded = true;
            return;
        }
        await RunAsync(async () =>
        {
            var patient = DossierApi.PatientAsync(Id);
            var paspoort = DossierApi.PaspoortAsync(Id);
            _patient = await patient;
            Show(await paspoort);
        });
        _loaded = true;
    }

    /// <summary>Someone else changed the dossier: show the new paspoort, but never touch what is in the editor.</summary>
    protected override async Task OnLiveChangeAsync(LiveChange change)
    {
        var before = _paspoort?.Meta?.VersionId;
        await LoadAsync();
        if (_editing && _paspoort?.Meta?.VersionId != before) _changedMeanwhile = true;
    }

    private void Show(FM.DocumentReference? paspoort)
    {
        _paspoort = paspoort;
        _html = paspoort is null ? "" : Shared.MarkdownText.Html(DossierClient.TextOf(paspoort));
    }

    private void Edit()
    {
        _base = _paspoort;
        _text = _paspoort is null ? "" : DossierClient.TextOf(_paspoort);
        _conflict = false;
        _changedMeanwhile = false;
        _editing = true;
    }

    private void Cancel()
    {
        _editing = false;
        _conflict = false;
        _changedMeanwhile = false;
        Problem = null;
    }

    private async Task SaveAsync()
    {
        FM.DocumentReference? saved = null;
        var text = _text ?? "";
        if (await RunAsync(async () => saved = await DossierApi.SavePaspoortAsync(Id, _base, text), Text["Het paspoort is opgeslagen."]))
        {
            Show(saved);
            _editing = false;
            _conflict = false;
            _changedMeanwhile = false;
            return;
        }
        if (Problem?.IsConflict == true)
        {
            // Nothing was overwritten: show the paspoort as it is now, keep the text, and let a second save (now knowingly) go on from there.
            _conflict = true;
            _changedMeanwhile = false;
            Problem = null;
            await RunAsync(async () => Show(await DossierApi.PaspoortAsync(Id)));
            _base = _paspoort;
        }
    }

    private string? BirthDate() => Day(_patient?.BirthDate);

    private string? Language() =>
        (_patient?.Communication.FirstOrDefault(c => c.Preferred == true) ?? _patient?.Communication.FirstOrDefault())?.Language is { } concept
            ? LanguageName(concept)
            : null;

    private string? LanguageName(FM.CodeableConcept concept) =>
        concept.Coding.FirstOrDefault()?.Code is { } code
            ? Languages.TryGetValue(code.Split('-')[0], out var name) ? Text[name] : code
            : concept.Text;
}
