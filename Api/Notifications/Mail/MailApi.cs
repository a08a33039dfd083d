using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pgo.Api.Errors;
using Pgo.Fhir.Storage;
using Pgo.Shared.Codes;
using Pgo.Shared.Contracts;

namespace Pgo.Api.Notifications.Mail;

/// <summary>
/// The mail's endpoints: a person's own preferences (<c>GET/PUT /api/notifications/preferences</c>, keyed by their token,
/// never by a parameter) and, for an administrator only, the mails that failed or were refused
/// (<c>GET /api/admin/mail-deliveries</c>).
/// </summary>
public static class MailApi
{
    public static IEndpointRouteBuilder MapMailApi(this IEndpointRouteBuilder app)
    {
        var preferences = app.MapGroup("/api/notifications/preferences").RequireAuthorization().WithApiErrors().WithTags("Notifications");
        preferences.MapGet("", GetPreferences);
        preferences.MapPut("", PutPreferences);
        app.MapGroup("/api/admin/mail-deliveries").RequireAuthorization().WithApiErrors().WithTags("Notifications")
            .MapGet("", Deliveries);
        return app;
    }

    private static string KeyOf(HttpContext http) =>
        NotificationRecipient.KeyOf(http.User) ?? throw new ApiProblem(StatusCodes.Status401Unauthorized, ApiText.HubNotSignedIn);

    private static async Task<Ok<NotificationPreferences>> GetPreferences(HttpContext http, MailPreferences preferences) =>
        TypedResults.Ok((await preferences.ForAsync(KeyOf(http), http.RequestAborted)).ToContract());

    private static async Task<Ok<NotificationPreferences>> PutPreferences(HttpContext http, MailPreferences preferences, NotificationPreferences body) =>
        TypedResults.Ok((await preferences.SaveAsync(KeyOf(http), body, http.RequestAborted)).ToContract());

    /// <summary>Failed and refused mails by default (<c>?state=</c> one or more of pending, sent, failed, refused, skipped), newest first.</summary>
    private static async Task<Ok<MailDeliveryList>> Deliveries(HttpContext http, IMailDeliveryStore store, string[]? state, long? before, int? count)
    {
        if (!IsAdmin(http.User)) throw ApiProblem.Forbidden(ApiText.MailDeliveriesAdminOnly);
        var states = state is { Length: > 0 }
            ? state.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList()
            : [MailDeliveryStates.Failed, MailDeliveryStates.Refused];
        if (states.FirstOrDefault(s => !MailDeliveryStates.All.Contains(s)) is { } unknown)
            throw ApiProblem.BadRequest(ApiProblem.Text(ApiText.MailDeliveryUnknownState, unknown));
        var rows = await store.ListMailDeliveriesAsync(states, before, Math.Clamp(count ?? 50, 1, 200), http.RequestAborted);
        return TypedResults.Ok(new MailDeliveryList(rows.Select(d => new MailDeliveryView(d.Id, d.Recipient, d.Address, d.Kind, d.State,
            d.Attempts, d.NotificationIds.Count, d.Created, d.LastAttempt, d.NextAttempt, d.LastError)).ToList()));
    }

    /// <summary>Identity's role <c>admin</c> in the token (the platform's administrator, who sees no dossiers).</summary>
    private static bool IsAdmin(ClaimsPrincipal user) => user.FindAll("role").Any(r => r.Value == AccountRoles.Admin);
}
