using Pgo.Api.Errors;

namespace Pgo.Api.TeamSpace;

/// <summary>
/// A refusal of the team space: the model of the Api's one error path (Api/Errors/README.md). A service returns it as
/// a value in an <see cref="Outcome{T}"/> (no exception for an expected refusal) or throws it as a
/// <see cref="TeamRefusal"/> inside a transaction; either way it is answered by <see cref="ApiErrors.Problem(int, string, string?, IReadOnlyDictionary{string, object?}?)"/>
/// with the title of the one status table, unless <paramref name="Title"/> names the refusal.
/// </summary>
public sealed record TeamError(int Status, string? Title, string Detail, IReadOnlyDictionary<string, object?>? Extensions = null)
{
    public static TeamError NotFound(string detail) => new(404, null, detail);
    public static TeamError Forbidden(string detail) => new(403, null, detail);
    public static TeamError Conflict(string detail, IReadOnlyDictionary<string, object?>? extensions = null) => new(409, null, detail, extensions);
    public static TeamError Unauthenticated() => new(401, null, ApiText.TeamSignIn);

    /// <summary>Bad input: 400 with the problems per field.</summary>
    public static TeamError Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new(400, null, ApiText.TeamInvalidInput, new Dictionary<string, object?> { ["errors"] = errors });

    public static TeamError Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>
/// A refusal raised inside a transaction (which then rolls back): an <see cref="ApiProblem"/>, answered by the
/// Api's error filter like any other.
/// </summary>
public sealed class TeamRefusal(TeamError error) : ApiProblem(error.Status, error.Detail, error.Title, error.Extensions)
{
    public TeamError Error { get; } = error;
}

/// <summary>The result of a team-space operation: a value, or the reason it was refused.</summary>
public readonly struct Outcome<T>
{
    private Outcome(T? value, TeamError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }
    public TeamError? Error { get; }

    public static implicit operator Outcome<T>(T value) => new(value, null);
    public static implicit operator Outcome<T>(TeamError error) => new(default, error);
}

public static class Outcome
{
    /// <summary>Wraps a value; needed where the value is interface-typed (C# has no implicit conversion from an interface).</summary>
    public static Outcome<T> Of<T>(T value) => value;
}
