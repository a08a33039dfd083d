namespace Pgo.Fhir.Access;

/// <summary>
/// Who is asking. Every repository call takes one, so that access rules (consent, token scopes)
/// can be compiled from it once per request and applied inside the queries.
/// </summary>
public sealed record CallerContext(
    string Subject,
    string? FhirUser,
    IReadOnlyList<string> Scopes,
    bool IsSystem,
    string? ClientId = null,
    IReadOnlyList<string>? Roles = null,
    string? LaunchPatient = null)
{
    /// <summary>SMART: a token with patient/ scopes and no user/ scope works in its launch patient's dossier only
    /// (<see cref="LaunchPatient"/>, the picked client), whatever else the person may see.</summary>
    public bool LimitedToLaunchPatient =>
        LaunchPatient is not null && !Scopes.Any(s => s.StartsWith("user/", StringComparison.Ordinal));

    /// <summary>The platform itself (seeding, migrations, background jobs). Never a person.</summary>
    public static CallerContext System(string purpose) => new($"system:{purpose}", null, [], IsSystem: true);
}
