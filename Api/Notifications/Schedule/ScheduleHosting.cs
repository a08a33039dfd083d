using Microsoft.Extensions.Options;

namespace Pgo.Api.Notifications.Schedule;

/// <summary>Registration of the notification schedule (what time brings).</summary>
public static class ScheduleHosting
{
    public static WebApplicationBuilder AddNotificationSchedule(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ScheduleOptions>().BindConfiguration(ScheduleOptions.Section)
            .Validate(o => o.SweepInterval > TimeSpan.Zero, "Notifications:SweepInterval moet groter dan nul zijn.").ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<ScheduleOptions>>().Value);
        builder.Services.AddSingleton<ScheduleFacts>();
        builder.Services.AddSingleton<NotificationSchedule>();
        builder.Services.AddHostedService<ScheduleService>();
        return builder;
    }
}
