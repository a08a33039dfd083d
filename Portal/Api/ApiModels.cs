using Pgo.Shared.Contracts;

namespace Pgo.Portal.Api;

// The Portal's own shapes: what it builds from the Api's answers for its screens. What the Api sends is in
// Shared/Contracts (one definition for both sides).

/// <summary>Something in a dossier that changed, for the home page.</summary>
public sealed record Change(string Section, string Reference, string Title, DateTimeOffset When);

public sealed record AuditFilter(string? Person = null, string? Section = null, DateTimeOffset? From = null, DateTimeOffset? To = null);

/// <summary>Posting either saved, or the guard asks the author to look again.</summary>
public sealed record PostResult(PostView? Post, IReadOnlyList<GuardFinding> Findings);

/// <summary>A document's file as the Api hands it out after its access decision.</summary>
public sealed record DocumentFile(string FileName, string ContentType, byte[] Bytes);
