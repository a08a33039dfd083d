using Hl7.Fhir.Model;
using Pgo.Api.Demo;

namespace Pgo.Api.TeamSpace.Safety;

/// <summary>
/// Caseloads from configuration (<c>TeamSpace:Caseloads</c>: a list of { Member, People: [{ GivenName, FamilyName }] })
/// plus the six demo families, each with the demo bondgenoot that supports it (Identity/Demo/DemoAccounts.cs).
/// Replaced by a FHIR-backed implementation when the dossier and consent work lands.
/// </summary>
public sealed class ConfiguredCaseloadNames : ICaseloadNames
{
    private readonly Dictionary<string, List<CaseloadPerson>> _byMember = new(StringComparer.Ordinal);

    /// <summary>Which demo family (by the client's Patient id in Api/Demo/DemoData.cs) each demo supporter supports.</summary>
    public static readonly IReadOnlyDictionary<string, string> DemoCaseloads = new Dictionary<string, string>
    {
        ["Person/bondgenoot-ricardo"] = "strikwerda-jesse",
        ["Person/bondgenoot-khadija"] = "bilic-atilla",
        ["Person/bondgenoot-sven"] = "sterk-johan",
        ["Person/bondgenoot-hans"] = "frank-leo",
        ["Person/bondgenoot-ilse"] = "dewit-kim",
        ["Person/bondgenoot-elise"] = "vanassen-luc",
    };

    public ConfiguredCaseloadNames(TeamSpaceOptions options)
    {
        var resources = DemoData.Resources(DateTimeOffset.UnixEpoch).ToList(); // names only: the dates do not matter here
        foreach (var (member, patientId) in DemoCaseloads)
        {
            foreach (var r in resources)
            {
                var name = r switch
                {
                    Patient p when p.Id == patientId => p.Name.FirstOrDefault(),
                    RelatedPerson rp when rp.Patient?.Reference == $"Patient/{patientId}" => rp.Name.FirstOrDefault(),
                    _ => null,
                };
                if (name is not null) Add(member, new CaseloadPerson(string.Join(' ', name.Given), name.Family ?? ""));
            }
        }
        foreach (var entry in options.Caseloads)
        {
            if (string.IsNullOrWhiteSpace(entry.Member)) continue;
            foreach (var person in entry.People)
                Add(entry.Member, new CaseloadPerson(person.GivenName ?? "", person.FamilyName ?? ""));
        }
    }

    private void Add(string member, CaseloadPerson person)
    {
        if (!_byMember.TryGetValue(member, out var list)) _byMember[member] = list = [];
        list.Add(person);
    }

    public ValueTask<IReadOnlyList<CaseloadPerson>> ForMemberAsync(string memberKey, CancellationToken ct) =>
        ValueTask.FromResult<IReadOnlyList<CaseloadPerson>>(_byMember.TryGetValue(memberKey, out var list) ? list : []);
}
