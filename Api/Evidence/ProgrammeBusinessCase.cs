namespace Pgo.Api.Evidence;

/// <summary>One family's business case for the programme view: per stakeholder and per scenario the benefit in euros a year
/// (seed 004's computation on the family's own recorded hours and events). The family is named only inside the Api.</summary>
public sealed record FamilyBusinessCaseYear(string PatientId, string Stakeholder, string Scenario, decimal EurosPerYear);
