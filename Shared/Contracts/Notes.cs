namespace Pgo.Shared.Contracts;

// Co-writing of logbook notes (/api/dossiers/{id}/notes, Api/Realtime/CoWriting) as the Portal reads it.

/// <summary>A logbook note as the co-writing API returns it.</summary>
public sealed record NoteView(string Id, string PatientId, int Version, string? Title, string Text, string? WrittenBy = null, string? WriterName = null, DateTimeOffset? WrittenAt = null);

/// <summary>One version of a note (GET .../notes/{id}/versions): who wrote it, when, what it said. Change: aangemaakt, gewijzigd, verwijderd.</summary>
public sealed record NoteVersion(int Version, DateTimeOffset? WrittenAt, string? WrittenBy, string? WriterName, string Change, string? Text);

/// <summary>Read from the extensions of the Api's 409 ProblemDetails (not a whole answer, so not in the strict contract test).
/// The Api's 409 on a stale note save: the note now, and the merge of one's own edit into it when the edits do not overlap.</summary>
public sealed record NoteConflict(int CurrentVersion, string? CurrentText, string? MergedText);
