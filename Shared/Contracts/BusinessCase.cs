namespace Pgo.Shared.Contracts;

// The family's social business case from its recorded data (issue 21, docs/adr/0011-social-business-case.md): what
// GET /api/dossiers/{id}/business-case answers. Amounts are exact decimals (the Portal rounds to whole euros to show them).

/// <summary>One family's case under a model and gezinstype, per scenario, with everything it rests on.</summary>
public sealed record FamilyCase(
    string PatientId,
    string ModelId,
    int ModelVersion,
    string ModelTitle,
    int FamilyType,
    string FamilyTypeName,
    bool FamilyTypeJudged,
    IReadOnlyList<FamilyTypeOption> FamilyTypes,
    string From,
    string To,
    int PeriodDays,
    decimal PeriodYears,
    decimal ModelPeriodYears,
    FamilyCaseCost Cost,
    IReadOnlyList<FamilyCaseHours> HoursPerActivity,
    IReadOnlyList<FamilyCaseHours> HoursPerMonth,
    IReadOnlyList<FamilyCaseIntensity> Intensity,
    IReadOnlyList<FamilyCaseItem> Items,
    IReadOnlyList<FamilyCaseScenario> Scenarios,
    bool CanJudge);

public sealed record FamilyTypeOption(int Number, string Name);

/// <summary>The supporter's real cost: the hours recorded for this family plus the model's learning-network hours for the
/// period, at the model's rate.</summary>
public sealed record FamilyCaseCost(decimal RecordedHours, decimal LearningNetworkHours, decimal HourlyRate, decimal OverPeriod, decimal PerYear);

/// <summary>Hours of one activity or one month (<see cref="Key"/>: the activity code or yyyy-MM).</summary>
public sealed record FamilyCaseHours(string Key, string Name, decimal Hours);

public sealed record FamilyCaseIntensity(string Intensity, string Name, string From, string? To);

/// <summary>One item of the gezinstype: how it was judged (null: not yet), by whom and why, and the register's events of
/// the types the model maps to it.</summary>
public sealed record FamilyCaseItem(
    string Code,
    string Description,
    string Stakeholder,
    string StakeholderName,
    decimal Cost,
    string? Status,
    string? StatusName,
    string? Source,
    string? Reason,
    string? JudgedOn,
    string? JudgedBy,
    IReadOnlyList<FamilyCaseEvent> Events);

public sealed record FamilyCaseEvent(string Id, string Type, string TypeName, string Date, string? Description);

/// <summary>One scenario: per year the benefit of the avoided items per stakeholder (all six, zero included), the supporter's
/// cost and the net result; the same over the family's period.</summary>
public sealed record FamilyCaseScenario(
    string Code,
    string Name,
    IReadOnlyList<FamilyCaseStakeholder> Stakeholders,
    decimal BenefitsPerYear,
    decimal SupporterCostPerYear,
    decimal NetPerYear,
    decimal BenefitsOverPeriod,
    decimal NetOverPeriod);

public sealed record FamilyCaseStakeholder(string Stakeholder, string Name, decimal PerYear);

/// <summary>POST body: judge one item of the gezinstype (<see cref="Pgo.Shared.Codes.BusinessCaseJudgements"/>).</summary>
public sealed record JudgementRequest(string? Item, string? Judgement, string? Reason, int? FamilyType);
