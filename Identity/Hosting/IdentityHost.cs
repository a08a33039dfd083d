using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.WebEncoders;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Pgo.Identity.Accounts;
using Pgo.Identity.Connect;
using Pgo.Identity.Data;
using Pgo.Identity.Demo;
using Pgo.Identity.External;
using Pgo.Identity.Invitations;
using Pgo.Identity.Launch;
using Pgo.Identity.Mail;
using Pgo.Identity.SignInLog;
using Pgo.Identity.TwoFactor;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pgo.Identity.Keys;
using Pgo.Identity.RateLimiting;
using Pgo.Observability;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Pgo.Identity.Hosting;

/// <summary>How Pgo.Identity is put together: services, the request pipeline, and what happens at start-up.</summary>
public static class IdentityHost
{
    public static WebApplicationBuilder AddIdentityApp(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<DataDirectory>();
        // Every setting binds one way, validated at start (docs/settings.md); unsafe ones are refused by UnsafeSettings.
        UnsafeSettings.Register(services);
        services.AddOptions<PgoOptions>().BindConfiguration(PgoOptions.Section).ValidateOnStart()
            .PostConfigure<IConfiguration>((o, config) => o.Cluster = Pgo.Observability.ClusterSetting.Read(config).Enabled);
        services.AddOptions<ClientOptions>().BindConfiguration(ClientOptions.Section).ValidateOnStart();
        services.AddOptions<KeyOptions>().BindConfiguration(KeyOptions.Section).ValidateOnStart();
        services.AddOptions<MailOptions>().BindConfiguration(MailOptions.Section).ValidateOnStart();
        services.AddOptions<InvitationOptions>().BindConfiguration(InvitationOptions.Section).ValidateOnStart();
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateOnStart();
        services.AddIdentityDatabase();

        services.AddIdentity<PgoUser, IdentityRole>(options =>
            {
                PasswordPolicy.Apply(options);
                // The claim names OpenID Connect uses, so the cookie principal and the tokens speak alike.
                options.ClaimsIdentity.UserIdClaimType = Claims.Subject;
                options.ClaimsIdentity.UserNameClaimType = Claims.Name;
                options.ClaimsIdentity.RoleClaimType = Claims.Role;
                options.ClaimsIdentity.EmailClaimType = Claims.Email;
            })
            .AddEntityFrameworkStores<IdentityDb>()
            .AddErrorDescriber<DutchIdentityErrors>()
            .AddPasswordValidator<CommonPasswordValidator>()
            .AddDefaultTokenProviders()
            .AddTokenProvider<LinkTokens>(LinkTokens.Name)
            .AddTokenProvider<OneTimeAuthenticatorCodes>(OneTimeAuthenticatorCodes.Name);
        services.Configure<IdentityOptions>(options =>
        {
            // Links in mails: expiring, on the injected clock, a reset link once only (Accounts/LinkTokens.cs).
            options.Tokens.PasswordResetTokenProvider = LinkTokens.Name;
            options.Tokens.EmailConfirmationTokenProvider = LinkTokens.Name;
            // Authenticator codes work once per account (TwoFactor/OneTimeAuthenticatorCodes.cs).
            options.Tokens.AuthenticatorTokenProvider = OneTimeAuthenticatorCodes.Name;
        });
        services.AddAuthentication().AddEntraLogin(builder.Configuration);
        services.AddInvitationsApiAuthorization();
        services.AddContactApiAuthorization();
        services.AddHttpContextAccessor();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<EntraLogin>();
        services.AddScoped<SignInLogbook>();
        services.AddSingleton<RefusedCodeLimit>();
        services.AddScoped<SignInFlow>();
        services.AddScoped<AccountMails>();
        services.AddScoped<Links>();
        services.AddScoped<Mails>();
        services.AddSingleton<MailSender>();
        services.AddSingleton<MailQueue>();
        services.AddHostedService(provider => provider.GetRequiredService<MailQueue>());
        services.AddScoped<LaunchPatients>();
        services.AddScoped<InvitationService>();
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.LoginPath = AccountPaths.SignIn;
            cookie.LogoutPath = AccountPaths.SignOut;
            cookie.AccessDeniedPath = AccountPaths.SignIn;
            cookie.Cookie.Name = "pgo.identity";
            cookie.Cookie.SameSite = SameSiteMode.Lax;
        });

        // Cookies and antiforgery tokens must survive a restart and be readable by every instance.
        services.AddDataProtection().SetApplicationName("Pgo.Identity");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>, DataProtectionKeysSetup>();

        services.AddOpenIdConnectServer();
        services.AddBrowserAppCors();
        services.AddRateLimits();
        services.AddLocalization();
        services.AddRazorPages(pages => pages.RootDirectory = "/") // pages live in their feature folders
            .AddDataAnnotationsLocalization(localization =>
                localization.DataAnnotationLocalizerProvider = (_, factory) => factory.Create(typeof(Texts)));
        // Dutch letters (é, ë) as themselves in the HTML, not as &#xEB; (markup characters are still escaped).
        services.Configure<WebEncoderOptions>(encoder => encoder.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        // /health answers while the process runs; /health/ready also needs the database (Observability/Telemetry.cs).
        services.AddHealthChecks().AddCheck<IdentityDatabaseHealthCheck>("database", tags: [Pgo.Observability.Telemetry.Ready]);
        builder.AddPgoTelemetry();
        services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            // Only with Pgo:ForwardedHeaders=true, behind a TLS-terminating proxy that is the only way in.
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
        });
        return builder;
    }

    public static WebApplication UseIdentityApp(this WebApplication app)
    {
        // The pipeline reads settings (Pgo:ForwardedHeaders): every validator runs first, so a bad setting is refused
        // with the one start-up message rather than thrown by the first options read.
        UnsafeSettings.RefuseInvalidSettings(app.Services);
        // /metrics and /health/ready first, before forwarded headers rewrite the caller's address.
        app.UsePgoTelemetry();
        if (app.Services.GetRequiredService<IOptions<PgoOptions>>().Value.ForwardedHeaders) app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/fout");
        // Error statuses on pages people see get the Dutch error page (with the OAuth error code, if any);
        // machine endpoints keep their own JSON and WWW-Authenticate answers.
        app.UseWhen(http => IsForPeople(http.Request.Path), people => people.UseStatusCodePagesWithReExecute("/fout", "?status={0}"));
        app.UseRequestLocalization(localization => localization
            .SetDefaultCulture("nl-NL")
            .AddSupportedCultures("nl-NL", "en-GB")
            .AddSupportedUICultures("nl-NL", "en-GB"));
        app.UseStaticFiles();
        // Before authentication: OpenIddict handles token requests inside the authentication middleware.
        app.UseRateLimiter();
        app.UseRouting();
        app.UseBrowserAppCors();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHealthChecks("/health", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = check => !check.Tags.Contains(Pgo.Observability.Telemetry.Ready) });
        app.MapConnectApi();
        app.MapInvitationsApi();
        app.MapContactApi();
        app.MapRazorPages();
        return app;
    }

    private static bool IsForPeople(PathString path) =>
        !(path.StartsWithSegments(ServerSetup.TokenPath) || path.StartsWithSegments(ServerSetup.UserInfoPath)
          || path.StartsWithSegments(ServerSetup.RevocationPath) || path.StartsWithSegments(ServerSetup.IntrospectionPath)
          || path.StartsWithSegments("/.well-known") || path.StartsWithSegments("/health") || path.StartsWithSegments("/api"));

    /// <summary>
    /// Start-up work, before the first request: refuse unsafe settings (every options validator), create the database, make sure roles
    /// and clients exist, and (Development only) the demo accounts.
    /// </summary>
    public static async Task InitializeAsync(this WebApplication app)
    {
        UnsafeSettings.RefuseInvalidSettings(app.Services);
        var clients = app.Services.GetRequiredService<IOptions<ClientOptions>>().Value;
        EntraLoginSetup.RemoveWhenNotConfigured(app.Services);

        await Database.MigrateAsync(app.Services);
        // Load or create the keys now, not at the first request (after the migration: Keys:Store=Database reads a table).
        _ = app.Services.GetRequiredService<KeyStore>();
        // The data-protection key ring too, so that instances started one after the other share the first one's key.
        app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Pgo.Identity.Start").Protect("start");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            foreach (var role in Roles.All)
                if (!await roles.RoleExistsAsync(role)) await roles.CreateAsync(new IdentityRole(role));
        }
        await Clients.RegisterAsync(app.Services, clients, app.Environment);
        if (app.Environment.IsDevelopment()) await DemoAccounts.SeedAsync(app.Services);
    }

    /// <summary>Data-protection keys in &lt;data&gt;/keys/data-protection, or with <c>Pgo:Keys:Store=Database</c> in Identity's
    /// database (table DataProtectionKeys), shared by every instance of a cluster.</summary>
    private sealed class DataProtectionKeysSetup(IServiceProvider services, IOptions<KeyOptions> keys, ILoggerFactory loggers) : IConfigureOptions<KeyManagementOptions>
    {
        public void Configure(KeyManagementOptions options) =>
            options.XmlRepository = keys.Value.Store == KeyStorage.Database
                ? new Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.EntityFrameworkCoreXmlRepository<IdentityDb>(services, loggers)
                : new FileSystemXmlRepository(new DirectoryInfo(services.GetRequiredService<DataDirectory>().Combine("keys", "data-protection")), loggers);
    }
}
