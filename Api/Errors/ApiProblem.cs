using System.Globalization;

namespace Pgo.Api.Errors;

/// <summary>
/// A refusal of an <c>/api</c> request: its HTTP status and the Dutch (or English) detail for the user. Thrown by a
/// handler or a service below it; <see cref="ApiErrors.HandleErrors"/> turns it into a ProblemDetails whose title comes
/// from the one status table (<see cref="ApiErrors.Title"/>). <paramref name="title"/> is only for the few refusals
/// that have a name of their own (see Errors/README.md). Nothing is written after it is thrown.
/// </summary>
public class ApiProblem(int status, string detail, string? title = null, IReadOnlyDictionary<string, object?>? extensions = null) : Exception(detail)
{
    public int Status { get; } = status;
    public string Detail { get; } = detail;
    public string? Title { get; } = title;
    public IReadOnlyDictionary<string, object?>? Extensions { get; } = extensions;

    public static ApiProblem BadRequest(string detail) => new(StatusCodes.Status400BadRequest, detail);
    public static ApiProblem Forbidden(string detail) => new(StatusCodes.Status403Forbidden, detail);
    public static ApiProblem NotFound(string detail) => new(StatusCodes.Status404NotFound, detail);

    /// <summary>The same 404 for a dossier that does not exist and one the caller sees nothing of (named: the Portal and
    /// the access tests recognise it by its title).</summary>
    public static ApiProblem DossierNotFound(string patientId) =>
        new(StatusCodes.Status404NotFound, Text(ApiText.DossierNotFound, patientId), ApiText.DossierNotFoundTitle);

    /// <summary>A section of the dossier the caller may not read.</summary>
    public static ApiProblem NotShared(string sectionName) => Forbidden(Text(ApiText.SectionNotShared, sectionName));

    /// <summary>A text of <see cref="ApiText"/> with its placeholders filled in the request's culture.</summary>
    public static string Text(string format, params object?[] args) => string.Format(CultureInfo.CurrentCulture, format, args);
}
