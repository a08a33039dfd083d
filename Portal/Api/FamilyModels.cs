namespace Pgo.Portal.Api;

// The family screens' view of GET /api/dossiers/{id}/overview (Api/Dossier/DossierViews.cs, camelCase JSON). A null list
// means "this section is not shared with you"; an empty list means "nothing there".

public sealed record DossierOverview(string PatientId, string[] Sections, bool CanManageAccess, OverviewClient? Client,
    OverviewGoals[]? Goals, OverviewAgreement[]? OpenAgreements, OverviewAgreement[]? OverdueAgreements,
    OverviewAppointment[]? UpcomingAppointments, OverviewMessage[]? RecentMessages, Measurement[]? Measurements, OverviewMember[]? Network);

public sealed record OverviewClient(string Id, string Name, string? BirthDate);

public sealed record OverviewGoals(string Domain, string Display, OverviewGoal[] Goals);

public sealed record OverviewGoal(string Id, string Description, string Status, string? Achievement, string? Due, string? LatestProgress);

public sealed record OverviewAgreement(string Id, string Description, string Status, string? OwnerName, string? Due, bool Overdue, int? DaysLeft);

public sealed record OverviewAppointment(string Id, string Description, DateTimeOffset? Start, DateTimeOffset? End);

public sealed record OverviewMessage(string Id, string? Sent, string? Sender, string? Topic, string Text, string? InResponseTo);

public sealed record OverviewMember(string? Member, string Name, string? Role, string? RoleDisplay, string? Organization);

/// <summary>One questionnaire's totals per moment (0-, 1-, 2-meting) and the change since the first and the previous.</summary>
public sealed record Measurement(string Questionnaire, string Title, MeasurementMoment[] Moments, int? ChangeFromStart, int? ChangeFromPrevious,
    MeasurementQuestion[] Questions);

public sealed record MeasurementMoment(string Moment, string? Authored, int Score, string? Source, string? Author, bool Proxy, string ResponseId);

public sealed record MeasurementQuestion(string LinkId, string Text, int?[] Values, int? Change);

/// <summary>A message (FHIR Communication, docs/adr/0005): the thread it belongs to is its root message.</summary>
public sealed record Message(string Id, string? Topic, string Text, string? SenderReference, string SenderName, string[] Recipients, string[] RecipientReferences, DateTimeOffset? Sent, string? InResponseTo);

/// <summary>A conversation: the root message (with the title) and its replies, oldest first.</summary>
public sealed record MessageThread(Message Root, IReadOnlyList<Message> Messages)
{
    public string Title => Root.Topic ?? Root.Text;

    public Message Last => Messages[^1];
}
