using OpenIddict.Abstractions;
using Pgo.Identity.Smart;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Pgo.Identity.Connect;

/// <summary>Client settings from configuration section <c>Pgo:Clients</c>.</summary>
public sealed class ClientOptions
{
    public const string Section = "Pgo:Clients";

    public PortalClientOptions Portal { get; set; } = new();
    public SecretOptions System { get; set; } = new();

    public class SecretOptions
    {
        public string? Secret { get; set; }
    }

    public sealed class PortalClientOptions : SecretOptions
    {
        /// <summary>Where the Portal runs; its OIDC callbacks hang off this.</summary>
        public string BaseUrl { get; set; } = "http://localhost:5100";
    }
}

/// <summary>
/// The clients (applications) Identity knows, registered at start-up: created when missing, updated when
/// present, so configuration is the source of truth. Third-party SMART apps will be registered on top.
/// </summary>
public static class Clients
{
    /// <summary>The Portal: confidential, code + PKCE, first party (no consent screen).</summary>
    public const string Portal = "pgo-portal";

    /// <summary>Development only: public client with the password grant, for scripts and tests.</summary>
    public const string Dev = "pgo-dev";

    /// <summary>A system integration: client credentials, system/ scopes.</summary>
    public const string System = "pgo-system";

    /// <summary>Development only: stands in for a third-party SMART app, so the consent screen can be seen.</summary>
    public const string DemoApp = "pgo-demo-app";

    /// <summary>Development secrets carry this marker; outside Development a secret with it is refused.</summary>
    public const string DevelopmentSecretMarker = "development-only";

    public const int MinimumSecretLength = 32;

    /// <summary>What is wrong with the secrets: missing anywhere; short or a development secret outside Development.</summary>
    public static IEnumerable<string> SecretProblems(ClientOptions options, IHostEnvironment environment)
    {
        foreach (var (name, secret) in new[] { ("Portal", options.Portal.Secret), ("System", options.System.Secret) })
        {
            var key = $"{ClientOptions.Section}:{name}:Secret";
            if (string.IsNullOrWhiteSpace(secret))
                yield return $"{key} is not configured.";
            else if (environment.IsDevelopment())
                continue;
            else if (secret.Contains(DevelopmentSecretMarker, StringComparison.OrdinalIgnoreCase))
                yield return $"{key} is the development secret; configure a real one outside Development.";
            else if (secret.Length < MinimumSecretLength)
                yield return $"{key} is shorter than {MinimumSecretLength} characters.";
        }
    }

    public static IEnumerable<OpenIddictApplicationDescriptor> For(ClientOptions options, IHostEnvironment environment)
    {
        var portal = options.Portal.BaseUrl.TrimEnd('/');
        yield return Described(new OpenIddictApplicationDescriptor
        {
            ClientId = Portal,
            ClientSecret = options.Portal.Secret,
            ClientType = ClientTypes.Confidential,
            ApplicationType = ApplicationTypes.Web,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = "PGO Portaal",
            RedirectUris = { new Uri($"{portal}/signin-oidc") },
            PostLogoutRedirectUris = { new Uri($"{portal}/signout-callback-oidc") },
        }, [
            Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.EndSession,
            Permissions.Endpoints.Revocation, Permissions.Endpoints.Introspection,
            Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code,
            Permissions.Scopes.Profile, Permissions.Scopes.Email, Permissions.Scopes.Roles,
            Scope("fhirUser"), Scope("launch/patient"), Scope("user/*.cruds"), Scope("patient/*.cruds"), Scope(ScopePolicy.Invitations),
        ]);

        yield return Described(new OpenIddictApplicationDescriptor
        {
            ClientId = System,
            ClientSecret = options.System.Secret,
            ClientType = ClientTypes.Confidential,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = "PGO systeemkoppeling",
        }, [
            Permissions.Endpoints.Token, Permissions.Endpoints.Introspection, Permissions.Endpoints.Revocation,
            Permissions.GrantTypes.ClientCredentials, Scope("system/*.rs"), Scope(ScopePolicy.Invitations), Scope(ScopePolicy.AccountContact),
        ]);

        if (!environment.IsDevelopment()) yield break;

        yield return Described(new OpenIddictApplicationDescriptor
        {
            ClientId = Dev,
            ClientType = ClientTypes.Public,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = "PGO ontwikkeltoegang (alleen Development)",
        }, [
            Permissions.Endpoints.Token, Permissions.Endpoints.Revocation,
            Permissions.GrantTypes.Password, Permissions.GrantTypes.RefreshToken,
            Permissions.Scopes.Profile, Permissions.Scopes.Email, Permissions.Scopes.Roles,
            Scope("fhirUser"), Scope("launch/patient"), Scope("user/*.cruds"), Scope("patient/*.cruds"), Scope(ScopePolicy.Invitations),
        ]);

        yield return Described(new OpenIddictApplicationDescriptor
        {
            ClientId = DemoApp,
            ClientType = ClientTypes.Public,
            ApplicationType = ApplicationTypes.Web,
            ConsentType = ConsentTypes.Explicit,
            DisplayName = "Voorbeeld-app van een andere partij",
            RedirectUris = { new Uri("http://localhost:5400/callback") },
        }, [
            Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.Revocation,
            Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code,
            Permissions.Scopes.Profile, Scope("fhirUser"), Scope("launch/patient"), Scope("patient/*.rs"),
        ]);
    }

    /// <summary>Creates or updates every client; removes the Development-only ones outside Development.</summary>
    public static async Task RegisterAsync(IServiceProvider services, ClientOptions options, IHostEnvironment environment,
        CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        foreach (var descriptor in For(options, environment))
        {
            var existing = await applications.FindByClientIdAsync(descriptor.ClientId!, cancellationToken);
            if (existing is null) await applications.CreateAsync(descriptor, cancellationToken);
            else await applications.UpdateAsync(existing, descriptor, cancellationToken);
        }

        if (environment.IsDevelopment()) return;
        foreach (var devOnly in new[] { Dev, DemoApp })
        {
            if (await applications.FindByClientIdAsync(devOnly, cancellationToken) is { } application)
                await applications.DeleteAsync(application, cancellationToken);
        }
    }

    private static string Scope(string name) => Permissions.Prefixes.Scope + name;

    private static OpenIddictApplicationDescriptor Described(OpenIddictApplicationDescriptor descriptor, string[] permissions)
    {
        descriptor.Permissions.UnionWith(permissions);
        // PKCE for every client that can get a code; OpenIddict also requires it server-wide.
        if (permissions.Contains(Permissions.GrantTypes.AuthorizationCode))
            descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
        return descriptor;
    }
}
