using Hl7.Fhir.Model;
using Pgo.Api.Regie;
using Pgo.Fhir.Access;
using Pgo.Shared.Contracts;

namespace Pgo.Api.Demo;

/// <summary>
/// "Als ik er niet meer ben" in the demo (issue 18): Tessa names her daughter Cheryl (RelatedPerson/strikwerda-cheryl)
/// as successor for Jesse (Cheryl sees nothing of his dossier until a take-over is confirmed), and writes a care
/// testament for Jesse; Loes and Wim Sterk wrote one for Johan. Shaped as the Api writes them (SuccessionRules,
/// CareTestamentApi); dates relative to the first load.
/// </summary>
public static class DemoSuccession
{
    public static IEnumerable<Resource> Resources(DateTimeOffset now)
    {
        var named = SuccessionRules.NameSuccessor("strikwerda-jesse", "RelatedPerson/strikwerda-cheryl", now.AddDays(-20));
        named.Id = "opvolger-strikwerda-cheryl";
        // The write side records the grantor; the demo is written by the platform, so it says who named her.
        named.Performer = [new ResourceReference("RelatedPerson/strikwerda-tessa")];
        yield return named;

        yield return Testament("zorgtestament-strikwerda", "strikwerda-jesse", now.AddDays(-20), ("RelatedPerson/strikwerda-tessa", "Tessa Strikwerda"), new CareTestament(
            Wonen: "Jesse blijft **thuis** wonen zolang het veilig is. Als dat niet meer gaat: een kleinschalige woonvorm in Leeuwarden, dicht bij Cheryl.",
            Zorg: "- Vaste gezichten, zo weinig mogelijk wisselingen.\n- Casemanager dementie blijft Annelies Bos zolang het kan.\n- Geen ziekenhuisopname als het alleen om onrust gaat.",
            WatBelangrijkIs: "Muziek van vroeger (Normaal, Doe Maar), elke dag even naar buiten, koffie met de buurman.",
            Overig: "Cheryl is pas 19: zij neemt de regie over, maar moet ook haar eigen leven kunnen leiden. Vraag Ricardo om haar te steunen.",
            null, null, null));

        yield return Testament("zorgtestament-sterk", "sterk-johan", now.AddDays(-45), ("RelatedPerson/sterk-loes", "Loes Sterk"), new CareTestament(
            Wonen: "Johan woont bij voorkeur in de buurt van Apeldoorn, in een kleine groep met een eigen kamer en zijn eigen spullen.",
            Zorg: "Het plan in het dossier gaat mee naar elke nieuwe aanbieder. Vaste begeleiders die zijn signalen kennen; bij verandering eerst met ons en Sven overleggen.",
            WatBelangrijkIs: "Zwemmen op zaterdag, treinen kijken bij het station, beeldbellen met zijn broer en zus in het buitenland.",
            Overig: "Als wij er niet meer zijn, vraagt een nieuwe mentor of curator een besluit van de rechter; Sven weet hoe dat gaat.",
            null, null, null));
    }

    private static DocumentReference Testament(string id, string patientId, DateTimeOffset date, (string Reference, string Name) author, CareTestament content)
    {
        var doc = CareTestamentApi.New(patientId);
        doc.Id = id;
        doc.Date = date;
        doc.Author = [new ResourceReference(author.Reference) { Display = author.Name }];
        doc.Content = CareTestamentApi.Content(content);
        return doc;
    }
}
