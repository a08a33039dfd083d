using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Pgo.Api.Errors;
using Pgo.Api.Fhir;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using Pgo.Shared.Contracts;

namespace Pgo.Api.Access;

/// <summary>
/// Research consent (issue 21, docs/adr/0012): "Deelnemen aan onderzoek" in Toegang. A Consent of its own kind (scope
/// research, category onderzoek, no actor) in the client's dossier: while one is active, the dossier counts in the
/// programme's pseudonymised aggregates (Api/Evidence/Programme*). It grants nothing to anyone (the access compiler ignores
/// it). Given and revoked only by a regiehouder (the write rule, Fhir/Access/WriteDecision: research consent touches regie);
/// written through <see cref="FhirRepository"/> as the caller, so the same policy decides and the write is audited.
/// </summary>
public static class ResearchConsentApi
{
    public static IEndpointRouteBuilder MapResearchConsentApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/dossiers/{patientId}/research-consent").RequireAuthorization().WithApiErrors().WithTags("Toegang");
        api.MapGet("", Get);
        api.MapPut("", Give);
        api.MapDelete("", Revoke);
        return app;
    }

    private static async Task<Ok<ResearchConsentView>> Get(HttpContext http, FhirRepository repo, TimeProvider clock, string patientId)
    {
        await AccessApi.RequireAsync(http, repo, patientId, DossierOperation.ManageAccess);
        return TypedResults.Ok(await ViewAsync(http, repo, clock, patientId));
    }

    /// <summary>Gives research consent (idempotent: an active one stays as it is).</summary>
    private static async Task<Ok<ResearchConsentView>> Give(HttpContext http, FhirRepository repo, TimeProvider clock, string patientId)
    {
        await AccessApi.RequireAsync(http, repo, patientId, DossierOperation.DecideRegie);
        if ((await ActiveAsync(http, repo, clock, patientId)).Count == 0)
        {
            var consent = Grants.Research(null, patientId, clock.GetUtcNow());
            await repo.CreateAsync(FhirHttp.Context(http), "Consent", consent, null, http.RequestAborted);
        }
        return TypedResults.Ok(await ViewAsync(http, repo, clock, patientId));
    }

    /// <summary>Revokes it: every active research consent of the dossier ends now (status inactive, period end = now); the
    /// next aggregate no longer counts the dossier; the history keeps the consent.</summary>
    private static async Task<Ok<ResearchConsentView>> Revoke(HttpContext http, FhirRepository repo, TimeProvider clock, string patientId)
    {
        await AccessApi.RequireAsync(http, repo, patientId, DossierOperation.DecideRegie);
        var now = clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture);
        foreach (var consent in await ActiveAsync(http, repo, clock, patientId))
        {
            consent.Status = Consent.ConsentState.Inactive;
            var p = consent.Provision ??= new Consent.provisionComponent();
            p.Period ??= new Period();
            p.Period.End = now;
            await repo.UpdateAsync(FhirHttp.Context(http), "Consent", consent.Id!, consent, consent.Meta?.VersionId, http.RequestAborted);
        }
        return TypedResults.Ok(await ViewAsync(http, repo, clock, patientId));
    }

    private static async Task<ResearchConsentView> ViewAsync(HttpContext http, FhirRepository repo, TimeProvider clock, string patientId)
    {
        var active = await ActiveAsync(http, repo, clock, patientId);
        var scope = await repo.Access.CompileAsync(FhirHttp.Caller(http), http.RequestAborted);
        var since = active.Select(c => ConsentGrant.Of(c).From ?? (DateTimeOffset.TryParse(c.DateTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d : null))
            .OfType<DateTimeOffset>().DefaultIfEmpty().Min();
        return new ResearchConsentView(active.Count > 0, active.Count > 0 && since != default ? since : null,
            DossierOperations.Allows(scope, patientId, DossierOperation.DecideRegie));
    }

    /// <summary>The research consents in force of the dossier, as the caller reads them (toegang: regiehouders and manage holders).</summary>
    private static async Task<List<Consent>> ActiveAsync(HttpContext http, FhirRepository repo, TimeProvider clock, string patientId)
    {
        var response = await repo.SearchAsync(FhirHttp.Context(http), "Consent", [new("patient", $"Patient/{patientId}"), new("_count", "1000")], http.RequestAborted);
        var now = clock.GetUtcNow();
        return FhirJson.Parse<Bundle>(response.Json!).Entry.Select(e => e.Resource).OfType<Consent>()
            .Where(c => ConsentGrant.IsResearchConsent(c) && ConsentGrant.Of(c).InForce(now)).ToList();
    }
}
