using Pgo.Fhir.Access;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Fhir.Tests.Access;

/// <summary>
/// A small reference model of the access rules (docs/adr/0003-consent-model.md), written apart from
/// ConsentAccessPolicy and straight from the rules, so that the randomized test can compare the two.
/// </summary>
public sealed class AccessModel
{
    public sealed record Person(string Id, string Record, string? Organization);
    /// <param name="Participants">for a message (section berichten): its sender and recipients; only they read it by the section</param>
    public sealed record Item(string Type, string Id, string Patient, string Section, IReadOnlySet<string>? Participants = null);
    public sealed record Grant(string Id, string Patient, string Kind, string Actor, bool Legal, HashSet<string>? Sections, bool Write, bool Manage,
        DateTimeOffset? From, DateTimeOffset? Until, HashSet<string>? Items, bool AllowStandIn, string? Source)
    {
        public bool Active { get; set; } = true;
        public bool InForce(DateTimeOffset now) => Active && (From is null || From <= now) && (Until is null || now < Until);
    }

    public Dictionary<string, Person> People { get; } = [];
    public Dictionary<string, DateOnly> BirthDates { get; } = [];
    public List<Item> Items { get; } = [];
    public List<Grant> Grants { get; } = [];

    /// <summary>The records a person acts as: their Person itself, the record it links to, and its organisation.</summary>
    private IEnumerable<string> Identities(Person p) => p.Organization is null ? [$"Person/{p.Id}", p.Record] : [$"Person/{p.Id}", p.Record, p.Organization];

    /// <summary>What the person may do with the item: (read, write) before token scopes.</summary>
    public (bool Read, bool Write) Decide(string personId, Item item, DateTimeOffset now)
    {
        var person = People[personId];
        var ids = Identities(person).ToHashSet();
        var self = person.Record == $"Patient/{item.Patient}";
        // Berichten: the section lets one take part, not read others' conversations (regiehouders and the client alike).
        var takesPart = item.Section != Section.Berichten || (item.Participants?.Overlaps(ids) ?? false);
        var stage = AgeRules.StageOf(BirthDates.TryGetValue(item.Patient, out var b) ? b : null, DateOnly.FromDateTime(now.UtcDateTime));
        bool read = false, write = false;

        if (self)
        {
            switch (stage)
            {
                case AgeStage.Child: break;
                case AgeStage.YoungTeen:
                    if (item.Section != Section.Toegang) { read = takesPart; write = true; }
                    break;
                default:
                    read = takesPart;
                    write = true;
                    break;
            }
        }

        var hidden = false;
        var supportersStoodInFor = new HashSet<string>();
        foreach (var g in Grants.Where(g => g.Patient == item.Patient && g.InForce(now) && ids.Contains(g.Actor)))
        {
            switch (g.Kind)
            {
                case "hide":
                    if (!self && g.Items!.Contains($"{item.Type}/{item.Id}")) hidden = true;
                    break;
                case "regie":
                    if (self || stage != AgeStage.Adult || g.Legal) { read |= takesPart; write = true; }
                    break;
                case "standin":
                    var source = Grants.FirstOrDefault(s => s.Id == g.Source);
                    if (source is null || !source.InForce(now) || !source.AllowStandIn || source.Patient != g.Patient || source.Kind != "grant") break;
                    supportersStoodInFor.Add(source.Actor);
                    Apply(source, item, takesPart, ref read, ref write, standIn: true);
                    break;
                default:
                    Apply(g, item, takesPart, ref read, ref write, standIn: false);
                    break;
            }
        }
        // A stand-in does not see what is hidden from the supporter they stand in for.
        if (!self && Grants.Any(h => h.Kind == "hide" && h.Patient == item.Patient && h.InForce(now) && supportersStoodInFor.Contains(h.Actor)
                                     && h.Items!.Contains($"{item.Type}/{item.Id}")))
            hidden = true;
        return hidden ? (false, false) : (read, write);
    }

    private static void Apply(Grant g, Item item, bool takesPart, ref bool read, ref bool write, bool standIn)
    {
        if (g.Items is not null)
        {
            if (g.Items.Contains($"{item.Type}/{item.Id}")) { read = true; write |= g.Write; }
            return;
        }
        var sections = new HashSet<string>(g.Sections ?? Section.Dossier.ToHashSet());
        if (g.Manage && !standIn) sections.Add(Section.Toegang);
        if (standIn) sections.Remove(Section.Toegang);
        if (sections.Contains(item.Section))
        {
            read |= takesPart;
            write |= g.Write || g.Manage;
        }
    }

    /// <summary>Whether the person may create an item of <paramref name="type"/> in <paramref name="section"/> that belongs to
    /// every one of <paramref name="patients"/>: a write needs the write right in each dossier it touches.</summary>
    public bool MayCreate(string personId, string type, string section, IReadOnlyCollection<string> patients, DateTimeOffset now) =>
        patients.Count > 0 && patients.All(p => Decide(personId, new Item(type, "new", p, section), now).Write);

    /// <summary>Whether anything of the patient is visible (create refusals are 403 then, else 404).</summary>
    public bool AnyAccess(string personId, string patient, DateTimeOffset now)
    {
        var ids = Identities(People[personId]).ToHashSet();
        return Section.All.Any(s => Decide(personId, new Item("Probe", "probe", patient, s, ids), now).Read)
               || Grants.Any(g => g.Patient == patient && g.InForce(now) && ids.Contains(g.Actor) && g.Kind is "grant" or "share" && g.Items is not null);
    }
}
