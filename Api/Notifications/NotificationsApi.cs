using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Pgo.Api.Errors;
using Pgo.Api.Fhir;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using Pgo.Fhir.Storage;
using Pgo.Shared.Codes;
using Pgo.Shared.Contracts;
using Pgo.Shared.Text;

namespace Pgo.Api.Notifications;

/// <summary>
/// The bell: a person's own notifications, their unread counts, and marking them read. Only ever the caller's own
/// (keyed by their token, never by a parameter). What the list shows is judged again by the caller's access now: a
/// notification about a dossier or item they no longer see is left out (their own access ending is the exception: it
/// names only the family).
/// </summary>
public static class NotificationsApi
{
    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/notifications").RequireAuthorization().WithApiErrors().WithTags("Notifications");
        api.MapGet("", List);
        api.MapGet("/unread", Unread);
        api.MapPost("/read", MarkRead);
        return app;
    }

    private static string KeyOf(HttpContext http) =>
        NotificationRecipient.KeyOf(http.User) ?? throw new ApiProblem(StatusCodes.Status401Unauthorized, ApiText.HubNotSignedIn);

    private static async Task<Ok<NotificationList>> List(HttpContext http, INotificationStore store, FhirRepository repo,
        bool? unread, long? before, int? count)
    {
        var key = KeyOf(http);
        var ct = http.RequestAborted;
        var size = Math.Clamp(count ?? 30, 1, 100);
        var scope = await repo.Access.CompileAsync(FhirHttp.Caller(http), ct);
        // Read a little more than asked: some may be left out because the caller no longer sees them.
        var stored = (await store.ListNotificationsAsync(key, unread == true, before, size * 2, ct)).Where(n => StillVisible(scope, n)).Take(size).ToList();
        var names = await DossierNamesAsync(http, repo, scope, stored.Select(n => n.PatientId).OfType<string>());
        var items = stored.Select(n => new NotificationView(n.Id, n.Kind, n.PatientId, n.PatientId is { } p ? names.GetValueOrDefault(p) : null,
            n.Section, n.Item, n.ActorName, n.Created, n.Read is not null)).ToList();
        var unreadCount = (await VisibleUnreadAsync(store, scope, key, ct)).Sum(u => u.Count);
        return TypedResults.Ok(new NotificationList(items, unreadCount));
    }

    private static async Task<Ok<UnreadSummary>> Unread(HttpContext http, INotificationStore store, FhirRepository repo)
    {
        var key = KeyOf(http);
        var scope = await repo.Access.CompileAsync(FhirHttp.Caller(http), http.RequestAborted);
        var marks = (await VisibleUnreadAsync(store, scope, key, http.RequestAborted))
            .Select(u => new UnreadMark(u.PatientId, u.Section, u.Item, u.Kind, u.Count)).ToList();
        return TypedResults.Ok(new UnreadSummary(marks.Sum(m => m.Count), marks));
    }

    private static async Task<Ok<UnreadCountMessage>> MarkRead(HttpContext http, INotificationStore store, NotificationSink sink,
        FhirRepository repo, TimeProvider clock, MarkRead body)
    {
        var key = KeyOf(http);
        var ct = http.RequestAborted;
        var which = new ReadSelection(body.Ids, body.PatientId, body.Items, body.All);
        if (which.IsEmpty) throw ApiProblem.BadRequest(ApiText.NotificationsNothingToMark);
        if ((body.Ids?.Count ?? 0) > 1000 || (body.Items?.Count ?? 0) > 1000) throw ApiProblem.BadRequest(ApiText.NotificationsTooMany);
        await store.MarkNotificationsReadAsync(key, which, clock.GetUtcNow(), ct);
        // The person's other devices and tabs drop the mark too.
        await sink.PushAsync(key, null, ct);
        var scope = await repo.Access.CompileAsync(FhirHttp.Caller(http), ct);
        return TypedResults.Ok(new UnreadCountMessage((await VisibleUnreadAsync(store, scope, key, ct)).Sum(u => u.Count)));
    }

    private static async Task<IReadOnlyList<UnreadCount>> VisibleUnreadAsync(INotificationStore store, AccessScope scope, string key, CancellationToken ct) =>
        (await store.UnreadNotificationsAsync(key, ct)).Where(u => StillVisible(scope, u.Kind, u.PatientId, u.Section, u.Item)).ToList();

    private static bool StillVisible(AccessScope scope, StoredNotification n) => StillVisible(scope, n.Kind, n.PatientId, n.Section, n.Item);

    /// <summary>
    /// Whether the caller may still know of it: not about a dossier (team space), their own access ending, or a dossier
    /// they still see and, for an item, that item as a read would judge it now (hidden since: gone). A message was
    /// announced to its participants only; the caller was one, so that part of the rule is taken as met.
    /// </summary>
    internal static bool StillVisible(AccessScope scope, string kind, string? patientId, string? section, string? item)
    {
        if (patientId is null || kind == NotificationKinds.AccessEnded) return true;
        if (!DossierOperations.Allows(scope, patientId, DossierOperation.ReadOverview)) return false;
        if (item?.Split('/') is not [var type, var id]) return true;
        return scope.CanRead(type, id, section, [patientId], scope.Identities);
    }

    /// <summary>The clients' names (never an id on screen): a platform read, as for "my dossiers", logged in each trail.</summary>
    private static async Task<Dictionary<string, string>> DossierNamesAsync(HttpContext http, FhirRepository repo, AccessScope scope, IEnumerable<string> patientIds)
    {
        var ids = patientIds.Distinct(StringComparer.Ordinal).ToList();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        if (ids.Count == 0) return names;
        var stored = await repo.AsPlatform(PlatformPurpose.PatientNames, FhirHttp.Context(http), scope)
            .ReadManyAsync(ids.Select(id => ("Patient", id)).ToList(), http.RequestAborted);
        foreach (var (id, patient) in ids.Zip(stored))
            if (patient is { Deleted: false } && DisplayNames.Of(FhirJson.Parse<Patient>(patient.Json).Name) is { } name) names[id] = name;
        return names;
    }
}
