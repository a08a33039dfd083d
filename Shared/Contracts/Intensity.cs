namespace Pgo.Shared.Contracts;

/// <summary>One change of the intensity of support (issue 20): from, to, the day it took effect, who set it, why, agreed with
/// the family, and for waakvlam the contact rhythm in weeks. Dates are days (yyyy-MM-dd, Dutch calendar).</summary>
public sealed record IntensityChangeView(string Id, string To, string ToName, string? From, string? FromName, string Effective,
    string? SetBy, string Reason, bool AgreedWithFamily, int? RhythmWeeks);

/// <summary>An event recorded after the family went to waakvlam or afschalen whose type calls for scaling up again.</summary>
public sealed record IntensityTrigger(string EventId, string Type, string TypeName, string Date);

/// <summary>
/// Where a family stands: the current intensity and since when (the newest change; without one the active plan's category
/// and its start), for waakvlam the rhythm, the last contact (newest logbook note, by its date), the day contact is due
/// ("volgend contact uiterlijk") and whether it is needed now ("contact nodig sinds"), and a trigger that suggests scaling up.
/// Null fields: not known, or not shared with the caller.
/// </summary>
public sealed record IntensityStatus(string? Intensity, string? IntensityName, string? Since, int? RhythmWeeks, string? LastContact,
    string? ContactDue, bool ContactNeeded, IntensityTrigger? Trigger);

/// <summary>GET /api/dossiers/{id}/intensity: the status, the history newest first, and whether the caller may set it.</summary>
public sealed record IntensityOverview(string PatientId, IntensityStatus Status, IntensityChangeView[] History, bool MayChange);

/// <summary>POST /api/dossiers/{id}/intensity: the new intensity, the day it took effect (today or earlier), a short reason,
/// "besproken met het gezin" (required), and for waakvlam the contact rhythm in weeks (default a setting).</summary>
public sealed record IntensityRequest(string? Intensity, string? Effective, string? Reason, bool AgreedWithFamily, int? RhythmWeeks);
