using Pgo.Shared.Codes;
using MudBlazor;
using Pgo.Portal.Api;
using Pgo.Shared.Contracts;
using Pgo.Portal.Components.Shared;
using FM = Hl7.Fhir.Model;

namespace Pgo.Portal.Components.Pages;

/// <summary>The plan: the plan itself and goals per life domain (Plan.Goals.cs); the agreements are their own component
/// (Components/Dossier/Agreements.razor). A failed save keeps the text in the form; a stale edit (412) says so instead of overwriting.</summary>
public partial class Plan
{
    private List<FM.Goal> _goals = [];

    protected override async Task LoadAsync() => await RunAsync(async () =>
    {
        if (Dossier is null) return;
        await LoadPlanAndGoalsAsync();
    });
}
