namespace Pgo.Shared.Contracts;

// The measurement plan of a family (issue 20, Api/Dossier/MeasurementPlanApi.cs): the 0-, 1- and 2-meting per instrument,
// each a FHIR Task in section metingen (docs/adr/0005-dossier-mapping.md).

/// <param name="Moment">0-meting, 1-meting or 2-meting (<c>meetmoment</c>).</param>
/// <param name="Due">The due day, <c>yyyy-MM-dd</c> (a day in Europe/Amsterdam).</param>
/// <param name="State">gepland, te-laat, gedaan or geannuleerd (<c>MeasurementPlanCodes.States</c>).</param>
/// <param name="DoneOn">The day the measurement was filled in (gedaan).</param>
/// <param name="Version">The stored version: send it back with a change.</param>
public sealed record PlannedMeasurementView(string Id, string Moment, string MomentName, string Instrument, string InstrumentTitle, string Due,
    string State, string StateName, string? DoneOn, string? Reason, string? Owner, int Version);

/// <param name="CanPlan">Whether the caller may write the plan (write on metingen).</param>
public sealed record MeasurementPlanView(string PatientId, bool CanPlan, PlannedMeasurementView[] Items);

/// <summary>Plan the three metingen (POST /api/dossiers/{id}/measurement-plan): from <paramref name="Start"/> (default today)
/// per instrument (default the configured ones).</summary>
public sealed record MeasurementPlanRequest(string? Start = null, string[]? Instruments = null);

/// <summary>A new due day of one planned meting (PUT /api/dossiers/{id}/measurement-plan/{taskId}).</summary>
public sealed record PlannedMeasurementChange(string? Due, int? Version = null);

/// <summary>Cancel one planned meting with a reason (POST /api/dossiers/{id}/measurement-plan/{taskId}/cancel).</summary>
public sealed record PlannedMeasurementCancel(string? Reason, int? Version = null);
