using Hl7.Fhir.Model;

namespace Pgo.Fhir.Access;

/// <summary>
/// The one place where access is decided. The repository asks it once per request for the caller's
/// <see cref="AccessScope"/> (applied inside every query) and before every write.
/// </summary>
public interface IAccessPolicy
{
    /// <summary>Compiles the caller's active grants into a scope. Called once per request; the scope is never kept across
    /// requests (what it is compiled from may be, while nothing that decides access has been written: ConsentAccessPolicy).</summary>
    ValueTask<AccessScope> CompileAsync(CallerContext caller, CancellationToken ct);

    /// <summary>Throws a <see cref="FhirException"/> (404 or 403) when the caller may not write this resource.
    /// <paramref name="current"/> is the version being replaced or deleted (null for a create).</summary>
    ValueTask CheckWriteAsync(CallerContext caller, AccessScope scope, string type, Resource? incoming, Resource? current, CancellationToken ct);
}

/// <summary>
/// Lets every caller do everything. Only for the platform's own system callers and for the
/// repository's tests; hosts must refuse it outside development (see Pgo.Api start-up).
/// </summary>
public sealed class UnrestrictedAccessPolicy : IAccessPolicy
{
    public ValueTask<AccessScope> CompileAsync(CallerContext caller, CancellationToken ct) => ValueTask.FromResult(AccessScope.Unrestricted);

    public ValueTask CheckWriteAsync(CallerContext caller, AccessScope scope, string type, Resource? incoming, Resource? current, CancellationToken ct) => ValueTask.CompletedTask;
}
