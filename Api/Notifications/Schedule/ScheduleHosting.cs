using Microsoft.Extensions.Options;

namespace Pgo.Api.Notifications.Schedule;

/// <summary>Registration of the notification schedule (what time brings).</summary>
public static class ScheduleHosting
{
    public static WebApplicationBuilder AddNotificationSchedule(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ScheduleOptions>().BindConfiguration(ScheduleOptions.Section)
            
            // A PeriodicTimer takes at most 2^32-2 ms (about 49 days).
            .Validate(o => o.SweepInterval > TimeSpan.Zero && o.SweepInterval <= TimeSpan.FromDays(49), "Notifications:SweepInterval moet tussen 0 en 49 dagen liggen.").ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<ScheduleOptions>>().Value);
        builder.Services.AddSingleton<ScheduleFacts>();
        builder.Services.AddSingleton<NotificationSchedule>();
        builder.Services.AddHostedService<ScheduleService>();
        return builder;
    }
}
