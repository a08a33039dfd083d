using Microsoft.Extensions.Options;

namespace Pgo.Api.Notifications.Schedule;

/// <summary>Registration of the notification schedule (what time brings).</summary>
public static class ScheduleHosting
{
    public static WebApplicationBuilder AddNotificationSchedule(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ScheduleOptions>().BindConfiguration(ScheduleOptions.Section)
            
            // A PeriodicTimer takes at most 2^32-2 ms (about 49 days).
            .Validate(o => o.SweepInterval > TimeSpan.Zero && o.SweepInterval <= TimeSpan.FromDays(49), "Notifications:SweepInterval moet tussen 0 en 49 dagen liggen.")
            .Validate(o => o.ProcedureReminderDays is >= 0 and <= 60, "Notifications:ProcedureReminderDays moet tussen 0 en 60 liggen.").ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<ScheduleOptions>>().Value);
        // The waakvlam contact rhythm (issue 20): the caseload, the intensity API and the schedule's "contact nodig" read it.
        builder.Services.AddOptions<Pgo.Api.Caseload.IntensityOptions>().BindConfiguration(Pgo.Api.Caseload.IntensityOptions.Section)
            .Validate(o => o.WaakvlamRhythmWeeks is >= Pgo.Shared.Codes.IntensityChanges.MinRhythmWeeks and <= Pgo.Shared.Codes.IntensityChanges.MaxRhythmWeeks,
                "Pgo:Intensity:WaakvlamRhythmWeeks moet tussen 1 en 52 liggen.").ValidateOnStart();
        // The transition track's start age: the schedule tells by it, Api/Regie shows it.
        builder.Services.AddOptions<Pgo.Api.Regie.TransitionOptions>().BindConfiguration(Pgo.Api.Regie.TransitionOptions.Section)
            .Validate(o => o.StartAge is >= 12 and <= 17, "Pgo:Transition:StartAge moet tussen 12 en 17 liggen.").ValidateOnStart();
        // The measurement plan (issue 20): the plan API, the referral intake and the schedule's "meting gepland" read it.
        builder.Services.AddOptions<Pgo.Api.Dossier.MeasurementOptions>().BindConfiguration(Pgo.Api.Dossier.MeasurementOptions.Section)
            .Validate(o => o.Problem() is null, "Pgo:Measurements is ongeldig: FirstFollowUpMonths 1–24, SecondFollowUpMonths groter dan FirstFollowUpMonths en ten hoogste 36, "
                + "RemindDaysBefore 0–60, DefaultInstruments 1 tot 5 vragenlijst-id's gescheiden door komma's.").ValidateOnStart();
        builder.Services.AddSingleton<ScheduleFacts>();
        builder.Services.AddSingleton<NotificationSchedule>();
        builder.Services.AddHostedService<ScheduleService>();
        return builder;
    }
}
