using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;
using Pgo.Identity.Smart;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Pgo.Identity.Accounts;

/// <summary>
/// How to reach a person: the Api mails notifications and knows people only by their Person key, so it asks here for
/// the address, whether it is confirmed, and the language. Only a system client (client credentials) whose token has
/// the <c>account-contact</c> scope, and nothing else of the account (least privilege: no roles, no dossiers).
/// </summary>
public static class ContactApi
{
    public const string Path = "/api/accounts/contact";
    public const string Policy = "account-contact";
    private const string SubjectPrefix = "sub:";

    /// <summary>What the Api needs to send a mail; <c>Name</c> is the account's own display name, for the greeting.</summary>
    public sealed record Contact(string Email, bool Confirmed, string Language, string Name);

    public static IServiceCollection AddContactApiAuthorization(this IServiceCollection services) =>
        services.AddAuthorization(options => options.AddPolicy(Policy, policy => policy
            .AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            .RequireAssertion(context => Allows(context.User))));

    /// <summary>A system client (its subject is its client id) with the account-contact scope; never a person's token.</summary>
    public static bool Allows(ClaimsPrincipal caller) =>
        caller.HasScope(ScopePolicy.AccountContact)
        && caller.GetClaim(Claims.Subject) is { Length: > 0 } subject && subject == caller.GetClaim(Claims.ClientId);

    public static IEndpointRouteBuilder MapContactApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, Find).RequireAuthorization(Policy).DisableAntiforgery();
        return app;
    }

    /// <summary><c>?person=Person/x</c> (the account's fhirUser) or <c>?person=sub:&lt;account id&gt;</c> (an account without one).</summary>
    private static async Task<Results<Ok<Contact>, NotFound, ValidationProblem>> Find(string? person, UserManager<PgoUser> users,
        CancellationToken cancellationToken)
    {
        person = person?.Trim();
        if (string.IsNullOrEmpty(person) || person.Length > 200
            || !(person.StartsWith("Person/", StringComparison.Ordinal) || person.StartsWith(SubjectPrefix, StringComparison.Ordinal)))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["person"] = ["person is a Person reference (Person/x) or sub:<account id>."],
            });

        var account = person.StartsWith(SubjectPrefix, StringComparison.Ordinal)
            ? await users.FindByIdAsync(person[SubjectPrefix.Length..])
            : await users.Users.FirstOrDefaultAsync(u => u.FhirUser == person, cancellationToken);
        if (account?.Email is not { Length: > 0 } email) return TypedResults.NotFound();
        return TypedResults.Ok(new Contact(email, account.EmailConfirmed, Languages.Normalize(account.Language), account.DisplayName));
    }
}
