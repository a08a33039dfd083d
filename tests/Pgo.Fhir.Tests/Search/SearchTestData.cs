using System.Globalization;
using Pgo.Fhir.Search;
using Pgo.Fhir.Search.Query;

namespace Pgo.Fhir.Tests.Search;

/// <summary>A clock that always says the same time.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>Writes resource and idx_* rows by hand, the way the store and the indexer will.</summary>
internal sealed class Seeder(TestDb db)
{
    public const string Ucum = "http://unitsofmeasure.org";

    private object Dec(decimal d) => db.Dialect.IsPostgres ? d : (double)d;

    public static long Ms(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUnixTimeMilliseconds();

    /// <summary>The inclusive range a FHIR date/dateTime implies (the indexer's rule).</summary>
    public static (long Start, long End) Range(string fhirDate) => SearchValues.ParseDate(fhirDate, "test");

    public Task Resource(string type, string id, string lastUpdated, bool deleted = false) =>
        db.ExecuteAsync(
            "INSERT INTO resource (res_type, res_id, version, last_updated, deleted, seq, json) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6)",
            type, id, 1, Ms(lastUpdated), (short)(deleted ? 1 : 0), Ms(lastUpdated), deleted ? "" : $$"""{"resourceType":"{{type}}","id":"{{id}}"}""");

    public Task String(string type, string id, string param, string value) =>
        db.ExecuteAsync("INSERT INTO idx_string (res_type, res_id, param, norm, exact) VALUES (@p0, @p1, @p2, @p3, @p4)",
            type, id, param, TextNormalizer.Normalize(value), value);

    public Task Token(string type, string id, string param, string system, string code, string? text = null) =>
        db.ExecuteAsync("INSERT INTO idx_token (res_type, res_id, param, system, code, text) VALUES (@p0, @p1, @p2, @p3, @p4, @p5)",
            type, id, param, system, code, text is null ? null : TextNormalizer.Normalize(text));

    public Task Reference(string type, string id, string param, string? targetType, string? targetId, string? url = null) =>
        db.ExecuteAsync("INSERT INTO idx_reference (res_type, res_id, param, target_type, target_id, url) VALUES (@p0, @p1, @p2, @p3, @p4, @p5)",
            type, id, param, targetType, targetId, url);

    /// <summary>A date or period; null ends are open.</summary>
    public Task Date(string type, string id, string param, string? start, string? end) =>
        db.ExecuteAsync("INSERT INTO idx_date (res_type, res_id, param, start_ms, end_ms) VALUES (@p0, @p1, @p2, @p3, @p4)",
            type, id, param, start is null ? long.MinValue : Range(start).Start, end is null ? long.MaxValue : Range(end).End);

    public Task Number(string type, string id, string param, decimal value, decimal low, decimal high) =>
        db.ExecuteAsync("INSERT INTO idx_number (res_type, res_id, param, value, low, high) VALUES (@p0, @p1, @p2, @p3, @p4, @p5)",
            type, id, param, Dec(value), Dec(low), Dec(high));

    public Task Quantity(string type, string id, string param, string system, string code, string unit, decimal value, decimal low, decimal high) =>
        db.ExecuteAsync("INSERT INTO idx_quantity (res_type, res_id, param, system, code, unit, value, low, high) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8)",
            type, id, param, system, code, unit, Dec(value), Dec(low), Dec(high));

    public Task Uri(string type, string id, string param, string uri) =>
        db.ExecuteAsync("INSERT INTO idx_uri (res_type, res_id, param, uri) VALUES (@p0, @p1, @p2, @p3)", type, id, param, uri);
}

/// <summary>
/// The data set of the search SQL tests. Patients p1..p5 (p4 deleted), practitioners, organizations,
/// observations, encounters with dates and periods, risk assessments with numbers, value sets with uris.
/// </summary>
internal static class SearchTestData
{
    public const string Gender = "http://hl7.org/fhir/administrative-gender";
    public const string Loinc = "http://loinc.org";

    public static async Task SeedAsync(TestDb db)
    {
        var s = new Seeder(db);

        // Patients
        await s.Resource("Patient", "p1", "2024-01-10T08:00:00Z");
        await s.String("Patient", "p1", "name", "Peter");
        await s.String("Patient", "p1", "name", "Müller");
        await s.Token("Patient", "p1", "gender", Gender, "male");
        await s.Date("Patient", "p1", "birthdate", "1980-05-12", "1980-05-12");
        await s.Token("Patient", "p1", "identifier", "http://bsn", "123");
        await s.Reference("Patient", "p1", "general-practitioner", "Practitioner", "pr1");

        await s.Resource("Patient", "p2", "2024-02-10T12:00:00Z");
        await s.String("Patient", "p2", "name", "Anna");
        await s.String("Patient", "p2", "name", "Çelik");
        await s.Token("Patient", "p2", "gender", Gender, "female");
        await s.Date("Patient", "p2", "birthdate", "1990", "1990");
        await s.Token("Patient", "p2", "identifier", "", "X9");
        await s.Reference("Patient", "p2", "general-practitioner", "Practitioner", "pr2");

        await s.Resource("Patient", "p3", "2024-03-10T12:00:00Z");
        await s.String("Patient", "p3", "name", "Petra");
        await s.String("Patient", "p3", "name", "de Vries");
        await s.Token("Patient", "p3", "gender", Gender, "female");
        await s.Reference("Patient", "p3", "general-practitioner", "Organization", "o1");

        await s.Resource("Patient", "p4", "2024-03-11T12:00:00Z", deleted: true);
        await s.String("Patient", "p4", "name", "Peter");
        await s.Token("Patient", "p4", "gender", Gender, "male");

        await s.Resource("Patient", "p5", "2024-04-01T00:00:00Z");
        await s.String("Patient", "p5", "name", "Zoë");

        // Practitioners and organizations
        await s.Resource("Practitioner", "pr1", "2024-01-01T10:00:00Z");
        await s.String("Practitioner", "pr1", "name", "Jansen");
        await s.Token("Practitioner", "pr1", "identifier", "http://big", "111");
        await s.Resource("Practitioner", "pr2", "2024-01-02T10:00:00Z");
        await s.String("Practitioner", "pr2", "name", "Peters");

        await s.Resource("Organization", "o1", "2024-01-03T10:00:00Z");
        await s.String("Organization", "o1", "name", "Zorg & Co");
        await s.Resource("Organization", "o2", "2024-01-03T10:00:00Z");
        await s.String("Organization", "o2", "name", "a_b");
        await s.Resource("Organization", "o3", "2024-01-03T10:00:00Z");
        await s.String("Organization", "o3", "name", "abc");

        // Observations
        async Task Observation(string id, string? patient, string system, string code, string? text)
        {
            await s.Resource("Observation", id, "2024-05-01T00:00:00Z");
            if (patient is not null)
            {
                await s.Reference("Observation", id, "subject", "Patient", patient);
                await s.Reference("Observation", id, "patient", "Patient", patient);
            }
            await s.Token("Observation", id, "code", system, code, text);
        }
        await Observation("obs1", "p1", Loinc, "1234-5", "Glucose");
        await s.Quantity("Observation", "obs1", "value-quantity", Seeder.Ucum, "mmol/L", "mmol/L", 5.4m, 5.35m, 5.45m);
        await Observation("obs2", "p2", Loinc, "1234-5", "Glucose");
        await s.Quantity("Observation", "obs2", "value-quantity", Seeder.Ucum, "mg", "mg", 100m, 99.5m, 100.5m);
        await Observation("obs3", "p1", Loinc, "29463-7", "Body weight");
        await s.Quantity("Observation", "obs3", "value-quantity", Seeder.Ucum, "kg", "kg", 80m, 79.5m, 80.5m);
        await Observation("obs4", null, "", "free", null);
        await s.Reference("Observation", "obs4", "subject", null, null, "http://other.org/fhir/Patient/p9");
        await Observation("obs5", "p4", Loinc, "1234-5", "Glucose");
        await Observation("obs6", null, Loinc, "8867-4", "Heart rate");

        await s.Resource("Provenance", "prov1", "2024-05-02T00:00:00Z");
        await s.Reference("Provenance", "prov1", "target", "Patient", "p1");

        // Encounters: dates and periods around 2024-03-05
        await s.Resource("Encounter", "e1", "2024-06-01T00:00:00Z");
        await s.Date("Encounter", "e1", "date", "2024-03-05", "2024-03-05");
        await s.Resource("Encounter", "e2", "2024-06-01T00:00:00Z");
        await s.Date("Encounter", "e2", "date", "2024-03-05T10:00:00Z", "2024-03-05T12:00:00Z");
        await s.Resource("Encounter", "e3", "2024-06-01T00:00:00Z");
        await s.Date("Encounter", "e3", "date", "2024-03-04T22:00:00Z", "2024-03-05T02:00:00Z");
        await s.Resource("Encounter", "e4", "2024-06-01T00:00:00Z");
        await s.Date("Encounter", "e4", "date", "2024-03-06T00:00:00Z", null);
        await s.Resource("Encounter", "e5", "2024-06-01T00:00:00Z");
        await s.Date("Encounter", "e5", "date", null, "2024-03-01T00:00:00Z");
        await s.Resource("Encounter", "e6", "2024-06-01T00:00:00Z");
        await s.Date("Encounter", "e6", "date", "2023", "2023");
        await s.Resource("Encounter", "e7", "2024-06-01T00:00:00Z");

        // RiskAssessment.probability: numbers with their precision ranges
        await s.Resource("RiskAssessment", "ra1", "2024-06-01T00:00:00Z");
        await s.Number("RiskAssessment", "ra1", "probability", 0.5m, 0.45m, 0.55m);
        await s.Resource("RiskAssessment", "ra2", "2024-06-01T00:00:00Z");
        await s.Number("RiskAssessment", "ra2", "probability", 0.25m, 0.245m, 0.255m);
        await s.Resource("RiskAssessment", "ra3", "2024-06-01T00:00:00Z");
        await s.Number("RiskAssessment", "ra3", "probability", 1m, 0.5m, 1.5m);
        await s.Resource("RiskAssessment", "ra4", "2024-06-01T00:00:00Z");
        await s.Number("RiskAssessment", "ra4", "probability", 100m, 99.5m, 100.5m);
        await s.Resource("RiskAssessment", "ra5", "2024-06-01T00:00:00Z");

        // ValueSet.url
        await s.Resource("ValueSet", "vs1", "2024-06-01T00:00:00Z");
        await s.Uri("ValueSet", "vs1", "url", "http://example.org/fhir/ValueSet/abc");
        await s.Resource("ValueSet", "vs2", "2024-06-01T00:00:00Z");
        await s.Uri("ValueSet", "vs2", "url", "http://example.org/fhir/ValueSet/abc-2");
        await s.Resource("ValueSet", "vs3", "2024-06-01T00:00:00Z");
        await s.Uri("ValueSet", "vs3", "url", "http://other.org/vs");
        await s.Resource("ValueSet", "vs4", "2024-06-01T00:00:00Z");
        await s.Resource("ValueSet", "vs5", "2024-06-01T00:00:00Z");
        await s.Uri("ValueSet", "vs5", "url", "HTTP://EXAMPLE.ORG/fhir/ValueSet/x");
    }
}
