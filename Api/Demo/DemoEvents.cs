using Hl7.Fhir.Model;
using Pgo.Fhir.Profiles;
using Pgo.Shared.Codes;
using static Pgo.Fhir.Profiles.CountableEvent;

namespace Pgo.Api.Demo;

/// <summary>
/// Events that count for the De Wit family (issue 20; DOMAIN.md §5, seed 004 l.2649–3264): the application for a ceiling
/// lift, the gemeente's refusal, the objection Ilse and the parents filed (open, its beslistermijn ahead), Kim's hospital
/// admission and a call with the Wmo consultant. Dated back from the day the demo is loaded; fixed ids: loading again adds nothing.
/// </summary>
public static class DemoEvents
{
    private const string Patient = "dewit-kim";
    private const string Ilse = "Practitioner/bondgenoot-ilse";

    public static IEnumerable<Basic> Entries(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        Basic Event(string id, Fields f) => New(Patient, Ilse, "Ilse (bondgenoot)", f, id);

        yield return Event("gebeurtenis-dewit-aanvraag-lift", new Fields(EventCodes.Types.Aanvraag, today.AddDays(-110),
            "Aanvraag plafondlift voor Kim (tillen lukt niet meer veilig).", Regeling: "wmo", Instantie: "gemeente",
            Status: EventCodes.Status.Besluit, Outcome: "afgewezen"));
        yield return Event("gebeurtenis-dewit-besluit-lift", new Fields(EventCodes.Types.Besluit, today.AddDays(-52),
            "Besluit van de gemeente: plafondlift afgewezen; een tillift op wielen zou volstaan.", Regeling: "wmo", Instantie: "gemeente"));
        yield return Event("gebeurtenis-dewit-opname", new Fields(EventCodes.Types.Ziekenhuisopname, today.AddDays(-40),
            "Kim drie dagen opgenomen na een lange epileptische aanval.", Instantie: "ziekenhuis"));
        yield return Event("gebeurtenis-dewit-bezwaar-lift", new Fields(EventCodes.Types.Bezwaar, today.AddDays(-30),
            "Bezwaar tegen de afwijzing van de plafondlift, met de brief van de ergotherapeut.", Regeling: "wmo", Instantie: "gemeente",
            Status: EventCodes.Status.InBehandeling, Deadline: today.AddDays(12), DeadlineKind: "beslistermijn",
            Contests: "Basic/gebeurtenis-dewit-besluit-lift"));
        yield return Event("gebeurtenis-dewit-contact-wmo", new Fields(EventCodes.Types.ContactInstantie, today.AddDays(-8),
            "Gebeld met de Wmo-consulent: de hoorzitting over het bezwaar wordt gepland.", Regeling: "wmo", Instantie: "gemeente"));
    }
}
