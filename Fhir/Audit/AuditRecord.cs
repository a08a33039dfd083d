using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Pgo.Fhir.Messages;

namespace Pgo.Fhir.Audit;

/// <summary>
/// One line of the audit log, with the fields of NEN 7513: who (account, Person, role, organisation), when,
/// which patient and resource (type/id/version, section), which action, the outcome, on which grant
/// (the Consent ids that permitted it), from which app (client_id), and the request id.
/// One interaction that touches several patients gives one record per patient.
/// </summary>
public sealed record AuditRecord(
    DateTimeOffset Recorded,
    string? RequestId,
    string Subject,
    string? FhirUser,
    string? Roles,
    string? Organization,
    string? ClientId,
    string Action,
    string? ResourceType,
    string? ResourceId,
    int? Version,
    string? PatientId,
    string? Section,
    string Outcome,
    int Status,
    string? Grants,
    string? Detail)
{
    public const string Permitted = "permitted";
    public const string Denied = "denied";
    public const string NotFound = "not-found";
    public const string Failed = "failed";
}

/// <summary>A stored audit record with its place in the chain.</summary>
public sealed record AuditEntry(long N, AuditRecord Record, string PrevHash, string Hash);

/// <summary>What <c>verify-audit</c> found: Ok, or the first place where the chain breaks.</summary>
public sealed record AuditVerification(bool Ok, long Entries, string? Problem)
{
    public override string ToString() => Ok ? Text.Format(FhirText.AuditIntact, Entries) : Text.Format(FhirText.AuditDamaged, Problem);
}

/// <summary>Filter for reading the log ("wie heeft wat bekeken"). Person matches the fhirUser or the account subject.</summary>
public sealed record AuditQuery(string? PatientId = null, string? Person = null, string? Section = null, DateTimeOffset? From = null, DateTimeOffset? To = null, int Limit = 1000);

/// <summary>
/// The hash chain: hash(n) = sha256(hash(n-1) + canonical(entry n)); the first entry chains to <see cref="Genesis"/>.
/// The canonical form is a JSON array of every field in a fixed order, so an edit of any field, a removed row
/// (a gap in n, or a head that no longer matches) or a reordering breaks the chain.
/// </summary>
public static class AuditChain
{
    public static readonly string Genesis = new('0', 64);

    public static string Canonical(long n, AuditRecord r) => JsonSerializer.Serialize(new object?[]
    {
        n, r.Recorded.ToUnixTimeMilliseconds(), r.RequestId, r.Subject, r.FhirUser, r.Roles, r.Organization, r.ClientId,
        r.Action, r.ResourceType, r.ResourceId, r.Version, r.PatientId, r.Section, r.Outcome, r.Status, r.Grants, r.Detail,
    });

    public static string Hash(string previous, long n, AuditRecord record) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(previous + Canonical(n, record))));

    /// <summary>Checks a whole log read in order of n, against the stored head (last n and hash).</summary>
    public static AuditVerification Verify(IEnumerable<AuditEntry> entries, (long N, string Hash)? head)
    {
        var previous = Genesis;
        long expected = 1, count = 0;
        foreach (var e in entries)
        {
            if (e.N != expected) return new(false, count, Text.Format(FhirText.AuditEntryMissing, expected, expected - 1, e.N));
            if (e.PrevHash != previous) return new(false, count, Text.Format(FhirText.AuditWrongPrevious, e.N, e.N - 1));
            var hash = Hash(previous, e.N, e.Record);
            if (hash != e.Hash) return new(false, count, Text.Format(FhirText.AuditEntryChanged, e.N));
            previous = hash;
            expected++;
            count++;
        }
        var last = (N: expected - 1, Hash: previous);
        if (head is null && count > 0) return new(false, count, FhirText.AuditHeadMissing);
        if (head is { } h && (h.N != last.N || h.Hash != last.Hash))
            return new(false, count, Text.Format(FhirText.AuditTruncated, last.N, h.N));
        return new(true, count, null);
    }
}
