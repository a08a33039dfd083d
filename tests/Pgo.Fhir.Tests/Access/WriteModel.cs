using Pgo.Fhir.Access;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Fhir.Tests.Access;

/// <summary>
/// The write side of the reference model (issue 13, decisions W1–W7; issue 20, W8), written straight from the rules and apart from
/// the engine: who may write which item, and who may grant, change or end which Consent. Access itself is
/// <see cref="AccessModel.Decide"/>; it changes only through the grants this model lets through.
/// </summary>
public sealed class WriteModel(AccessModel access)
{
    public AccessModel Access => access;

    /// <summary>The dossier each RelatedPerson belongs to (a Patient belongs to its own).</summary>
    public Dictionary<string, string> RelatedOf { get; } = [];

    /// <summary>Who wrote each Consent (the server records the grantor; null: the platform).</summary>
    public Dictionary<string, string?> Performer { get; } = [];

    /// <summary>The organisations (teams) each Practitioner record works for through a PractitionerRole.</summary>
    public Dictionary<string, HashSet<string>> Teams { get; } = [];

    /// <summary>A stand-in works in the supporter's team: both Practitioners, sharing an organisation.</summary>
    public bool SameTeam(string standIn, string supporter) =>
        Teams.TryGetValue(standIn, out var a) && Teams.TryGetValue(supporter, out var b) && a.Overlaps(b);

    private HashSet<string> Identities(string person)
    {
        var p = access.People[person];
        return p.Organization is null ? [p.Record] : [p.Record, p.Organization];
    }

    public bool Writes(string person, string patient, string section, DateTimeOffset now) =>
        access.Decide(person, new AccessModel.Item("Probe", "probe", patient, section), now).Write;

    public bool Reads(string person, string patient, string section, DateTimeOffset now) =>
        access.Decide(person, new AccessModel.Item("Probe", "probe", patient, section), now).Read;

    /// <summary>A regiehouder of the patient: an in-force regie Consent that gives rights (a representative's ends at 18
    /// unless a legal basis is in force or, provisionally, while the client has no account), or the client themself from
    /// 16 (who then writes toegang; not while represented).</summary>
    public bool IsRegiehouder(string person, string patient, DateTimeOffset now)
    {
        var ids = Identities(person);
        var self = access.People[person].Record == $"Patient/{patient}";
        // The client holds regie by age (16 and over) or by a regie grant naming them, unless a representation is in force;
        // a grant that merely manages access (role ondersteuner) is no regie, for the client as for anyone.
        if (self)
            return access.Representation(patient, now) is null
                   && (access.Stage(patient, now) is not (AgeStage.Child or AgeStage.YoungTeen)
                       || access.Grants.Any(g => g.Kind == "regie" && g.Patient == patient && g.InForce(now) && ids.Contains(g.Actor)));
        return access.Grants.Any(g => g.Kind == "regie" && g.Patient == patient && g.InForce(now) && ids.Contains(g.Actor) && access.RegieHolds(g, now));
    }

    private bool AdultClient(string person, string patient, DateTimeOffset now) =>
        access.People[person].Record == $"Patient/{patient}" && access.Stage(patient, now) == AgeStage.Adult;

    /// <summary>W2: an item is written where its type (or a DocumentReference's category) belongs; a label differing
    /// from that needs the write right in both, and files the item under the label.</summary>
    public bool MayWriteItem(string person, string patient, string natural, string? label, DateTimeOffset now) =>
        Writes(person, patient, natural, now) && (label is null || label == natural || Writes(person, patient, label, now));

    /// <summary>W8 (issue 20): a change of intensity is created only by the family's supporter (a Practitioner with an in-force
    /// grant or stand-in for the family) who writes the plan, in their own name; nobody updates or deletes one afterwards.
    /// Generous where the engine is narrower (a supporter whose plan write comes from another grant): the test is strict on
    /// the other side, a change the engine stores that this refuses.</summary>
    public bool MaySetIntensity(string person, string patient, string author, DateTimeOffset now)
    {
        if (!access.People[person].Record.StartsWith("Practitioner/", StringComparison.Ordinal)) return false;
        var ids = Identities(person);
        // The supporter's own grant writes the plan (a stand-in's: the grant it stands in for); not a plan write by regie.
        // A grant that manages access writes its sections too (as AccessModel.Apply and the policy have it).
        static bool WritesPlan(AccessModel.Grant g) => (g.Write || g.Manage) && (g.Sections is null || g.Sections.Contains(Section.Plan));
        return ids.Contains(author)
               && access.Grants.Any(g => g.Patient == patient && g.InForce(now) && ids.Contains(g.Actor)
                                         && (g.Kind == "grant" && WritesPlan(g)
                                             || g.Kind == "standin" && access.Grants.FirstOrDefault(s => s.Id == g.Source) is { } source && WritesPlan(source)))
               && Writes(person, patient, Section.Plan, now);
    }

    /// <summary>The intensity changes stored so far (W8: never updated or deleted by a person).</summary>
    public HashSet<string> IntensityChanges { get; } = [];

    /// <summary>W4: may <paramref name="person"/> write (create, or change into) this grant?</summary>
    /// <param name="hasDocument">the evidence a legal basis needs: the court's decision (mentor, curator, bewind) or the
    /// reason (WGBO)</param>
    public bool MayGrant(string person, AccessModel.Grant g, bool hasDocument, DateTimeOffset now)
    {
        // A Consent names one dossier: no actor or item of another family's.
        if (DossierOf(g.Actor) is { } other && other != g.Patient) return false;
        if (g.Items is not null && g.Items.Any(i => access.Items.FirstOrDefault(x => $"{x.Type}/{x.Id}" == i) is not { } item || item.Patient != g.Patient)) return false;
        var regiehouder = IsRegiehouder(person, g.Patient, now);
        switch (g.Kind)
        {
            case "regie":
                return regiehouder && (!g.Legal || hasDocument);
            case "opvolger":
                // Naming a successor is regie.
                return regiehouder;
            case "bewind":
                // Regie, with the court's decision, for the finances only and never manage.
                return regiehouder && hasDocument && !g.Manage && g.Items is null && g.Sections is { Count: > 0 } && g.Sections.All(x => x == Section.Financien);
            case "hide":
                // Narrows only: whoever manages access.
                return Writes(person, g.Patient, Section.Toegang, now);
        }
        // A stand-in works in the team of the supporter they stand in for (whoever writes it).
        if (g.Kind == "standin" && (access.Grants.FirstOrDefault(s => s.Id == g.Source) is not { } src || !SameTeam(g.Actor, src.Actor))) return false;
        if (regiehouder) return true;
        if (!Writes(person, g.Patient, Section.Toegang, now)) return false;
        // A manager (not regiehouder) grants no wider than their own rights, and never manage.
        bool Within(IEnumerable<string>? sections, bool write) =>
            sections is not null && sections.All(s => write ? Writes(person, g.Patient, s, now) : Reads(person, g.Patient, s, now));
        switch (g.Kind)
        {
            case "grant":
                return !g.Manage && (g.Items is null ? Within(g.Sections, g.Write)
                    : g.Items.All(i => access.Items.FirstOrDefault(x => $"{x.Type}/{x.Id}" == i) is { } item && item.Patient == g.Patient
                                       && access.Decide(person, item, now) is var d && d.Read && (!g.Write || d.Write)));
            case "share":
                return g.Items is not null && g.Items.All(i => access.Items.FirstOrDefault(x => $"{x.Type}/{x.Id}" == i) is { } item
                                                              && item.Patient == g.Patient && access.Decide(person, item, now).Read);
            case "standin":
                var source = access.Grants.FirstOrDefault(s => s.Id == g.Source);
                return source is not null && !source.Manage && Within(source.Sections, source.Write);
            default:
                return false;
        }
    }

    private string? DossierOf(string record) =>
        record.StartsWith("Patient/", StringComparison.Ordinal) ? record["Patient/".Length..] : RelatedOf.GetValueOrDefault(record);

    /// <summary>W4/W7: may <paramref name="person"/> end (inactivate or delete) this grant?</summary>
    public bool MayEnd(string person, AccessModel.Grant g, DateTimeOffset now)
    {
        var ids = Identities(person);
        switch (g.Kind)
        {
            case "regie":
                // Only one's own regie; another regiehouder's needs the platform, except that the adult client ends a
                // representative's regie that has no legal basis in force (it is their dossier).
                return IsRegiehouder(person, g.Patient, now) && (ids.Contains(g.Actor) || (AdultClient(person, g.Patient, now) && !g.LegalInForce(now)));
            case "opvolger" or "bewind":
                return IsRegiehouder(person, g.Patient, now);
            case "hide":
                if (!Writes(person, g.Patient, Section.Toegang, now)) return false;
                // Lifting a hide another regiehouder set needs them (or the platform).
                var performer = Performer.GetValueOrDefault(g.Id);
                if (performer is null || ids.Contains(performer)) return true;
                var by = access.People.Values.FirstOrDefault(p => p.Record == performer);
                return by is null || !IsRegiehouder(by.Id, g.Patient, now);
            default:
                return MayGrant(person, g, hasDocument: true, now);
        }
    }
}
