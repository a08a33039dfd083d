using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Pgo.Identity.Smart;

/// <summary>
/// Replaces OpenIddict's own scope checks (which know only a fixed list) so that the whole SMART v2 grammar
/// (<c>patient/Goal.rs</c>, ...) can be asked for; the rules themselves are in <see cref="ScopePolicy"/>.
/// </summary>
public sealed class ScopeValidation(IOpenIddictApplicationManager applications) :
    IOpenIddictServerHandler<ValidateAuthorizationRequestContext>,
    IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor AuthorizationRequests { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateAuthorizationRequestContext>()
            .UseScopedHandler<ScopeValidation>()
            .SetOrder(OpenIddictServerHandlers.Authentication.ValidateScopes.Descriptor.Order)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public static OpenIddictServerHandlerDescriptor TokenRequests { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseScopedHandler<ScopeValidation>()
            .SetOrder(OpenIddictServerHandlers.Exchange.ValidateScopes.Descriptor.Order)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ValidateAuthorizationRequestContext context) =>
        ValidateAsync(context, context.Request, clientCredentials: false);

    public ValueTask HandleAsync(ValidateTokenRequestContext context) =>
        // Code and refresh-token requests can only narrow what was granted before; OpenIddict enforces that.
        context.Request.IsAuthorizationCodeGrantType() || context.Request.IsRefreshTokenGrantType()
            ? ValueTask.CompletedTask
            : ValidateAsync(context, context.Request, context.Request.IsClientCredentialsGrantType());

    private async ValueTask ValidateAsync(BaseValidatingContext context, OpenIddictRequest request, bool clientCredentials)
    {
        var application = request.ClientId is { Length: > 0 } clientId
            ? await applications.FindByClientIdAsync(clientId, context.CancellationToken)
            : null;
        if (application is null)
        {
            context.Reject(Errors.InvalidClient, "The client is unknown.");
            return;
        }

        var permissions = await applications.GetPermissionsAsync(application, context.CancellationToken);
        foreach (var scope in request.GetScopes())
        {
            if (ScopePolicy.Refusal(scope, permissions, clientCredentials) is { } refusal)
            {
                context.Reject(Errors.InvalidScope, refusal);
                return;
            }
        }
    }
}
