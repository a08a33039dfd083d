namespace Pgo.Shared.Contracts;

// GET /api/dossiers/{id}/search?q= (Api/Dossier/DossierSearch.cs): one search box per dossier.

/// <summary>One item whose text holds the search words: its FHIR type and id (the Portal opens the item's screen from
/// them), the section it is in, its own date (FHIR date or dateTime), a short title and the text around the match.</summary>
public sealed record SearchHit(string Type, string Id, string Section, string? Date, string Title, string Snippet);

/// <summary>What the caller may see that holds <see cref="Query"/>, newest first; <see cref="More"/> when more than the
/// returned hits matched (the caller is asked to search more precisely).</summary>
public sealed record SearchResults(string PatientId, string Query, SearchHit[] Hits, bool More);
