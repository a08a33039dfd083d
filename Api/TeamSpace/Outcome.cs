namespace Pgo.Api.TeamSpace;

/// <summary>A refusal with its HTTP status and Dutch wording; becomes a ProblemDetails response.</summary>
public sealed record TeamError(int Status, string Title, string Detail, IReadOnlyDictionary<string, object?>? Extensions = null)
{
    public static TeamError NotFound(string detail) => new(404, "Niet gevonden", detail);
    public static TeamError Forbidden(string detail) => new(403, "Geen toestemming", detail);
    public static TeamError Conflict(string detail, IReadOnlyDictionary<string, object?>? extensions = null) => new(409, "Conflict", detail, extensions);
    public static TeamError Unauthenticated() => new(401, "Niet aangemeld", "Meld je aan om de teamruimte te gebruiken.");

    /// <summary>Bad input: 400 with the problems per field.</summary>
    public static TeamError Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new(400, "Ongeldige invoer", "De invoer klopt niet; zie 'errors'.", new Dictionary<string, object?> { ["errors"] = errors });

    public static TeamError Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>
/// A refusal raised inside a transaction (which then rolls back); the team-space endpoint filter turns it
/// into its ProblemDetails like any other <see cref="TeamError"/>.
/// </summary>
public sealed class TeamRefusal(TeamError error) : Exception(error.Detail)
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
