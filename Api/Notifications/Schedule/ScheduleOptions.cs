namespace Pgo.Api.Notifications.Schedule;

/// <summary>Settings of the notification schedule (section <c>Notifications</c>).</summary>
public sealed class ScheduleOptions
{
    public const string Section = "Notifications";

    /// <summary>How often the schedule looks at what time brought (agreements due, grants ending, turning 18). Default 15 minutes.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How many days before an open procedure's deadline (beslistermijn, bezwaartermijn) its supporters and
    /// regiehouders are reminded (issue 20). Default 3.</summary>
    public int ProcedureReminderDays { get; set; } = Pgo.Shared.Codes.EventCodes.DefaultReminderDays;
}
