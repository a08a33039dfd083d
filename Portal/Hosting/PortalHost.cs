using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Pgo.Portal.Api;
using Pgo.Shared.Contracts;
using Pgo.Portal.Auth;
using Pgo.Portal.Components;

namespace Pgo.Portal.Hosting;

/// <summary>Wiring of the Portal: components (MudBlazor), languages, the Api client, error pages.</summary>
public static class PortalHost
{
    public static WebApplicationBuilder AddPortalUi(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddLocalization();
        builder.Services.AddHealthChecks();
        // Metrics, traces and structured logs; /metrics and /health/ready (no checks of its own: ready when it runs).
        Pgo.Observability.Telemetry.AddPgoTelemetry(builder);
        // Every call to the Api carries the user's language (Accept-Language), so its texts follow the language switch.
        builder.Services.AddTransient<AcceptLanguageHandler>();
        builder.Services.ConfigureHttpClientDefaults(http => http.AddHttpMessageHandler<AcceptLanguageHandler>());
        builder.Services.AddHttpClient(nameof(PgoApi), (sp, http) =>
        {
            http.BaseAddress = new Uri(sp.GetRequiredService<IOptions<PortalOptions>>().Value.ApiUrl.TrimEnd('/') + "/");
            http.Timeout = TimeSpan.FromSeconds(30);
        });
        builder.Services.AddScoped<PgoApi>();
        // One client per area; a page injects the one it needs.
        builder.Services.AddScoped<DossierClient>();
        builder.Services.AddScoped<NetworkClient>();
        builder.Services.AddScoped<AccessClient>();
        builder.Services.AddScoped<InvitationClient>();
        builder.Services.AddScoped<TeamClient>();
        builder.Services.AddScoped<KennisbankClient>();
        builder.Services.AddScoped<TimeClient>();
        builder.Services.AddScoped<ReferralClient>();
        builder.Services.AddScoped<EventClient>();
        builder.Services.AddScoped<DocumentClient>();
        builder.Services.AddScoped<MedicalClient>();
        builder.Services.AddScoped<NotificationClient>();
        builder.Services.AddScoped<RegieClient>();
        builder.Services.AddScoped<StandInClient>();
        builder.Services.AddScoped<SignallingClient>(); // i19 programme: knelpunten and the programme view
        builder.Services.AddScoped<ProgrammeClient>(); // i21: the programme's pseudonymised aggregates
        builder.Services.AddScoped<DossierSession>();
        builder.Services.AddScoped<LocalTime>();
        builder.Services.AddScoped<Pgo.Portal.Live.DossierFeed>();
        builder.Services.AddScoped<Pgo.Portal.Live.NotificationFeed>();
        return builder;
    }

    public static WebApplication MapPortalUi(this WebApplication app)
    {
        // /metrics (allowed networks only) and /health/ready, before anything else (Observability/Telemetry.cs).
        Pgo.Observability.Telemetry.UsePgoTelemetry(app);
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
            app.UseHsts();
        }
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        // Dutch first; English for whoever chose it (cookie from /taal) or whose browser asks for it.
        app.UseRequestLocalization(o => o.SetDefaultCulture("nl-NL").AddSupportedCultures("nl-NL", "nl", "en-GB", "en").AddSupportedUICultures("nl-NL", "nl", "en-GB", "en"));
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();
        app.MapHealthChecks("/health").AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
