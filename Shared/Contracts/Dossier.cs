namespace Pgo.Shared.Contracts;

// The task-shaped dossier API (Api/Dossier): flat, Dutch-labelled views of the FHIR resources (the mapping is
// docs/adr/0005-dossier-mapping.md). The Api sends these records and the Portal reads them: one definition, so a field
// added on one side is there on the other. A null list means "this section is not shared with you"; an empty list
// means "nothing there".

public sealed record DossierOverview(
    string PatientId,
    string[] Sections,
    bool CanManageAccess,
    ClientView? Client,
    PlanView[]? Plans,
    DomainGoals[]? Goals,
    AgreementView[]? OpenAgreements,
    AgreementView[]? OverdueAgreements,
    LogbookView[]? RecentLogbook,
    AppointmentView[]? UpcomingAppointments,
    MessageView[]? RecentMessages,
    MeasurementView[]? Measurements,
    NetworkMember[]? Network);

public sealed record ClientView(string Id, string Name, string? BirthDate, string? Language, string? Paspoort);

/// <param name="Description">The plan's text (Markdown).</param>
/// <param name="Author">Who made the plan (CarePlan.author's name).</param>
/// <param name="Evaluations">The evaluations held, oldest first (CarePlan.note: who, when, what was concluded).</param>
/// <param name="ContactRhythm">The waakvlam-plan's contact rhythm (a code of <c>ContactRhythms</c>), null when none.</param>
public sealed record PlanView(string Id, string Title, string Status, string? Intensity, string? IntensityDisplay, string? Start, string? End,
    string[] EvaluationDates, string? Description, string? BasedOn, string? Author = null, string? Created = null,
    PlanNote[]? Evaluations = null, string? ContactRhythm = null);

/// <summary>One evaluation of a plan, or one progress note on a goal: when, who, what (Markdown).</summary>
public sealed record PlanNote(string? Date, string? Author, string Text);

public sealed record DomainGoals(string Domain, string Display, GoalView[] Goals);

public sealed record GoalView(string Id, string Description, string Status, string? Achievement, string Kind, string? Concerns, string? Due,
    string? LatestProgress, string? LatestProgressDate, PlanNote[]? Progress = null, string? Start = null, string? ConcernsDossier = null);

public sealed record AgreementView(string Id, string Description, string Status, string? Owner, string? OwnerName, string? Start, string? Due,
    string? Goal, string? Plan, bool Overdue, int? DaysLeft);

public sealed record LogbookView(string Id, string? Date, string? Author, string Text, string Version);

public sealed record AppointmentView(string Id, string Description, DateTimeOffset? Start, DateTimeOffset? End, string[] Participants);

public sealed record MessageView(string Id, string? Sent, string? Sender, string? Topic, string Text, string? InResponseTo);

public sealed record NetworkMember(string? Member, string Name, string? Role, string? RoleDisplay, string? Organization);

/// <summary>One respondent's answers to one questionnaire over time (issue 20: each respondent answers separately, the
/// change is per respondent).</summary>
/// <param name="Respondent">Who answered, in words ("Tessa Strikwerda"); "onbekend" for an old answer without respondent or author.</param>
public sealed record MeasurementView(string Questionnaire, string Title, MeasurementMomentView[] Moments, int? ChangeFromStart, int? ChangeFromPrevious,
    QuestionChange[] Questions, string Respondent = "onbekend");

public sealed record MeasurementMomentView(string Moment, string? Authored, int Score, string? Source, string? Author, bool Proxy, string ResponseId);

public sealed record QuestionChange(string LinkId, string Text, int?[] Values, int? Change);

public sealed record TimelineItem(string Type, string Id, string Section, string? Date, string Title);

public sealed record TimelinePage(string PatientId, int Offset, int Count, bool HasMore, TimelineItem[] Items);

public sealed record DueAgreement(string PatientId, AgreementView Agreement, bool Mine);
