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
    /// <param name="Kind">regie, grant, share, hide, standin; issue 18: opvolger (a named successor: nothing) and bewind
    /// (a bewindvoerder: financien only, within the representation period)</param>
    /// <param name="Legal">a legal basis that keeps regie after 18 (mentor, curator, WGBO), within the representation period</param>
    public sealed record Grant(string Id, string Patient, string Kind, string Actor, bool Legal, HashSet<string>? Sections, bool Write, bool Manage,
        DateTimeOffset? From, DateTimeOffset? Until, HashSet<string>? Items, bool AllowStandIn, string? Source)
    {
        public bool Active { get; set; } = true;
        public bool InForce(DateTimeOffset now) => Active && (From is null || From <= now) && (Until is null || now < Until);

        /// <summary>When the court's decision (or the WGBO representation) holds; none = as the grant.</summary>
        public DateTimeOffset? RepresentationFrom { get; init; }
        public DateTimeOffset? RepresentationUntil { get; init; }

        /// <summary>What the represented client keeps (RegieCodes.ClientAccess; null = read and write).</summary>
        public string? ClientKeeps { get; init; }

        public bool RepresentationInForce(DateTimeOffset now) =>
            InForce(now) && (RepresentationFrom is null || RepresentationFrom <= now) && (RepresentationUntil is null || now < RepresentationUntil);

        /// <summary>A legal basis that keeps regie after 18, in force now.</summary>
        public bool LegalInForce(DateTimeOffset now) => Kind == "regie" && Legal && RepresentationInForce(now);
    }

    public Dictionary<string, Person> People { get; } = [];
    public Dictionary<string, DateOnly> BirthDates { get; } = [];
    public List<Item> Items { get; } = [];
    public List<Grant> Grants { get; } = [];

    /// <summary>The clients (Patient ids) an account's Person acts as: after 18 a representative's regie without a legal
    /// basis holds only provisionally, while the client has none.</summary>
    public HashSet<string> Accounts { get; } = [];

    public AgeStage Stage(string patient, DateTimeOffset now) =>
        AgeRules.StageOf(BirthDates.TryGetValue(patient, out var b) ? b : null, DateOnly.FromDateTime(now.UtcDateTime));

    /// <summary>The legal representation in force over an adult client (another actor's regie with a legal basis), if
    /// any; of two, the one that leaves the client the least.</summary>
    public Grant? Representation(string patient, DateTimeOffset now) =>
        Stage(patient, now) != AgeStage.Adult ? null
            : Grants.Where(g => g.Patient == patient && g.Actor != $"Patient/{patient}" && g.LegalInForce(now))
                .OrderBy(g => g.ClientKeeps switch { Pgo.Shared.Codes.RegieCodes.ClientAccess.None => 0, Pgo.Shared.Codes.RegieCodes.ClientAccess.Read => 1, _ => 2 })
                .FirstOrDefault();

    /// <summary>Whether a representative's regie holds: before 18 always; after 18 by a legal basis in force, or
    /// provisionally while the client has no account.</summary>
    public bool RegieHolds(Grant g, DateTimeOffset now) =>
        Stage(g.Patient, now) != AgeStage.Adult || g.LegalInForce(now) || !Accounts.Contains(g.Patient);

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
        var stage = Stage(item.Patient, now);
        var represented = self ? Representation(item.Patient, now) : null;
        bool read = false, write = false;

        if (represented is not null)
        {
            // A represented adult keeps their own dossier (not toegang) as the representation says, never regie.
            if (item.Section != Section.Toegang && represented.ClientKeeps != Pgo.Shared.Codes.RegieCodes.ClientAccess.None)
            {
                read = takesPart;
                write = represented.ClientKeeps != Pgo.Shared.Codes.RegieCodes.ClientAccess.Read;
            }
        }
        else if (self)
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
                    // The client's own regie yields to a representation in force.
                    if (self ? represented is null : RegieHolds(g, now)) { read |= takesPart; write = true; }
                    break;
                case "opvolger":
                    // A named successor gets nothing until the take-over (then the platform writes a regie grant).
                    break;
                case "research":
                    // Research consent (issue 21) is not access: it grants nothing, whatever it names.
                    break;
                case "bewind":
                    if (g.RepresentationInForce(now)) Apply(Finances(g), item, takesPart, ref read, ref write, standIn: false);
                    break;
                case "standin":
                    var source = Grants.FirstOrDefault(s => s.Id == g.Source);
                    if (source is null || !source.InForce(now) || !source.AllowStandIn || source.Patient != g.Patient) break;
                    if (source.Kind == "bewind" ? !source.RepresentationInForce(now) : source.Kind != "grant") break;
                    supportersStoodInFor.Add(source.Actor);
                    Apply(source.Kind == "bewind" ? Finances(source) : source, item, takesPart, ref read, ref write, standIn: true);
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

    /// <summary>A bewindvoerder's grant as it counts: financien only, never manage.</summary>
    private static Grant Finances(Grant g) => g with
    {
        Sections = (g.Sections ?? Section.Dossier.ToHashSet()).Where(s => s == Section.Financien).ToHashSet(),
        Manage = false, Items = null,
    };

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
