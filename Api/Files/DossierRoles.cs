using Pgo.Fhir.Access;

namespace Pgo.Api.Files;

/// <summary>Who counts as the regiehouder of a dossier for export, import and deletion: decided from the caller's
/// compiled <see cref="AccessScope"/> (ConsentAccessPolicy), never here.</summary>
public static class DossierRoles
{
    /// <summary>A regiehouder grant, or the client holding regie over their own dossier (16+), or the platform.</summary>
    public static bool IsRegiehouder(AccessScope scope, string patientId) =>
        scope.IsUnrestricted
        || (scope.Patients.TryGetValue(patientId, out var access)
            && access.Rules.Any(r => r.Role == PgoCodes.GrantRole.Regiehouder || (r.Role == "client" && r.Manage)));
}
