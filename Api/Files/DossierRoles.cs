using Pgo.Fhir.Access;

namespace Pgo.Api.Files;

/// <summary>Kept for callers not yet moved: the regiehouder's whole-dossier tasks are decided in <see cref="DossierOperations"/>.</summary>
public static class DossierRoles
{
    /// <summary>Whether <see cref="DossierOperations"/> allows the whole-dossier tasks (export, deletion).</summary>
    public static bool IsRegiehouder(AccessScope scope, string patientId) =>
        DossierOperations.Allows(scope, patientId, DossierOperation.Export);
}
