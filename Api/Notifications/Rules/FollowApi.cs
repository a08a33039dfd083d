using Microsoft.AspNetCore.Http.HttpResults;
using Pgo.Api.Errors;
using Pgo.Api.Fhir;
using Pgo.Fhir;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Storage;
using Pgo.Shared.Contracts;

namespace Pgo.Api.Notifications.Rules;

/// <summary>
/// Following a goal or plan: <c>GET /api/dossiers/{patientId}/follows</c>, <c>PUT</c> and <c>DELETE
/// /api/dossiers/{patientId}/follow?item=Goal/x</c>. Following needs read access to the item (a read through the
/// repository as the caller, audited; hidden or missing answer the same 404). Stopping needs nothing: it only removes
/// the caller's own row and tells nothing. Who writes a version follows it automatically (<see cref="NotificationRules"/>).
/// </summary>
public static class FollowApi
{
    public static IEndpointRouteBuilder MapFollowApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/dossiers/{patientId}").RequireAuthorization().WithApiErrors().WithTags("Notifications");
        api.MapGet("/follows", Follows);
        api.MapPut("/follow", Follow);
        api.MapDelete("/follow", Unfollow);
        return app;
    }

    /// <summary>The caller's key for notifications (<see cref="NotificationRecipient.KeyOf"/>); a request naming nobody is refused.</summary>
    private static string PersonKey(HttpContext http) => NotificationRecipient.KeyOf(http.User) ?? throw ApiProblem.Forbidden(ApiText.FollowNeedsPerson);

    private static async Task<Ok<FollowedItems>> Follows(HttpContext http, FhirRepository repo, INotificationStore store, IAuditStore places, string patientId)
    {
        var caller = FhirHttp.Caller(http);
        var scope = await repo.Access.CompileAsync(caller, http.RequestAborted);
        if (!DossierOperations.Allows(scope, patientId, DossierOperation.ReadOverview)) throw ApiProblem.DossierNotFound(patientId);
        var items = await store.FollowsAsync(PersonKey(http), patientId, http.RequestAborted);
        var refs = items.Select(i => i.Split('/')).Where(p => p.Length == 2).Select(p => (p[0], p[1])).ToList();
        // Only what the caller may still read (a follow of an item hidden since tells nothing either).
        var readable = (await places.PlaceAsync(refs, http.RequestAborted))
            .Where(p => p.Patients.Contains(patientId) && scope.CanRead(p.Type, p.Id, p.Section, [patientId]))
            .Select(p => $"{p.Type}/{p.Id}").Order(StringComparer.Ordinal).ToArray();
        return TypedResults.Ok(new FollowedItems(readable));
    }

    private static async Task<Ok<FollowState>> Follow(HttpContext http, FhirRepository repo, INotificationStore store, IAuditStore places, TimeProvider clock, string patientId, string? item)
    {
        var (type, id) = Parse(item);
        try
        {
            // As the caller: their access decides, and the read is audited like any other.
            await repo.ReadAsync(FhirHttp.Context(http), type, id, http.RequestAborted);
        }
        catch (FhirException)
        {
            throw ApiProblem.NotFound(ApiText.FollowItemNotFound);
        }
        var placed = (await places.PlaceAsync([(type, id)], http.RequestAborted)).FirstOrDefault();
        if (placed is null || !placed.Patients.Contains(patientId)) throw ApiProblem.NotFound(ApiText.FollowItemNotFound);
        await store.FollowAsync(PersonKey(http), patientId, $"{type}/{id}", clock.GetUtcNow(), http.RequestAborted);
        return TypedResults.Ok(new FollowState($"{type}/{id}", true));
    }

    private static async Task<Ok<FollowState>> Unfollow(HttpContext http, INotificationStore store, string patientId, string? item)
    {
        var (type, id) = Parse(item);
        await store.UnfollowAsync(PersonKey(http), $"{type}/{id}", http.RequestAborted);
        return TypedResults.Ok(new FollowState($"{type}/{id}", false));
    }

    private static (string Type, string Id) Parse(string? item)
    {
        var parts = (item ?? "").Split('/');
        if (parts.Length != 2 || parts[0] is not ("Goal" or "CarePlan") || parts[1].Length is 0 or > 64)
            throw ApiProblem.BadRequest(ApiText.FollowOnlyGoalsAndPlans);
        return (parts[0], parts[1]);
    }
}
