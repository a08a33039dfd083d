using System.Globalization;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;
using Pgo.Identity.Accounts;
using Pgo.Identity.Connect;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Pgo.Identity.Invitations;

/// <summary>
/// Identity's invitations API, for the Portal (a regiehouder's token) and the Api (the pgo-system client).
/// Bearer tokens of this server with the <c>invitations</c> scope; the contract is in Identity/README.md.
/// </summary>
public static partial class InvitationsApi
{
    public const string Policy = "invitations-api";
    public const int MaxPage = 200;

    public static IEndpointRouteBuilder MapInvitationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/invitations").RequireAuthorization(Policy).DisableAntiforgery();
        api.MapPost("/", Create);
        api.MapGet("/", List);
        api.MapGet("/accepted", Accepted);
        api.MapGet("/{id}", Get);
        api.MapDelete("/{id}", Withdraw);
        return app;
    }

    public static IServiceCollection AddInvitationsApiAuthorization(this IServiceCollection services) =>
        services.AddAuthorization(options => options.AddPolicy(Policy, policy => policy
            .AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()));

    public sealed record InviterDto(string? Sub, string? Name, string? FhirUser);

    public sealed record CreateRequest(
        string? Email, string? Role, string? Patient, string? PatientName, string[]? Sections, string? Access,
        DateTime? Until, string? Message, InviterDto? InvitedBy);

    public sealed record InvitationDto(
        string Id, string Email, string Role, string Patient, string PatientName, IReadOnlyList<string> Sections, string Access,
        DateTime? Until, string? Message, string Status, DateTime CreatedAt, DateTime ExpiresAt, DateTime? WithdrawnAt,
        InviterDto InvitedBy, string? InvitedByClient, DateTime? AcceptedAt, string? AcceptedBy, string? AcceptedByFhirUser,
        string? AcceptedByName = null);

    public sealed record AcceptedPage(IReadOnlyList<InvitationDto> Items, DateTime? Next);

    private static async Task<Results<Created<InvitationDto>, ValidationProblem, ForbidHttpResult>> Create(
        CreateRequest body, ClaimsPrincipal caller, InvitationService invitations, CancellationToken cancellationToken)
    {
        if (!InvitationPolicy.Allows(caller, InvitationOperation.Create)) return TypedResults.Forbid();

        var problems = Validate(body, caller, invitations.Now);
        if (problems.Count > 0) return TypedResults.ValidationProblem(problems);

        var system = InvitationPolicy.IsSystem(caller);
        var inviter = system
            ? new Inviter(body.InvitedBy!.Sub ?? body.InvitedBy.FhirUser!, body.InvitedBy.Name!.Trim(), body.InvitedBy.FhirUser, caller.GetClaim(Claims.ClientId))
            : new Inviter(caller.GetClaim(Claims.Subject)!, caller.GetClaim(Claims.Name) ?? "", caller.GetClaim(ApiContract.FhirUserClaim),
                caller.GetClaim(Claims.ClientId));
        var patient = PatientId(body.Patient)!;
        var invitation = await invitations.CreateAsync(new InvitationRequest(
            body.Email!.Trim(), body.Role!, patient, string.IsNullOrWhiteSpace(body.PatientName) ? patient : body.PatientName,
            body.Sections ?? [], InvitationRoles.NamesSections(body.Role) ? body.Access ?? InvitationAccess.Read : InvitationAccess.Write, body.Until, body.Message), inviter, cancellationToken);
        return TypedResults.Created($"/api/invitations/{invitation.Id}", Dto(invitation, invitations.Now));
    }

    /// <summary>A person: the invitations they sent. A system client: those for <c>?patient=</c>.</summary>
    private static async Task<Results<Ok<List<InvitationDto>>, ForbidHttpResult, BadRequest<string>>> List(
        ClaimsPrincipal caller, InvitationService invitations, string? patient)
    {
        if (!InvitationPolicy.Allows(caller, InvitationOperation.ReadOwn)) return TypedResults.Forbid();
        List<Invitation> found;
        if (InvitationPolicy.IsSystem(caller))
        {
            if (PatientId(patient) is not { } id) return TypedResults.BadRequest("A system client names the patient: ?patient=");
            found = await invitations.ForPatientAsync(id);
        }
        else
        {
            found = await invitations.SentByAsync(caller.GetClaim(Claims.Subject)!);
            if (PatientId(patient) is { } id) found = found.Where(i => i.PatientId == id).ToList();
        }
        return TypedResults.Ok(found.Select(i => Dto(i, invitations.Now)).ToList());
    }

    private static async Task<Results<Ok<InvitationDto>, NotFound>> Get(string id, ClaimsPrincipal caller, InvitationService invitations)
    {
        var invitation = await invitations.FindAsync(id);
        return invitation is not null && InvitationPolicy.AllowsOn(caller, InvitationOperation.ReadOwn, invitation)
            ? TypedResults.Ok(Dto(invitation, invitations.Now))
            : TypedResults.NotFound();
    }

    private static async Task<Results<NoContent, NotFound, Conflict<string>>> Withdraw(string id, ClaimsPrincipal caller, InvitationService invitations)
    {
        var invitation = await invitations.FindAsync(id);
        if (invitation is null || !InvitationPolicy.AllowsOn(caller, InvitationOperation.Withdraw, invitation)) return TypedResults.NotFound();
        return await invitations.WithdrawAsync(invitation)
            ? TypedResults.NoContent()
            : TypedResults.Conflict("The invitation was already accepted; revoke the Consent at the Api instead.");
    }

    /// <summary>The feed the Api reads: accepted invitations from <c>since</c> on (inclusive; dedupe by id).</summary>
    private static async Task<Results<Ok<AcceptedPage>, ForbidHttpResult, BadRequest<string>>> Accepted(
        ClaimsPrincipal caller, InvitationService invitations, string? since, int? limit)
    {
        if (!InvitationPolicy.Allows(caller, InvitationOperation.ReadAccepted)) return TypedResults.Forbid();
        var from = DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc);
        if (!string.IsNullOrEmpty(since))
        {
            if (!DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                return TypedResults.BadRequest("since must be an ISO 8601 instant");
            from = parsed.UtcDateTime;
        }
        var page = await invitations.AcceptedSinceAsync(from, Math.Clamp(limit ?? 100, 1, MaxPage));
        var names = await invitations.AcceptorNamesAsync(page);
        return TypedResults.Ok(new AcceptedPage(
            page.Select(i => Dto(i, invitations.Now) with { AcceptedByName = i.AcceptedBy is { } by ? names.GetValueOrDefault(by) : null }).ToList(),
            page.LastOrDefault()?.AcceptedAt));
    }

    private static Dictionary<string, string[]> Validate(CreateRequest body, ClaimsPrincipal caller, DateTime now)
    {
        var problems = new Dictionary<string, string[]>();
        void Problem(string field, string message) => problems[field] = [message];

        if (string.IsNullOrWhiteSpace(body.Email) || !new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(body.Email.Trim()))
            Problem("email", "A valid e-mail address is required.");
        else if (string.Equals(body.Email.Trim(), caller.GetClaim(Claims.Email), StringComparison.OrdinalIgnoreCase))
            Problem("email", "You cannot invite yourself.");
        if (body.Role is null || !InvitationRoles.All.Contains(body.Role))
            Problem("role", $"role is one of: {string.Join(", ", InvitationRoles.All)}.");
        if (PatientId(body.Patient) is null)
            Problem("patient", "patient is a FHIR Patient id (or Patient/id).");
        if ((InvitationRoles.NamesSections(body.Role) && body.Sections is not { Length: > 0 })
            || (body.Sections ?? []).Any(s => !InvitationTexts.Sections.ContainsKey(s.Trim().ToLowerInvariant())))
            Problem("sections", $"sections is a non-empty list of: {string.Join(", ", InvitationTexts.Sections.Keys)}.");
        if (body.Access is not (null or InvitationAccess.Read or InvitationAccess.Write))
            Problem("access", "access is read or write.");
        if (body.Until is { } until && until.ToUniversalTime() <= now)
            Problem("until", "until lies in the future.");
        if (body.Message is { Length: > 2000 })
            Problem("message", "message is at most 2000 characters.");
        if (body.PatientName is { Length: > 200 })
            Problem("patientName", "patientName is at most 200 characters.");
        if (InvitationPolicy.IsSystem(caller)
            && (body.InvitedBy is null || string.IsNullOrWhiteSpace(body.InvitedBy.Name)
                || (string.IsNullOrWhiteSpace(body.InvitedBy.Sub) && string.IsNullOrWhiteSpace(body.InvitedBy.FhirUser))))
            Problem("invitedBy", "A system client names the person it invites for: invitedBy.name and invitedBy.sub or invitedBy.fhirUser.");
        return problems;
    }

    [GeneratedRegex("^(?:Patient/)?([A-Za-z0-9\\-\\.]{1,64})$")]
    private static partial Regex PatientReference();

    private static string? PatientId(string? reference) =>
        reference is null ? null : PatientReference().Match(reference.Trim()) is { Success: true } match ? match.Groups[1].Value : null;

    private static InvitationDto Dto(Invitation i, DateTime now) => new(
        i.Id, i.Email, i.Role, i.PatientId, i.PatientLabel, i.SectionList, i.Access, i.Until, i.Message,
        i.StatusAt(now).ToString().ToLowerInvariant(), i.CreatedAt, i.ExpiresAt, i.WithdrawnAt,
        new InviterDto(i.InvitedBy, i.InvitedByName, i.InvitedByFhirUser), i.InvitedByClient, i.AcceptedAt, i.AcceptedBy, i.AcceptedByFhirUser);
}
