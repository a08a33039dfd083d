namespace Pgo.Api.Notifications.Rules;

/// <summary>Registers who is told what as changes happen: the audience, the rules, the outbox dispatcher, the invitation hook.</summary>
public static class RulesHosting
{
    public static WebApplicationBuilder AddNotificationRules(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<NotificationAudience>();
        builder.Services.AddSingleton<AccessNotices>();
        builder.Services.AddSingleton<NotificationRules>();
        builder.Services.AddSingleton<InvitationNotices>();
        builder.Services.AddSingleton<NotificationDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NotificationDispatcher>());
        return builder;
    }
}
