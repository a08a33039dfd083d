using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Pgo.Api.Errors;
using Pgo.Api.Fhir;
using Pgo.Api.Notifications;
using Pgo.Api.Notifications.Rules;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using Pgo.Shared.Contracts;
using SuccessionCase = Pgo.Fhir.Access.Succession;

namespace Pgo.Api.Regie.Succession;

/// <summary>
/// "Als ik er niet meer ben" (issue 18): a regiehouder names a successor from the family's network; a take-over is asked
/// with a document and confirmed by the other regiehouders and the supporter; then the platform gives the successor regie
/// and ends the leaving regiehouder's. Rules in Fhir/Access/SuccessionRules.cs; naming and withdrawing are Consents
/// written as the caller (the write side decides again); a request, a confirmation and the take-over itself are written
/// by the platform on the caller's behalf, after <see cref="SuccessionRules"/> allowed them (the successor cannot write
/// Consents, and the take-over changes regie the caller does not hold). Also maps the care testament
/// (<see cref="CareTestamentApi"/>).
/// </summary>
public static class SuccessionApi
{
    public static IEndpointRouteBuilder MapSuccessionApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/dossiers/{patientId}").RequireAuthorization().WithApiErrors().WithTags("Regie");
        api.MapGet("/regie/successors", List);
        api.MapPost("/regie/successors", Name);
        api.MapPost("/regie/successors/{consentId}/request", Request);
        api.MapPost("/regie/successors/{consentId}/confirm", Confirm);
        api.MapDelete("/regie/successors/{consentId}", Withdraw);
        CareTestamentApi.Map(api);
        return app;
    }

    // ---------------------------------------------------------------- handlers

    /// <summary>The successors named in the dossier: all of them for who may see regie (regiehouders, the client, the
    /// supporter); for a successor who sees nothing else, only their own naming (who named them, whether it was asked).</summary>
    private static async Task<Ok<SuccessorView[]>> List(HttpContext http, FhirRepository repo, TimeProvider clock, string patientId)
    {
        var (caller, scope) = await ScopeAsync(http, repo);
        var now = clock.GetUtcNow();
        if (DossierOperations.Allows(scope, patientId, DossierOperation.ViewRegie))
        {
            var facts = await SuccessionFacts.LoadAsync(http, repo, scope, patientId, now);
            return TypedResults.Ok(await ViewsAsync(http, facts, facts.Successions, caller, scope));
        }
        var mine = await SuccessionFacts.NamingAsync(http, repo, scope, patientId);
        if (mine.Count == 0) throw Refusal(scope, patientId, DossierOperation.ViewRegie);
        var all = await SuccessionFacts.LoadAsync(http, repo, scope, patientId, now);
        var own = all.Successions.Where(s => mine.Any(m => m.Id == s.ConsentId)).ToList();
        return TypedResults.Ok(await ViewsAsync(http, all, own, caller, scope));
    }

    /// <summary>A regiehouder names a successor (a RelatedPerson of this dossier's network). Naming the same person again
    /// answers the standing naming.</summary>
    private static async Task<Results<Created<SuccessorView>, Ok<SuccessorView>>> Name(HttpContext http, FhirRepository repo, TimeProvider clock,
        string patientId, SuccessorRequest request)
    {
        var (caller, scope) = await ScopeAsync(http, repo);
        if (!DossierOperations.Allows(scope, patientId, DossierOperation.DecideRegie)) throw Refusal(scope, patientId, DossierOperation.DecideRegie);
        var successor = request.Successor?.Trim() ?? "";
        if (!SuccessionRules.MayBeNamed(successor, scope.Identities))
            throw new ApiProblem(StatusCodes.Status422UnprocessableEntity, ApiText.SuccessorNetworkOnly);
        var now = clock.GetUtcNow();
        var facts = await SuccessionFacts.LoadAsync(http, repo, scope, patientId, now);
        if (facts.Successions.FirstOrDefault(s => s.Successor == successor && s.State is SuccessionState.Genoemd or SuccessionState.Aangevraagd) is { } standing)
            return TypedResults.Ok((await ViewsAsync(http, facts, [standing], caller, scope))[0]);

        // Written as the caller: the write side checks again that only a regiehouder names one, and that the person is of this network.
        var created = await repo.CreateAsync(FhirHttp.Context(http), "Consent", SuccessionRules.NameSuccessor(patientId, successor, now), null, http.RequestAborted);
        var consent = FhirJson.Parse<Consent>(created.Stored!.Json);
        facts = await SuccessionFacts.LoadAsync(http, repo, scope, patientId, now);
        var named = facts.Successions.Single(s => s.ConsentId == consent.Id);
        return TypedResults.Created($"/api/dossiers/{patientId}/regie/successors", (await ViewsAsync(http, facts, [named], caller, scope))[0]);
    }

    /// <summary>Ask the take-over (the successor, a regiehouder or a supporter), with its reason and the document.</summary>
    private static async Task<Ok<SuccessorView>> Request(HttpContext http, FhirRepository repo, TimeProvider clock, NotificationSink sink, NotificationAudience audience,
        string patientId, string consentId, TakeoverRequest request)
    {
        var (caller, scope) = await ScopeAsync(http, repo);
        var now = clock.GetUtcNow();
        var (facts, s) = await FindAsync(http, repo, scope, caller, patientId, consentId, now);
        if (s.State is SuccessionState.Overgenomen or SuccessionState.Ingetrokken)
            throw new ApiProblem(StatusCodes.Status409Conflict, ApiText.SuccessionClosed);
        if (!SuccessionRules.MayRequest(scope, s, facts.Regiehouders)) throw ApiProblem.Forbidden(ApiText.SuccessionMayNotRequest);
        if (!SuccessionRules.Reasons.All.Contains(request.Reason)) throw ApiProblem.BadRequest(ApiText.SuccessionReasonUnknown);
        string? document = null;
        if (!string.IsNullOrWhiteSpace(request.Document))
        {
            document = request.Document.Contains('/', StringComparison.Ordinal) ? request.Document.Trim() : $"DocumentReference/{request.Document.Trim()}";
            if (!(await facts.DocumentAsync(document, http.RequestAborted)).InDossier)
                throw new ApiProblem(StatusCodes.Status422UnprocessableEntity, ApiText.SuccessionDocumentNotInDossier);
        }
        var asker = ActingRecord(scope, caller, patientId, s);
        var updated = SuccessionRules.WithRequest(facts.ConsentOf(consentId), new SuccessionRequest(request.Reason, document, asker, now));
        await PlatformWriteAsync(http, repo, caller, [updated]);
        var after = await CompleteIfReadyAsync(http, repo, scope, caller, patientId, consentId, now, sink, audience);
        if (after.State == SuccessionState.Aangevraagd)
            await SuccessionNotices.RequestedAsync(sink, audience, after.Facts, after.Case, asker, caller.FhirUser, now, http.RequestAborted);
        return TypedResults.Ok((await ViewsAsync(http, after.Facts, [after.Case], caller, scope))[0]);
    }

    /// <summary>Confirm the asked take-over: another regiehouder, a supporter (or, for a family without one, an administrator).
    /// The last confirmation needed, with the document there, completes it.</summary>
    private static async Task<Ok<SuccessorView>> Confirm(HttpContext http, FhirRepository repo, TimeProvider clock, NotificationSink sink, NotificationAudience audience,
        string patientId, string consentId)
    {
        var (caller, scope) = await ScopeAsync(http, repo);
        var now = clock.GetUtcNow();
        var (facts, s) = await FindAsync(http, repo, scope, caller, patientId, consentId, now);
        if (s.State is SuccessionState.Overgenomen or SuccessionState.Ingetrokken)
            throw new ApiProblem(StatusCodes.Status409Conflict, ApiText.SuccessionClosed);
        if (s.State != SuccessionState.Aangevraagd) throw new ApiProblem(StatusCodes.Status409Conflict, ApiText.SuccessionNotRequested);
        if (SuccessionRules.Confirmer(scope, caller, s, facts.Regiehouders, facts.Supporters) is not { } confirmer)
            throw ApiProblem.Forbidden(scope.Identities.Contains(s.Successor) ? ApiText.SuccessionSuccessorMayNotConfirm : ApiText.SuccessionMayNotConfirm);
        var updated = SuccessionRules.WithConfirmation(facts.ConsentOf(consentId), new SuccessionConfirmation(confirmer.By, confirmer.Role, now));
        await PlatformWriteAsync(http, repo, caller, [updated]);
        var after = await CompleteIfReadyAsync(http, repo, scope, caller, patientId, consentId, now, sink, audience);
        return TypedResults.Ok((await ViewsAsync(http, after.Facts, [after.Case], caller, scope))[0]);
    }

    /// <summary>The regiehouder who named the successor withdraws them (as the caller: a Consent change the write side decides).</summary>
    private static async Task<NoContent> Withdraw(HttpContext http, FhirRepository repo, TimeProvider clock, string patientId, string consentId)
    {
        var (caller, scope) = await ScopeAsync(http, repo);
        if (!DossierOperations.Allows(scope, patientId, DossierOperation.DecideRegie)) throw Refusal(scope, patientId, DossierOperation.DecideRegie);
        var now = clock.GetUtcNow();
        var (facts, s) = await FindAsync(http, repo, scope, caller, patientId, consentId, now);
        if (s.State is SuccessionState.Overgenomen or SuccessionState.Ingetrokken)
            throw new ApiProblem(StatusCodes.Status409Conflict, ApiText.SuccessionClosed);
        if (!SuccessionRules.MayWithdraw(scope, s, facts.Regiehouders)) throw ApiProblem.Forbidden(ApiText.SuccessionWithdrawOnlyNamer);
        var consent = SuccessionRules.Withdrawn(facts.ConsentOf(consentId), now);
        await repo.UpdateAsync(FhirHttp.Context(http), "Consent", consentId, consent, consent.Meta?.VersionId, http.RequestAborted);
        return TypedResults.NoContent();
    }

    // ---------------------------------------------------------------- helpers

    private static async Task<(CallerContext, AccessScope)> ScopeAsync(HttpContext http, FhirRepository repo)
    {
        var caller = FhirHttp.Caller(http);
        return (caller, await repo.Access.CompileAsync(caller, http.RequestAborted));
    }

    /// <summary>403 with the operation's refusal when the caller sees the dossier, else the dossier's 404.</summary>
    private static ApiProblem Refusal(AccessScope scope, string patientId, DossierOperation operation) =>
        DossierOperations.Allows(scope, patientId, DossierOperation.ReadOverview)
            ? ApiProblem.Forbidden(DossierOperations.Refusal(operation))
            : ApiProblem.DossierNotFound(patientId);

    /// <summary>The successor entry the caller may act on: who may see regie sees every one, the successor their own, an
    /// administrator one asked in a family without a supporter (to confirm it). Others: the dossier's 404 or this one's.</summary>
    private static async Task<(SuccessionFacts, SuccessionCase)> FindAsync(HttpContext http, FhirRepository repo, AccessScope scope, CallerContext caller,
        string patientId, string consentId, DateTimeOffset now)
    {
        var viewer = DossierOperations.Allows(scope, patientId, DossierOperation.ViewRegie);
        if (!viewer && !SuccessionRules.MayActUnseen(scope, caller)) throw Refusal(scope, patientId, DossierOperation.ViewRegie);
        // A network member who sees no regie: only their own naming is read on their behalf before anything else.
        if (!viewer && !SuccessionRules.MayActUnseen(scope, caller, named: false)
            && (await SuccessionFacts.NamingAsync(http, repo, scope, patientId)).All(c => c.Id != consentId))
            throw Refusal(scope, patientId, DossierOperation.ViewRegie);
        var facts = await SuccessionFacts.LoadAsync(http, repo, scope, patientId, now);
        var s = facts.Successions.FirstOrDefault(x => x.ConsentId == consentId);
        if (s is null || !(viewer || SuccessionRules.MaySee(scope, caller, s, facts.Supporters)))
            throw viewer || DossierOperations.Allows(scope, patientId, DossierOperation.ReadOverview)
                ? ApiProblem.NotFound(ApiText.SuccessorNotFound)
                : ApiProblem.DossierNotFound(patientId);
        return (facts, s);
    }

    /// <summary>Who the request or confirmation names: the caller's record in this dossier (the successor's own record
    /// when it is them), else their Person.</summary>
    private static string? ActingRecord(AccessScope scope, CallerContext caller, string patientId, SuccessionCase s) =>
        scope.Identities.Contains(s.Successor) ? s.Successor
        : scope.ActingAs.TryGetValue(patientId, out var acting) && acting.Count > 0 ? acting[0]
        : caller.FhirUser;

    /// <summary>After a request or a confirmation: when nothing is missing any more, the take-over in one transaction
    /// (SuccessionRules.Completion), and everyone concerned is told.</summary>
    private static async Task<(SuccessionFacts Facts, SuccessionCase Case, SuccessionState State)> CompleteIfReadyAsync(HttpContext http, FhirRepository repo,
        AccessScope scope, CallerContext caller, string patientId, string consentId, DateTimeOffset now, NotificationSink sink, NotificationAudience audience)
    {
        var facts = await SuccessionFacts.LoadAsync(http, repo, scope, patientId, now);
        var s = facts.Successions.Single(x => x.ConsentId == consentId);
        if (SuccessionRules.StillNeeded(s, facts.Regiehouders, facts.Supporters).Count > 0) return (facts, s, s.State);
        var (regie, ended, closed) = SuccessionRules.Completion(facts.ConsentOf(consentId), s, facts.Consents, Guid.NewGuid().ToString("D"), now);
        await PlatformWriteAsync(http, repo, caller, [closed, .. ended], created: regie);
        var after = await SuccessionFacts.LoadAsync(http, repo, scope, patientId, now);
        var done = after.Successions.Single(x => x.ConsentId == consentId);
        await SuccessionNotices.DoneAsync(sink, audience, after, done, caller.FhirUser, now, http.RequestAborted);
        return (after, done, done.State);
    }

    /// <summary>
    /// The platform writes what SuccessionRules allowed, on the caller's behalf (their sub and fhirUser in the audit log),
    /// in one transaction: each update against the version read (a change meanwhile answers 412 and nothing is stored).
    /// </summary>
    private static async System.Threading.Tasks.Task PlatformWriteAsync(HttpContext http, FhirRepository repo, CallerContext caller, IReadOnlyList<Consent> updates, Consent? created = null)
    {
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        foreach (var c in updates)
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                Resource = c,
                Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"Consent/{c.Id}", IfMatch = $"W/\"{c.Meta?.VersionId}\"" },
            });
        if (created is not null)
            bundle.Entry.Add(new Bundle.EntryComponent { Resource = created, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"Consent/{created.Id}" } });
        var onBehalf = new FhirContext(new CallerContext(caller.Subject, caller.FhirUser, [], IsSystem: true, caller.ClientId, caller.Roles),
            FhirHttp.Context(http).BaseUrl) { RequestId = http.TraceIdentifier };
        await repo.ProcessBundleAsync(onBehalf, bundle, http.RequestAborted);
    }

    /// <summary>The views, with names and document titles (never ids on screen: the ids stay for links and actions).</summary>
    private static async Task<SuccessorView[]> ViewsAsync(HttpContext http, SuccessionFacts facts, IReadOnlyList<SuccessionCase> cases, CallerContext caller, AccessScope scope)
    {
        var ct = http.RequestAborted;
        // A successor who sees nothing of the dossier learns only their own state: no names of others, no document, no confirmations.
        var redacted = !DossierOperations.Allows(scope, facts.PatientId, DossierOperation.ViewRegie);
        var refs = cases.SelectMany(s => new[] { s.Successor, s.ForRegiehouder, s.Request?.RequestedBy }.Concat(s.Confirmations.Select(c => c.By)))
            .Concat(facts.Regiehouders);
        var names = await facts.NamesAsync(refs, ct);
        var views = new List<SuccessorView>();
        foreach (var s in cases)
        {
            SuccessionRequestView? request = null;
            if (s.Request is { } r)
                request = redacted
                    ? new SuccessionRequestView(r.Reason, null, null, null, r.RequestedAt)
                    : new SuccessionRequestView(r.Reason, r.Document, r.Document is null ? null : (await facts.DocumentAsync(r.Document, ct)).Title,
                        r.RequestedBy is null ? null : names.GetValueOrDefault(r.RequestedBy), r.RequestedAt);
            var needs = SuccessionRules.StillNeeded(s, facts.Regiehouders, facts.Supporters).Select(n => n.Kind switch
            {
                SuccessionRules.NeedRequest => ApiText.SuccessionNeedRequest,
                SuccessionRules.NeedDocument => ApiText.SuccessionNeedDocument,
                SuccessionRules.ConfirmRoles.Ondersteuner => ApiText.SuccessionNeedSupporter,
                SuccessionRules.ConfirmRoles.Beheerder => ApiText.SuccessionNeedAdmin,
                _ => !redacted && n.Who is not null && names.TryGetValue(n.Who, out var name) ? ApiProblem.Text(ApiText.SuccessionNeedRegiehouder, name) : ApiText.SuccessionNeedOtherRegiehouder,
            }).ToArray();
            views.Add(new SuccessorView(s.ConsentId, s.Successor, names.GetValueOrDefault(s.Successor) ?? "", s.ForRegiehouder ?? "",
                s.ForRegiehouder is null ? null : names.GetValueOrDefault(s.ForRegiehouder), StateName(s.State), request,
                redacted ? [] : s.Confirmations.Select(c => new SuccessionConfirmationView(c.By, names.GetValueOrDefault(c.By), c.Role, c.At)).ToArray(),
                needs, SuccessionRules.Confirmer(scope, caller, s, facts.Regiehouders, facts.Supporters) is not null,
                SuccessionRules.MayRequest(scope, s, facts.Regiehouders)));
        }
        return [.. views];
    }

    private static string StateName(SuccessionState state) => state switch
    {
        SuccessionState.Genoemd => "genoemd",
        SuccessionState.Aangevraagd => "aangevraagd",
        SuccessionState.Overgenomen => "overgenomen",
        _ => "ingetrokken",
    };
}
