namespace Pgo.Shared.Contracts;

// The supporter's time (issue 20; Api/Practice, docs/adr/0009-supporter-time.md) as the Portal reads it; checked against
// the Api by the contract test.

/// <summary>
/// One time registration of a supporter. <paramref name="PatientId"/> and <paramref name="FamilyName"/> (the family's name
/// as shown when it was registered) are null for time outside a family. A correction names the entry it corrects
/// (<paramref name="Corrects"/>) and its <paramref name="Reason"/>; its minutes may be negative. <paramref name="CorrectedMinutes"/>
/// is an original entry's total after its corrections. <paramref name="EditableUntil"/> (yyyy-MM-dd, Dutch date): the last day
/// the author may still change it; null when that has passed, for a correction, and for whoever is not the author.
/// </summary>
public sealed record TimeEntry(string Id, string? PatientId, string Activity, string ActivityName, string Date, int Minutes, string? Note,
    string? Author, string? AuthorName, string? FamilyName = null, bool OutsideFamily = false, string? Corrects = null, string? Reason = null,
    int? CorrectedMinutes = null, string? EditableUntil = null);

/// <summary>The minutes spent on one family (<paramref name="Name"/>: as shown when the time was registered).</summary>
public sealed record FamilyMinutes(string PatientId, int Minutes, string? Name = null);

public sealed record ActivityMinutes(string Activity, string Name, int Minutes);

/// <summary>The time registrations of a period with the totals per family and per activity, corrections applied.
/// <paramref name="OutsideFamilyMinutes"/>: the time outside a family.</summary>
public sealed record TimeSheet(string From, string To, int TotalMinutes, FamilyMinutes[] Families, ActivityMinutes[] Activities, TimeEntry[] Entries,
    int OutsideFamilyMinutes = 0);

/// <summary>A new entry: for a family (<paramref name="PatientId"/>, or the dossier in the route) or outside a family (none).</summary>
public sealed record TimeRequest(string Activity, string Date, int Minutes, string? Note, string? PatientId = null);

/// <summary>The author's change of an own entry within the edit period (Practice:EditDays).</summary>
public sealed record TimeEdit(string Activity, string Date, int Minutes, string? Note);

/// <summary>A correction of an entry: minutes to add (negative to subtract) and the required reason.</summary>
public sealed record TimeCorrection(int Minutes, string Reason, string? Note = null);

/// <summary>An activity to register time on; <paramref name="OutsideFamily"/>: time outside a family.</summary>
public sealed record TimeActivity(string Code, string Name, bool OutsideFamily);

/// <summary>The coach's view: minutes of one supporter of the team on one activity in one month (yyyy-MM); no family, no note.</summary>
public sealed record TeamTimeTotal(string Team, string Supporter, string Month, string Activity, string ActivityName, int Minutes);
