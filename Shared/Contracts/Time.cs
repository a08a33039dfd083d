namespace Pgo.Shared.Contracts;

// Time registration (Api/Time/TimeApi.cs) as the Portal reads it; checked against the Api by the contract test.

/// <summary>One time registration of a supporter (Api/Time/TimeApi.cs).</summary>
public sealed record TimeEntry(string Id, string PatientId, string Activity, string ActivityName, string Date, int Minutes, string? Note, string? Author, string? AuthorName);

public sealed record FamilyMinutes(string PatientId, int Minutes);

public sealed record ActivityMinutes(string Activity, string Name, int Minutes);

/// <summary>The time registrations of a period with the totals per family and per activity.</summary>
public sealed record TimeSheet(string From, string To, int TotalMinutes, FamilyMinutes[] Families, ActivityMinutes[] Activities, TimeEntry[] Entries);

public sealed record TimeRequest(string Activity, string Date, int Minutes, string? Note);
