namespace Pgo.Shared.Contracts;

// Measurement instruments (issue 20, Api/Dossier/InstrumentsApi): the questionnaires families and supporters pick from
// when filling in a measurement; a team coach adds one without a deploy and retires it instead of deleting it.

/// <param name="Scale">"cijfer" (0–10), "likert" (1–5, helemaal oneens … helemaal eens) or "ja-nee".</param>
public sealed record InstrumentRequest(string? Title, string? Description, string? Scale, string[]? Items);

/// <param name="Id">The Questionnaire's id (to fill it in); <paramref name="Project"/> for the platform's own lists, which are not retired here.</param>
public sealed record InstrumentView(string Id, string Title, string? Description, string Scale, string[] Items, bool Project);
