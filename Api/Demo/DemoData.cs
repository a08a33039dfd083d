using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using Pgo.Api.Hosting;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;

namespace Pgo.Api.Demo;

/// <summary>
/// The six demo families (shared/DOMAIN.md section 5; names are the fictional ones of the seed stories).
/// Loaded at start-up when Pgo:LoadDemoData is true (the Development default), idempotently: a resource
/// that already exists is left as it is, so restarting does not create versions or duplicates.
/// </summary>
public static class DemoData
{
    public static async System.Threading.Tasks.Task LoadDemoDataAsync(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<PgoOptions>>().Value.DemoData(app.Environment)) return;
        var repo = app.Services.GetRequiredService<FhirRepository>();
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        // The platform itself writes the demo, so the project's profiles (Fhir/Profiles) hold for it too.
        var ctx = new FhirContext(CallerContext.System("demo-data"), "urn:pgo:demo");
        var platform = repo.AsPlatform(PlatformPurpose.DemoData, ctx);
        var all = Resources(now).ToList();
        var stored = await platform.ReadManyAsync(all.Select(r => (r.TypeName, r.Id!)).ToList());
        var missing = all.Where((_, i) => stored[i] is null).ToList();
        if (missing.Count > 0)
        {
            var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
            foreach (var r in missing)
                bundle.Entry.Add(new Bundle.EntryComponent { Resource = r, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"{r.TypeName}/{r.Id}" } });
            await repo.ProcessBundleAsync(ctx, bundle);
            app.Logger.LogInformation("Demo data: {Count} resources loaded", missing.Count);
        }

        // A demo account that gained a record in a later release (issue 18: Ilona in Lex's own dossier) gets the missing
        // link once; links are only added, so a restart adds no versions.
        foreach (var (wanted, current) in all.Zip(stored).Where(p => p.First is Person && p.Second is { Deleted: false }))
        {
            var person = Pgo.Fhir.Serialization.FhirJson.Parse<Person>(current!.Json);
            var absent = ((Person)wanted).Link.Where(l => person.Link.All(p => p.Target?.Reference != l.Target?.Reference)).ToList();
            if (absent.Count == 0) continue;
            person.Link.AddRange(absent);
            await repo.UpdateAsync(ctx, "Person", person.Id!, person, $"W/\"{current.Version}\"");
        }

        // Logbook notes that were edited: each edit is a version, written once (the version number says how far we got).
        foreach (var (id, texts) in DemoDossiers.LogbookEdits())
        {
            for (var version = (await platform.ReadAsync("DocumentReference", id))?.Version ?? 0; version >= 1 && version <= texts.Length; version++)
            {
                var current = await platform.ReadAsync("DocumentReference", id);
                var note = DemoDossiers.WithText(Pgo.Fhir.Serialization.FhirJson.Parse<DocumentReference>(current!.Json), texts[version - 1]);
                await repo.UpdateAsync(ctx, "DocumentReference", id, note, $"W/\"{version}\"");
            }
        }
    }

    /// <summary>Everything the demo loads: families, the people and organisations around them, their dossier content,
    /// the grants (Consents) and the Persons of the demo accounts (the project's CodeSystems and questionnaires come
    /// from ProjectTerminology).</summary>
    public static IEnumerable<Resource> Resources(DateTimeOffset now) =>
        Families().Concat(DemoGrants.Directory()).Concat(DemoGrants.DossierContent().Select(r => DemoIntensity.Dated(r, now))).Concat(DemoDossiers.Content(now))
            .Concat(DemoEvents.Entries(now))
            .Concat(DemoIntensity.Entries(now))
            .Concat(DemoMeasurementPlan.Entries(now))
            .Concat(DemoBusinessCase.Entries(now))
            .Concat(DemoSuccession.Resources(now))
            .Concat(DemoTransition.Content(now))
            .Concat(DemoGrants.Consents())
            .Concat(DemoDossiers.FamilyMembers(now));

    /// <summary>Patients (the client of each family's dossier) and their family members.</summary>
    public static IEnumerable<Resource> Families()
    {
        // 1. Strikwerda: Jesse (early dementia after a work accident); Tessa holds the family together.
        yield return Client("strikwerda-jesse", "Jesse", "Strikwerda", AdministrativeGender.Male, "1965-04-12", "Leeuwarden");
        yield return Member("strikwerda-tessa", "strikwerda-jesse", "Tessa", "Strikwerda", AdministrativeGender.Female, "SPS", "echtgenote");
        yield return Member("strikwerda-cheryl", "strikwerda-jesse", "Cheryl", "Strikwerda", AdministrativeGender.Female, "DAU", "dochter (jonge mantelzorger)");
        yield return Member("strikwerda-danny", "strikwerda-jesse", "Danny", "Strikwerda", AdministrativeGender.Male, "SON", "zoon");
        yield return Member("strikwerda-rowena", "strikwerda-jesse", "Rowena", "Strikwerda", AdministrativeGender.Female, "DAU", "dochter");

        // 2. Bilic: Atilla (13) with multiple disabilities and epilepsy; parents speak Kurdish.
        yield return Client("bilic-atilla", "Atilla", "Bilic", AdministrativeGender.Male, "2013-09-02", "Rotterdam", language: "ku");
        yield return Member("bilic-ali", "bilic-atilla", "Ali", "Bilic", AdministrativeGender.Male, "FTH", "vader");
        yield return Member("bilic-gulan", "bilic-atilla", "Gulan", "Bilic", AdministrativeGender.Female, "MTH", "moeder");

        // 3. Sterk: Johan (30), intellectual disability and severe behaviour problems.
        yield return Client("sterk-johan", "Johan", "Sterk", AdministrativeGender.Male, "1996-01-20", "Apeldoorn");
        yield return Member("sterk-wim", "sterk-johan", "Wim", "Sterk", AdministrativeGender.Male, "FTH", "vader");
        yield return Member("sterk-loes", "sterk-johan", "Loes", "Sterk", AdministrativeGender.Female, "MTH", "moeder");

        // 4. Frank: Leo (17, PDD-NOS, LVB); mother Karin and father Ruben are both regiehouder.
        yield return Client("frank-leo", "Leo", "Frank", AdministrativeGender.Male, "2009-06-15", "Utrecht");
        yield return Member("frank-karin", "frank-leo", "Karin", "Frank", AdministrativeGender.Female, "MTH", "moeder");
        yield return Member("frank-ruben", "frank-leo", "Ruben", "Frank", AdministrativeGender.Male, "FTH", "vader (ander huishouden)");
        yield return Member("frank-wesley", "frank-leo", "Wesley", "Frank", AdministrativeGender.Male, "BRO", "broer");

        // 5. De Wit: Kim (11, ZEVMB: tube feeding, severe epilepsy, 24-hour care).
        yield return Client("dewit-kim", "Kim", "de Wit", AdministrativeGender.Female, "2015-03-08", "Zwolle");
        yield return Member("dewit-frank", "dewit-kim", "Frank", "de Wit", AdministrativeGender.Male, "FTH", "vader");
        yield return Member("dewit-ilona", "dewit-kim", "Ilona", "de Wit", AdministrativeGender.Female, "MTH", "moeder");
        yield return Member("dewit-lex", "dewit-kim", "Lex", "de Wit", AdministrativeGender.Male, "BRO", "broer");

        // 6. Van Assen: Luc (49, blind, single) is his own regiehouder; sister Paula.
        yield return Client("vanassen-luc", "Luc", "van Assen", AdministrativeGender.Male, "1977-11-30", "Groningen");
        yield return Member("vanassen-paula", "vanassen-luc", "Paula", "van Assen", AdministrativeGender.Female, "SIS", "zus");
    }

    private static Patient Client(string id, string given, string family, AdministrativeGender gender, string birthDate, string city, string language = "nl") => new()
    {
        Id = id,
        Active = true,
        Name = [new HumanName { Use = HumanName.NameUse.Official, Family = family, Given = [given] }],
        Gender = gender,
        BirthDate = birthDate,
        Address = [new Address { City = city, Country = "NL" }],
        Communication = [new Patient.CommunicationComponent { Language = new CodeableConcept("urn:ietf:bcp:47", language), Preferred = true }],
    };

    private static RelatedPerson Member(string id, string patientId, string given, string family, AdministrativeGender gender, string relationCode, string relationText) => new()
    {
        Id = id,
        Active = true,
        Patient = new ResourceReference($"Patient/{patientId}"),
        Name = [new HumanName { Family = family, Given = [given] }],
        Gender = gender,
        Relationship = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-RoleCode", relationCode, relationText, relationText)],
    };
}
