using System.Collections.Concurrent;
using Hl7.Fhir.Model;
using Pgo.Api.TeamSpace.Teams;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using Pgo.Fhir.Storage;

namespace Pgo.Api.TeamSpace.Safety;

/// <summary>
/// The names in every caseload a team serves, read from the dossiers (issue 19): the team's members (their Persons and
/// the identities those act as, through Person.link: Practitioner, RelatedPerson, ...), every Consent in force that names
/// one of them as actor (any grant role), and per dossier of such a Consent the client (Patient), the client's
/// RelatedPersons and the other Patients of the client's family Group. One platform read, audited with the purpose
/// <see cref="PlatformPurpose.TeamGuard"/> ("team-guard"); the answer is kept per team for at most
/// <see cref="CacheFor"/> (so a burst of posts does not write an audit record per family per post, and a family that
/// is new to the team is known within that time).
/// </summary>
public sealed class FhirCaseloadNames(FhirRepository repo, TeamDirectory directory, TimeProvider clock) : ICaseloadNames
{
    /// <summary>How long the names of a team are kept before they are read again.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(60);

    private const int Page = 1000;
    private const int MaxPages = 20;
    private const int Chunk = 100;

    private readonly ConcurrentDictionary<string, (DateTimeOffset At, IReadOnlyList<CaseloadPerson> People)> _cache = new(StringComparer.Ordinal);

    public async ValueTask<IReadOnlyList<CaseloadPerson>> ForTeamAsync(long teamId, string authorKey, CancellationToken ct)
    {
        var members = (await directory.MembersAsync(teamId, ct)).Select(m => m.MemberKey).ToHashSet(StringComparer.Ordinal);
        // The author is a member when posting; should they not be (yet), their own caseload counts as well (kept apart).
        var key = members.Contains(authorKey) ? $"{teamId}" : $"{teamId}|{authorKey}";
        members.Add(authorKey);
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(key, out var cached) && now - cached.At < CacheFor && now >= cached.At) return cached.People;

        var people = await ReadAsync(members, now, ct);
        _cache[key] = (now, people);
        // Old entries go when they are next looked at; a sweep now and then keeps teams that stopped posting from piling up.
        if (_cache.Count > 1000)
            foreach (var (k, v) in _cache)
                if (now - v.At >= CacheFor) _cache.TryRemove(k, out _);
        return people;
    }

    /// <summary>Forgets what was read (a team's membership or a family changed and must count at once; tests).</summary>
    public void Forget() => _cache.Clear();

    private async Task<IReadOnlyList<CaseloadPerson>> ReadAsync(IReadOnlyCollection<string> memberKeys, DateTimeOffset now, CancellationToken ct)
    {
        var persons = memberKeys.Where(k => k.StartsWith("Person/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        if (persons.Count == 0) return [];
        var platform = repo.AsPlatform(PlatformPurpose.TeamGuard);

        // Who the members are in the dossiers: their Persons and whatever those act as.
        var identities = new HashSet<string>(persons, StringComparer.Ordinal);
        foreach (var stored in (await platform.ReadManyAsync(persons.Select(p => ("Person", p["Person/".Length..])).ToList(), ct)).OfType<StoredResource>())
        {
            if (stored.Deleted) continue;
            foreach (var target in FhirJson.Parse<Person>(stored.Json).Link.Select(l => l.Target?.Reference).OfType<string>())
                identities.Add(target);
        }

        // Every dossier in which one of them holds a grant in force.
        var patients = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var chunk in identities.Order(StringComparer.Ordinal).Chunk(Chunk))
        {
            foreach (var stored in await SearchAllAsync(platform, "Consent", "actor", chunk, ct))
            {
                var grant = ConsentGrant.Of(FhirJson.Parse<Consent>(stored.Json));
                if (!grant.IsDeny && grant.InForce(now) && grant.PatientId is { } patient && grant.Actors.Any(a => identities.Contains(a.Reference)))
                    patients.Add(patient);
            }
        }
        if (patients.Count == 0) return [];

        // The families of those clients: the other Patients of their family Group.
        var all = new SortedSet<string>(patients, StringComparer.Ordinal);
        foreach (var chunk in patients.Chunk(Chunk))
        {
            foreach (var stored in await SearchAllAsync(platform, "Group", "member", chunk.Select(p => $"Patient/{p}").ToList(), ct))
            {
                foreach (var entity in FhirJson.Parse<Group>(stored.Json).Member.Select(m => m.Entity?.Reference).OfType<string>())
                    if (entity.StartsWith("Patient/", StringComparison.Ordinal)) all.Add(entity["Patient/".Length..]);
            }
        }

        var names = new List<CaseloadPerson>();
        foreach (var chunk in all.Chunk(Chunk))
        {
            foreach (var stored in (await platform.ReadManyAsync(chunk.Select(p => ("Patient", p)).ToList(), ct)).OfType<StoredResource>())
                if (!stored.Deleted) names.AddRange(Names(FhirJson.Parse<Patient>(stored.Json).Name));
            foreach (var stored in await SearchAllAsync(platform, "RelatedPerson", "patient", chunk.Select(p => $"Patient/{p}").ToList(), ct))
                names.AddRange(Names(FhirJson.Parse<RelatedPerson>(stored.Json).Name));
        }
        return names.Distinct().ToList();
    }

    private static IEnumerable<CaseloadPerson> Names(IEnumerable<HumanName> names) =>
        names.Select(n => new CaseloadPerson(string.Join(' ', n.Given ?? []), n.Family ?? ""))
            .Where(p => p.GivenName.Length > 0 || p.FamilyName.Length > 0);

    /// <summary>All live matches of <c>{parameter}={values}</c>, page by page.</summary>
    private static async Task<List<StoredResource>> SearchAllAsync(PlatformReader platform, string type, string parameter, IReadOnlyCollection<string> values, CancellationToken ct)
    {
        var found = new List<StoredResource>();
        if (values.Count == 0) return found;
        for (var page = 0; page < MaxPages; page++)
        {
            var batch = await platform.SearchAsync(type, [new(parameter, string.Join(",", values)), new("_count", $"{Page}"), new("_offset", $"{page * Page}")], ct);
            found.AddRange(batch.Where(s => !s.Deleted));
            if (batch.Count < Page) break;
        }
        return found;
    }
}
