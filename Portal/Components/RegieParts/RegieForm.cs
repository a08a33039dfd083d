using Pgo.Shared.Codes;

namespace Pgo.Portal.Components.RegieParts;

/// <summary>What the forms of the regie screen hold: the choice for after 18, a legal representation (basis, who, the
/// court document or the WGBO reason, the period, what the client keeps), successors' take-over requests. The Api
/// checks all of it again (WriteDecision: 422 without a document or a reason).</summary>
public sealed class RegieForm
{
    /// <summary>RegieCodes.After18 code (the choice form only).</summary>
    public string? Choice { get; set; }
    public string? Basis { get; set; }
    /// <summary>The records (RelatedPerson/..., Practitioner/...) ticked: representatives, or who keeps helping.</summary>
    public HashSet<string> People { get; } = new(StringComparer.Ordinal);
    public string? Document { get; set; }
    public string? Reason { get; set; }
    /// <summary>yyyy-MM-dd, as the date input gives it.</summary>
    public string? From { get; set; }
    public string? Until { get; set; }
    public string ClientAccess { get; set; } = RegieCodes.ClientAccess.Write;

    public string[]? PeopleOrNull => People.Count == 0 ? null : [.. People];

    public static string? DayOrNull(string? day) => string.IsNullOrWhiteSpace(day) ? null : day.Trim();

    public void Clear()
    {
        Choice = Basis = Document = Reason = From = Until = null;
        People.Clear();
        ClientAccess = RegieCodes.ClientAccess.Write;
    }
}

/// <summary>Someone of the dossier's network who can be chosen (as owner, representative, supporter or successor).</summary>
public sealed record RegiePerson(string Member, string Name, string? Role);
