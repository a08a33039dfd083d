using System.Collections.Concurrent;
using Hl7.Fhir.Model;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using Pgo.Shared.Text;

namespace Pgo.Api.Realtime;

/// <summary>
/// The name of who made a change, for the live feed ("Femke heeft iets toegevoegd in Doelen"). A change names its author
/// by Person (the token's fhirUser), and a Person is readable by nobody but its owner; the feed only receives events in a
/// dossier the receiver shares with the author, so the platform looks up the name only: the Person's own, else that of the
/// first record it links to (the Practitioner or RelatedPerson it acts as). Kept a few minutes per Person.
/// </summary>
public sealed class PersonNames(FhirRepository repo, TimeProvider clock)
{
    private static readonly TimeSpan Keep = TimeSpan.FromMinutes(5);
    private const int MaxKept = 10_000;
    private readonly ConcurrentDictionary<string, (string? Name, DateTimeOffset At)> _known = new(StringComparer.Ordinal);

    public async Task<string?> NameAsync(string? who, CancellationToken ct)
    {
        if (who is null || !who.StartsWith("Person/", StringComparison.Ordinal)) return null;
        var now = clock.GetUtcNow();
        if (_known.TryGetValue(who, out var known) && now - known.At < Keep) return known.Name;
        var name = await LookUpAsync(who, ct);
        if (_known.Count >= MaxKept) _known.Clear();
        _known[who] = (name, now);
        return name;
    }

    private Task<string?> LookUpAsync(string who, CancellationToken ct) => LookUpAsync(who, async (type, id) =>
    {
        var stored = await repo.AsPlatform(PlatformPurpose.PersonNames).ReadAsync(type, id, ct);
        return stored is { Deleted: false } ? FhirJson.Parse(stored.Json) : null;
    });

    /// <summary>The name of a Person (<c>Person/id</c>): its own, else that of the first record it links to; read through
    /// <paramref name="read"/> (the store, or a write transaction).</summary>
    public static async Task<string?> LookUpAsync(string who, Func<string, string, Task<Resource?>> read)
    {
        if (!who.StartsWith("Person/", StringComparison.Ordinal) || await read("Person", who["Person/".Length..]) is not Person person) return null;
        if (Text(person.Name) is { } own) return own;
        foreach (var target in person.Link.Select(l => l.Target?.Reference).OfType<string>())
        {
            var parts = target.Split('/');
            if (parts.Length != 2 || parts[0] is not ("Practitioner" or "RelatedPerson" or "Patient")) continue;
            var name = await read(parts[0], parts[1]) switch
            {
                Practitioner pr => Text(pr.Name),
                RelatedPerson rp => Text(rp.Name),
                Patient pa => Text(pa.Name),
                _ => null,
            };
            if (name is not null) return name;
        }
        return null;
    }

    private static string? Text(List<HumanName>? names) => DisplayNames.Of(names);
}
