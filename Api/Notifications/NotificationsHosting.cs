using Pgo.Fhir.Storage;

namespace Pgo.Api.Notifications;

/// <summary>Registers notifications (Api/Notifications/README.md): the store, the sink, the hub and the bell's API; the
/// producers (outbox rules, schedule, team-space forwarder) and the mail add themselves here.</summary>
public static class NotificationsHosting
{
    public static WebApplicationBuilder AddNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<INotificationStore>(sp => sp.GetRequiredService<IFhirStore>());
        builder.Services.AddSingleton<NotificationSink>();
        return builder;
    }

    public static WebApplication MapNotifications(this WebApplication app, IEndpointRouteBuilder audited)
    {
        app.MapHub<NotificationHub>("/hubs/notifications", o => o.CloseOnAuthenticationExpiration = true);
        audited.MapNotificationsApi();
        return app;
    }
}
