using System.Globalization;
using System.Text.RegularExpressions;
using Pgo.Fhir.Access;
using Pgo.Fhir.Search;
using Pgo.Fhir.Search.Query;
using Pgo.Fhir.Storage;

namespace Pgo.Fhir.Tests.Search;

/// <summary>One seeded database per provider, shared by the tests of <see cref="SearchSqlTests"/>.</summary>
public sealed class SearchDatabaseFixture : IAsyncDisposable
{
    private readonly Dictionary<string, Task<TestDb>> _dbs = [];
    private readonly Lock _lock = new();

    public Task<TestDb> GetAsync(string provider)
    {
        lock (_lock)
        {
            if (!_dbs.TryGetValue(provider, out var task))
                _dbs[provider] = task = CreateAsync(provider);
            return task;
        }
    }

    private static async Task<TestDb> CreateAsync(string provider)
    {
        var db = await TestDatabases.CreateAsync(provider);
        await SearchTestData.SeedAsync(db);
        return db;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var task in _dbs.Values)
        {
            try
            {
                await (await task).DisposeAsync();
            }
            catch (Exception)
            {
                // creation failed; the tests reported it
            }
        }
    }
}

/// <summary>Runs the composed SQL on SQLite and PostgreSQL against <see cref="SearchTestData"/>.</summary>
public sealed class SearchSqlTests(SearchDatabaseFixture fixture) : IClassFixture<SearchDatabaseFixture>
{
    /// <summary>"Now" for ap: inside 2024-03-05, noon UTC.</summary>
    private static readonly SearchParser Parser = new(SearchParameterRegistry.Default, time: new FixedTime(new DateTimeOffset(2024, 3, 5, 12, 0, 0, TimeSpan.Zero)));

    /// <summary>name → (type or null for system search, query, expected Type/id; in order when <c>Ordered</c>).</summary>
    private sealed record Case(string? Type, string Query, string[] Expected, bool Ordered = false);

    private static string[] P(params string[] ids) => ids.Select(i => "Patient/" + i).ToArray();
    private static string[] O(params string[] ids) => ids.Select(i => "Observation/" + i).ToArray();
    private static string[] E(params string[] ids) => ids.Select(i => "Encounter/" + i).ToArray();
    private static string[] R(params string[] ids) => ids.Select(i => "RiskAssessment/" + i).ToArray();
    private static string[] V(params string[] ids) => ids.Select(i => "ValueSet/" + i).ToArray();

    private static readonly Dictionary<string, Case> Cases = new()
    {
        // string
        ["string default starts-with"] = new("Patient", "name=pet", P("p1", "p3")),
        ["string default normalizes case and diacritics"] = new("Patient", "name=PÉT", P("p1", "p3")),
        ["string matches a diacritic in the data"] = new("Patient", "name=muller", P("p1")),
        ["string value with diacritic"] = new("Patient", "name=Müller", P("p1")),
        ["string cedilla"] = new("Patient", "name=celik", P("p2")),
        ["string cedilla in value"] = new("Patient", "name=Çelik", P("p2")),
        ["string trema"] = new("Patient", "name=zoe", P("p5")),
        ["string with space"] = new("Patient", "name=de%20v", P("p3")),
        ["string exact"] = new("Patient", "name:exact=Müller", P("p1")),
        ["string exact is case and accent sensitive"] = new("Patient", "name:exact=muller", []),
        ["string contains"] = new("Patient", "name:contains=ULL", P("p1")),
        ["string contains diacritic"] = new("Patient", "name:contains=eli", P("p2")),
        ["string OR"] = new("Patient", "name=peter,anna", P("p1", "p2")),
        ["string AND"] = new("Patient", "name=pet&name=de", P("p3")),
        ["string missing true"] = new("Patient", "name:missing=true", []),
        ["string missing false"] = new("Patient", "name:missing=false", P("p1", "p2", "p3", "p5")),
        ["string LIKE underscore is literal"] = new("Organization", "name=a_", ["Organization/o2"]),
        ["string LIKE percent is literal"] = new("Organization", "name:contains=%25", []),
        ["string ampersand"] = new("Organization", "name=zorg%20%26%20co", ["Organization/o1"]),
        ["string escaped comma is not OR"] = new("Organization", @"name=zorg\,x", []),
        ["string prefix stops before the next prefix"] = new("Organization", "name=ab", ["Organization/o3"]),
        ["string prefix is the whole value"] = new("Organization", "name=abc", ["Organization/o3"]),
        ["string prefix with a diacritic and OR"] = new("Patient", "name=zoë,çe", P("p2", "p5")),
        ["string exact and a prefix"] = new("Patient", "name:exact=Anna&name=cel", P("p2")),

        // token
        ["token code"] = new("Patient", "gender=male", P("p1")),
        ["token system|code"] = new("Patient", $"gender={SearchTestData.Gender}|female", P("p2", "p3")),
        ["token OR"] = new("Patient", "gender=male,female", P("p1", "p2", "p3")),
        ["token AND"] = new("Patient", "gender=male&gender=female", []),
        ["token not includes resources without the code"] = new("Patient", "gender:not=male", P("p2", "p3", "p5")),
        ["token not with OR"] = new("Patient", "gender:not=male,female", P("p5")),
        ["token missing true"] = new("Patient", "gender:missing=true", P("p5")),
        ["token missing false"] = new("Patient", "gender:missing=false", P("p1", "p2", "p3")),
        ["token |code means no system"] = new("Patient", "identifier=|X9", P("p2")),
        ["token |code excludes codes with a system"] = new("Patient", "identifier=|123", []),
        ["token code without system"] = new("Patient", "identifier=X9", P("p2")),
        ["token system|"] = new("Patient", "identifier=http://bsn|", P("p1")),
        ["token code any system"] = new("Patient", "identifier=123", P("p1")),
        ["token wrong system"] = new("Patient", "identifier=http://bsn|X9", []),
        ["token text"] = new("Observation", "code:text=GLUC", O("obs1", "obs2", "obs5")),
        ["token text second word is not a prefix"] = new("Observation", "code:text=weight", []),
        ["token text multi word"] = new("Observation", "code:text=body", O("obs3")),
        ["token no system code"] = new("Observation", "code=|free", O("obs4")),
        ["_id"] = new("Patient", "_id=p1,p3", P("p1", "p3")),
        ["_id not"] = new("Patient", "_id:not=p1", P("p2", "p3", "p5")),
        ["_id of a deleted resource"] = new("Patient", "_id=p4", []),

        // reference
        ["reference Type/id"] = new("Observation", "subject=Patient/p1", O("obs1", "obs3")),
        ["reference plain id"] = new("Observation", "subject=p1", O("obs1", "obs3")),
        ["reference type modifier"] = new("Observation", "subject:Patient=p2", O("obs2")),
        ["reference type modifier other type"] = new("Observation", "subject:Group=p2", []),
        ["reference OR"] = new("Observation", "subject=Patient/p1,Patient/p2", O("obs1", "obs2", "obs3")),
        ["reference absolute url stored as url"] = new("Observation", "subject=http://other.org/fhir/Patient/p9", O("obs4")),
        ["reference absolute url of a local resource"] = new("Observation", "subject=http://example.org/fhir/Patient/p1", O("obs1", "obs3")),
        ["reference versioned"] = new("Observation", "subject=Patient/p1/_history/3", O("obs1", "obs3")),
        ["reference missing"] = new("Observation", "subject:missing=true", O("obs6")),
        ["chain (a deleted target does not count)"] = new("Observation", "subject.name=peter", O("obs1", "obs3")),
        ["chain with type"] = new("Observation", "subject:Patient.name=anna", O("obs2")),
        ["chain to token"] = new("Observation", "subject:Patient.gender=female", O("obs2")),
        ["chain with modifier"] = new("Observation", "subject:Patient.name:exact=Peter", O("obs1", "obs3")),
        ["chain to _id"] = new("Observation", "subject:Patient._id=p2", O("obs2")),
        ["chain several target types"] = new("Patient", "general-practitioner.name=jansen", P("p1")),
        ["chain to organization"] = new("Patient", "general-practitioner.name=zorg", P("p3")),
        ["chain type restricts"] = new("Patient", "general-practitioner:Practitioner.name=peter", P("p2")),
        ["chain token system|code"] = new("Patient", "general-practitioner.identifier=http://big|111", P("p1")),
        ["chain token :not"] = new("Observation", "subject:Patient.gender:not=female", O("obs1", "obs3")),
        ["_has"] = new("Patient", "_has:Observation:patient:code=1234-5", P("p1", "p2")),
        ["_has system|code"] = new("Patient", $"_has:Observation:subject:code={SearchTestData.Loinc}|29463-7", P("p1")),

        // several criteria: one drives (an index range), the others are checked per resource
        ["reference drives, token checked"] = new("Observation", "code=1234-5&subject=Patient/p1", O("obs1")),
        ["reference drives, token :not checked"] = new("Observation", "code:not=1234-5&subject=Patient/p1", O("obs3")),
        ["reference drives, quantity checked"] = new("Observation", "value-quantity=gt50&subject=p1,p2", O("obs2", "obs3")),
        ["token drives, reference missing checked"] = new("Observation", "code=1234-5&subject:missing=false", O("obs1", "obs2", "obs5")),
        ["string drives, few-code token checked"] = new("Patient", "gender=female&name=pe", P("p3")),
        ["_id pins, string checked"] = new("Patient", "_id=p1,p2,p3&name=pet", P("p1", "p3")),
        ["token drives, chain checked"] = new("Observation", "code=1234-5&subject:Patient.name=peter", O("obs1")),
        ["token drives, chain to a few-code token checked"] = new("Observation", "code=29463-7&subject:Patient.gender=male", O("obs3")),
        ["chain drives, quantity checked"] = new("Observation", "value-quantity=gt50&subject:Patient.name=peter", O("obs3")),
        ["_has drives, few-code token checked"] = new("Patient", "gender=male,female&_has:Observation:subject:code=29463-7", P("p1")),
        ["string drives, _has checked"] = new("Patient", "name=pet&_has:Observation:subject:code=1234-5", P("p1")),
        ["date drives, date checked"] = new("Encounter", "date=ge2024-03-05&date=le2024-03-05", E("e1", "e2")),
        ["date eq drives, date ap checked"] = new("Encounter", "date=2024-03&date=ap2024-03-05", E("e1", "e2", "e3")),

        // date, day precision: T=indexed range, S=[2024-03-05T00:00, 2024-03-05T23:59:59.999]
        ["date eq day"] = new("Encounter", "date=2024-03-05", E("e1", "e2")),
        ["date eq day explicit"] = new("Encounter", "date=eq2024-03-05", E("e1", "e2")),
        ["date ne day"] = new("Encounter", "date=ne2024-03-05", E("e3", "e4", "e5", "e6")),
        ["date gt day"] = new("Encounter", "date=gt2024-03-05", E("e4")),
        ["date lt day"] = new("Encounter", "date=lt2024-03-05", E("e3", "e5", "e6")),
        ["date ge day"] = new("Encounter", "date=ge2024-03-05", E("e1", "e2", "e4")),
        ["date le day"] = new("Encounter", "date=le2024-03-05", E("e1", "e2", "e3", "e5", "e6")),
        ["date sa day"] = new("Encounter", "date=sa2024-03-05", E("e4")),
        ["date eb day"] = new("Encounter", "date=eb2024-03-05", E("e5", "e6")),
        ["date ap day (now inside)"] = new("Encounter", "date=ap2024-03-05", E("e1", "e2", "e3")),
        // year precision
        ["date eq year"] = new("Encounter", "date=2024", E("e1", "e2", "e3")),
        ["date ne year"] = new("Encounter", "date=ne2024", E("e4", "e5", "e6")),
        ["date gt year"] = new("Encounter", "date=gt2024", E("e4")),
        ["date lt year"] = new("Encounter", "date=lt2024", E("e5", "e6")),
        ["date ge year"] = new("Encounter", "date=ge2024", E("e1", "e2", "e3", "e4")),
        ["date le year"] = new("Encounter", "date=le2024", E("e1", "e2", "e3", "e5", "e6")),
        ["date sa year"] = new("Encounter", "date=sa2024", []),
        ["date eb year"] = new("Encounter", "date=eb2024", E("e6")),
        ["date ap year"] = new("Encounter", "date=ap2024", E("e1", "e2", "e3", "e4", "e5")),
        ["date eq other year"] = new("Encounter", "date=2023", E("e6")),
        // month precision
        ["date eq month"] = new("Encounter", "date=2024-03", E("e1", "e2", "e3")),
        ["date ne month"] = new("Encounter", "date=ne2024-03", E("e4", "e5", "e6")),
        ["date gt month"] = new("Encounter", "date=gt2024-03", E("e4")),
        ["date lt month"] = new("Encounter", "date=lt2024-03", E("e5", "e6")),
        ["date ge month"] = new("Encounter", "date=ge2024-03", E("e1", "e2", "e3", "e4")),
        ["date le month"] = new("Encounter", "date=le2024-03", E("e1", "e2", "e3", "e5", "e6")),
        ["date sa month"] = new("Encounter", "date=sa2024-03", []),
        ["date eb month (inclusive end not before)"] = new("Encounter", "date=eb2024-03", E("e6")),
        // minute precision: S=[10:00:00.000, 10:00:59.999] UTC
        ["date eq minute"] = new("Encounter", "date=2024-03-05T10:00", []),
        ["date ne minute"] = new("Encounter", "date=ne2024-03-05T10:00", E("e1", "e2", "e3", "e4", "e5", "e6")),
        ["date gt minute"] = new("Encounter", "date=gt2024-03-05T10:00", E("e1", "e2", "e4")),
        ["date lt minute"] = new("Encounter", "date=lt2024-03-05T10:00", E("e1", "e3", "e5", "e6")),
        ["date ge minute"] = new("Encounter", "date=ge2024-03-05T10:00", E("e1", "e2", "e4")),
        ["date le minute"] = new("Encounter", "date=le2024-03-05T10:00", E("e1", "e3", "e5", "e6")),
        ["date sa minute"] = new("Encounter", "date=sa2024-03-05T10:00", E("e4")),
        ["date eb minute"] = new("Encounter", "date=eb2024-03-05T10:00", E("e3", "e5", "e6")),
        ["date ap minute (±10% of two hours)"] = new("Encounter", "date=ap2024-03-05T10:00", E("e1", "e2")),
        // seconds and time zones
        ["date gt seconds Z"] = new("Encounter", "date=gt2024-03-05T10:00:00Z", E("e1", "e2", "e4")),
        ["date lt seconds with offset"] = new("Encounter", "date=lt2024-03-05T11:00:00%2B01:00", E("e1", "e3", "e5", "e6")),
        ["date offset unencoded plus"] = new("Encounter", "date=lt2024-03-05T11:00:00+01:00", E("e1", "e3", "e5", "e6")),
        ["date negative offset"] = new("Encounter", "date=sa2024-03-05T05:00-05:00", E("e4")),
        ["date ge and le at ms precision"] = new("Encounter", "date=ge2024-03-05T10:00:00.000Z&date=le2024-03-05T12:00:00.999Z", E("e1", "e2")),
        // combinations
        ["date AND range"] = new("Encounter", "date=ge2024-03-05&date=lt2024-03-06", E("e1", "e2")),
        ["date OR"] = new("Encounter", "date=2023,2024-03-05", E("e1", "e2", "e6")),
        ["date missing"] = new("Encounter", "date:missing=true", E("e7")),
        ["date not missing"] = new("Encounter", "date:missing=false", E("e1", "e2", "e3", "e4", "e5", "e6")),
        ["date open start lt"] = new("Encounter", "date=lt1900", E("e5")),
        ["date open end gt"] = new("Encounter", "date=gt2999", E("e4")),
        ["birthdate year-precision data"] = new("Patient", "birthdate=ge1985", P("p2")),
        ["birthdate day"] = new("Patient", "birthdate=1980-05-12", P("p1")),

        // _lastUpdated: p1 2024-01-10T08, p2 2024-02-10T12, p3 2024-03-10T12, p5 2024-04-01T00
        ["_lastUpdated eq month"] = new("Patient", "_lastUpdated=2024-01", P("p1")),
        ["_lastUpdated gt month"] = new("Patient", "_lastUpdated=gt2024-02", P("p3", "p5")),
        ["_lastUpdated le day"] = new("Patient", "_lastUpdated=le2024-02-10", P("p1", "p2")),
        ["_lastUpdated sa"] = new("Patient", "_lastUpdated=sa2024-02", P("p3", "p5")),
        ["_lastUpdated eb"] = new("Patient", "_lastUpdated=eb2024-02", P("p1")),
        ["_lastUpdated ge seconds"] = new("Patient", "_lastUpdated=ge2024-03-10T12:00:00Z", P("p3", "p5")),
        ["_lastUpdated ne"] = new("Patient", "_lastUpdated=ne2024-01-10", P("p2", "p3", "p5")),
        ["_lastUpdated OR"] = new("Patient", "_lastUpdated=2024-01,2024-04", P("p1", "p5")),
        ["_lastUpdated range"] = new("Patient", "_lastUpdated=ge2024-02&_lastUpdated=lt2024-04", P("p2", "p3")),
        ["_lastUpdated checked, string drives"] = new("Patient", "name=pet&_lastUpdated=le2024-02", P("p1")),
        ["_lastUpdated checked, _id pins"] = new("Patient", "_id=p1,p2,p3&_lastUpdated=gt2024-01", P("p2", "p3")),

        // number: ra1 0.5, ra2 0.25, ra3 1 [0.5,1.5], ra4 100, ra5 none
        ["number eq"] = new("RiskAssessment", "probability=0.5", R("ra1")),
        ["number eq low precision"] = new("RiskAssessment", "probability=1", R("ra1", "ra3")),
        ["number eq more precision"] = new("RiskAssessment", "probability=1.0", R("ra3")),
        ["number eq explicit"] = new("RiskAssessment", "probability=eq0.25", R("ra2")),
        ["number gt"] = new("RiskAssessment", "probability=gt0.5", R("ra3", "ra4")),
        ["number ge"] = new("RiskAssessment", "probability=ge0.5", R("ra1", "ra3", "ra4")),
        ["number lt"] = new("RiskAssessment", "probability=lt0.5", R("ra2")),
        ["number le"] = new("RiskAssessment", "probability=le0.5", R("ra1", "ra2")),
        ["number ne"] = new("RiskAssessment", "probability=ne0.5", R("ra2", "ra3", "ra4")),
        ["number sa"] = new("RiskAssessment", "probability=sa0.5", R("ra4")),
        ["number eb"] = new("RiskAssessment", "probability=eb0.5", R("ra2")),
        ["number ap"] = new("RiskAssessment", "probability=ap95", R("ra4")),
        ["number exponent"] = new("RiskAssessment", "probability=1e2", R("ra4")),
        ["number negative exponent"] = new("RiskAssessment", "probability=5e-1", R("ra1")),
        ["number OR"] = new("RiskAssessment", "probability=0.25,100", R("ra2", "ra4")),
        ["number missing"] = new("RiskAssessment", "probability:missing=true", R("ra5")),

        // quantity: obs1 5.4 mmol/L, obs2 100 mg, obs3 80 kg
        ["quantity value"] = new("Observation", "value-quantity=5.4", O("obs1")),
        ["quantity system and code"] = new("Observation", $"value-quantity=5.4|{Seeder.Ucum}|mmol/L", O("obs1")),
        ["quantity other system"] = new("Observation", "value-quantity=5.4|http://other|mmol/L", []),
        ["quantity unit without system"] = new("Observation", "value-quantity=5.4||mmol/L", O("obs1")),
        ["quantity gt with unit"] = new("Observation", "value-quantity=gt50||kg", O("obs3")),
        ["quantity gt any unit"] = new("Observation", "value-quantity=gt50", O("obs2", "obs3")),
        ["quantity le"] = new("Observation", $"value-quantity=le100|{Seeder.Ucum}|mg", O("obs2")),
        ["quantity lt"] = new("Observation", $"value-quantity=lt100|{Seeder.Ucum}|mg", []),
        ["quantity ap"] = new("Observation", "value-quantity=ap105", O("obs2")),
        ["quantity ne"] = new("Observation", "value-quantity=ne80||kg", []),
        ["quantity system only"] = new("Observation", $"value-quantity=ge5.4|{Seeder.Ucum}|", O("obs1", "obs2", "obs3")),
        ["quantity sa"] = new("Observation", "value-quantity=sa79", O("obs2", "obs3")),
        ["quantity eb"] = new("Observation", "value-quantity=eb80", O("obs1")),

        // uri
        ["uri equals"] = new("ValueSet", "url=http://example.org/fhir/ValueSet/abc", V("vs1")),
        ["uri equals is not a prefix match"] = new("ValueSet", "url=http://example.org/fhir/ValueSet/ab", []),
        ["uri below (case-sensitive)"] = new("ValueSet", "url:below=http://example.org/fhir/", V("vs1", "vs2")),
        ["uri above"] = new("ValueSet", "url:above=http://example.org/fhir/ValueSet/abc-2/extra", V("vs1", "vs2")),
        ["uri missing"] = new("ValueSet", "url:missing=true", V("vs4")),

        // sort (ordered), missing values last, then by id
        ["sort two keys"] = new("Patient", "_sort=gender,-birthdate", P("p2", "p3", "p1", "p5"), true),
        ["sort token descending"] = new("Patient", "_sort=-gender", P("p1", "p2", "p3", "p5"), true),
        ["sort date descending"] = new("Patient", "_sort=-birthdate", P("p2", "p1", "p3", "p5"), true),
        ["sort string ascending uses MIN"] = new("Patient", "_sort=name", P("p2", "p3", "p1", "p5"), true),
        ["sort string descending uses MAX"] = new("Patient", "_sort=-name", P("p5", "p3", "p1", "p2"), true),
        ["sort _lastUpdated descending"] = new("Patient", "_sort=-_lastUpdated", P("p5", "p3", "p2", "p1"), true),
        ["sort _id descending"] = new("Patient", "_sort=-_id", P("p5", "p3", "p2", "p1"), true),
        ["sort with criteria"] = new("Patient", "gender=female&_sort=-_lastUpdated", P("p3", "p2"), true),
        ["sort quantity"] = new("Observation", "_sort=value-quantity", O("obs1", "obs3", "obs2", "obs4", "obs5", "obs6"), true),
        ["sort reference"] = new("Observation", "_sort=subject", O("obs1", "obs3", "obs2", "obs5", "obs4", "obs6"), true),
        ["sort period ascending by start"] = new("Encounter", "_sort=date", E("e5", "e6", "e3", "e1", "e2", "e4", "e7"), true),
        ["sort period descending by end"] = new("Encounter", "_sort=-date", E("e4", "e1", "e2", "e3", "e5", "e6", "e7"), true),
        ["sort uri"] = new("ValueSet", "_sort=url", V("vs5", "vs1", "vs2", "vs3", "vs4"), true),
        ["sort number descending"] = new("RiskAssessment", "_sort=-probability", R("ra4", "ra3", "ra1", "ra2", "ra5"), true),
        ["default order is by id"] = new("Patient", "", P("p1", "p2", "p3", "p5"), true),

        // system-level
        ["system _type and common parameter"] = new(null, "_type=Practitioner,Organization&name=zorg", ["Organization/o1"]),
        ["system _type two types"] = new(null, "_type=Patient,Practitioner&name=peter", ["Patient/p1", "Practitioner/pr2"]),
        ["system all types _id"] = new(null, "_id=p1", ["Patient/p1"]),
        ["system all types _lastUpdated"] = new(null, "_lastUpdated=2024-01-01", ["Practitioner/pr1"]),
        ["system _type alone"] = new(null, "_type=Organization,Practitioner", ["Organization/o1", "Organization/o2", "Organization/o3", "Practitioner/pr1", "Practitioner/pr2"], true),
    };

    public static TheoryData<string, string> CaseData()
    {
        var data = new TheoryData<string, string>();
        foreach (var provider in TestDatabases.Providers)
            foreach (var name in Cases.Keys)
                data.Add(provider, name);
        return data;
    }

    private Task<TestDb> Db(string provider) => fixture.GetAsync(provider);

    private static async Task<List<string>> Ids(TestDb db, SqlQuery query) =>
        (await db.QueryAsync(query)).Select(r => $"{r[0]}/{r[1]}").ToList();

    [Theory]
    [MemberData(nameof(CaseData))]
    public async Task Search_case(string provider, string name)
    {
        var db = await Db(provider);
        var c = Cases[name];
        var request = Parser.ParseQueryString(c.Type, c.Query, SearchHandling.Strict);

        var page = SearchSqlBuilder.BuildPage(request, db.Dialect, AccessScope.Unrestricted);
        var ids = await Ids(db, page);
        var expected = c.Ordered ? c.Expected : c.Expected.Order(StringComparer.Ordinal).ToArray();
        ids.ShouldBe(expected, ignoreOrder: false, customMessage: $"{c.Type}?{c.Query}\n{page.Sql}");

        var count = await db.ScalarAsync(SearchSqlBuilder.BuildCount(request, db.Dialect, AccessScope.Unrestricted));
        count.ShouldBe(c.Expected.Length, "count query");

        // The same rows when no criterion drives: the per-resource form of every criterion agrees with its driving form.
        var probes = SearchSqlBuilder.BuildPage(request, db.Dialect, AccessScope.Unrestricted.Predicate, probesOnly: true);
        (await Ids(db, probes)).ShouldBe(expected, ignoreOrder: false, customMessage: $"checked per resource: {c.Type}?{c.Query}\n{probes.Sql}");
        (await db.ScalarAsync(SearchSqlBuilder.BuildCount(request, db.Dialect, AccessScope.Unrestricted.Predicate, probesOnly: true)))
            .ShouldBe(c.Expected.Length, "count query, checked per resource");

        // The rows come back with all five columns.
        foreach (var row in await db.QueryAsync(page))
        {
            row.Length.ShouldBe(5);
            Convert.ToInt64(row[2], CultureInfo.InvariantCulture).ShouldBe(1);
            row[4].ShouldBeOfType<string>().ShouldContain("\"resourceType\"");
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Paging_asks_for_one_extra_row_and_skips_the_offset(string provider)
    {
        var db = await Db(provider);

        async Task<List<string>> Page(string query) =>
            await Ids(db, SearchSqlBuilder.BuildPage(Parser.ParseQueryString("Patient", query), db.Dialect, AccessScope.Unrestricted));

        (await Page("_count=2")).ShouldBe(P("p1", "p2", "p3")); // 3 rows = there is a next page
        (await Page("_count=2&_offset=2")).ShouldBe(P("p3", "p5")); // the last page
        (await Page("_count=2&_offset=4")).ShouldBeEmpty();
        (await Page("_sort=-_lastUpdated&_count=2&_offset=1")).ShouldBe(P("p3", "p2", "p1"));
        (await Page("_count=0")).ShouldBe(P("p1"));

        var all = Parser.ParseQueryString("Patient", "_count=0");
        all.IsCountOnly.ShouldBeTrue();
        (await db.ScalarAsync(SearchSqlBuilder.BuildCount(all, db.Dialect, AccessScope.Unrestricted))).ShouldBe(4);
    }

    private async Task<(List<string> Matches, List<string> Included, List<string> RevIncluded)> WithIncludes(
        TestDb db, string type, string query, AccessPredicate? access = null)
    {
        access ??= AccessScope.Unrestricted.Predicate;
        var request = Parser.ParseQueryString(type, query, SearchHandling.Strict);
        var rows = await db.QueryAsync(SearchSqlBuilder.BuildPage(request, db.Dialect, access));
        var matches = rows.Select(r => ((string)r[0]!, (string)r[1]!)).ToList();
        var inc = SearchSqlBuilder.BuildIncludes(request, matches, db.Dialect, access);
        var rev = SearchSqlBuilder.BuildRevIncludes(request, matches, db.Dialect, access);
        return (
            matches.Select(m => $"{m.Item1}/{m.Item2}").ToList(),
            inc is null ? [] : await Ids(db, inc),
            rev is null ? [] : await Ids(db, rev));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Includes_add_the_referenced_resources(string provider)
    {
        var db = await Db(provider);

        var r = await WithIncludes(db, "Observation", "code=1234-5&_include=Observation:subject");
        r.Matches.ShouldBe(O("obs1", "obs2", "obs5"));
        r.Included.ShouldBe(P("p1", "p2")); // p4 is deleted
        r.RevIncluded.ShouldBeEmpty();

        (await WithIncludes(db, "Observation", "_id=obs1&_include=Observation:subject:Patient")).Included.ShouldBe(P("p1"));
        (await WithIncludes(db, "Observation", "_id=obs1&_include=Observation:subject:Group")).Included.ShouldBeEmpty();
        (await WithIncludes(db, "Observation", "_id=obs1&_include=Observation:*")).Included.ShouldBe(P("p1"));
        (await WithIncludes(db, "Patient", "_id=p1,p3&_include=Patient:general-practitioner")).Included
            .ShouldBe(["Organization/o1", "Practitioner/pr1"]);
        (await WithIncludes(db, "Patient", "_id=p1,p3&_include=*")).Included.ShouldBe(["Organization/o1", "Practitioner/pr1"]);
        (await WithIncludes(db, "Patient", "_id=p1,p3&_include:iterate=Patient:general-practitioner")).Included
            .ShouldBe(["Organization/o1", "Practitioner/pr1"]);
        (await WithIncludes(db, null!, "_type=Patient,Observation&_id=p1,obs2&_include=Observation:subject&_include=Patient:general-practitioner")).Included
            .ShouldBe(["Patient/p2", "Practitioner/pr1"]);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task RevIncludes_add_the_referring_resources(string provider)
    {
        var db = await Db(provider);

        (await WithIncludes(db, "Patient", "_id=p1&_revinclude=Observation:subject")).RevIncluded.ShouldBe(O("obs1", "obs3"));
        (await WithIncludes(db, "Patient", "_id=p1&_revinclude=Provenance:target")).RevIncluded.ShouldBe(["Provenance/prov1"]);
        (await WithIncludes(db, "Patient", "_id=p1&_revinclude=Observation:subject&_revinclude=Provenance:target")).RevIncluded
            .ShouldBe(["Observation/obs1", "Observation/obs3", "Provenance/prov1"]);
        (await WithIncludes(db, "Patient", "_id=p1&_revinclude=*")).RevIncluded
            .ShouldBe(["Observation/obs1", "Observation/obs3", "Provenance/prov1"]);
        (await WithIncludes(db, "Patient", "_id=p4&_revinclude=Observation:subject")).RevIncluded.ShouldBeEmpty(); // p4 is deleted: no match
        (await WithIncludes(db, "Practitioner", "_id=pr1,pr2&_revinclude=Patient:general-practitioner:Practitioner")).RevIncluded.ShouldBe(P("p1", "p2"));
    }

    [Fact]
    public void Includes_are_null_when_not_asked_or_nothing_matched()
    {
        var request = Parser.ParseQueryString("Patient", "_id=p1");
        SearchSqlBuilder.BuildIncludes(request, [("Patient", "p1")], SqlDialect.Sqlite, AccessScope.Unrestricted).ShouldBeNull();
        SearchSqlBuilder.BuildRevIncludes(request, [("Patient", "p1")], SqlDialect.Sqlite, AccessScope.Unrestricted).ShouldBeNull();
        var withIncludes = Parser.ParseQueryString("Patient", "_include=Patient:organization&_revinclude=Observation:subject");
        SearchSqlBuilder.BuildIncludes(withIncludes, [], SqlDialect.Sqlite, AccessScope.Unrestricted).ShouldBeNull();
        SearchSqlBuilder.BuildRevIncludes(withIncludes, [], SqlDialect.Sqlite, AccessScope.Unrestricted).ShouldBeNull();
    }

    /// <summary>A restricted scope: the given resources are invisible to the caller.</summary>
    private static AccessPredicate Hide(params string[] ids) =>
        (alias, bag) => ids.Length == 0 ? "1=1" : $"{alias}.res_id NOT IN ({string.Join(", ", ids.Select(id => bag.Add(id)))})";

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task The_access_predicate_applies_to_matches_chained_targets_has_sources_and_includes(string provider)
    {
        var db = await Db(provider);

        async Task<List<string>> Search(string type, string query, AccessPredicate access) =>
            await Ids(db, SearchSqlBuilder.BuildPage(Parser.ParseQueryString(type, query), db.Dialect, access));
        async Task<long> Count(string type, string query, AccessPredicate access) =>
            await db.ScalarAsync(SearchSqlBuilder.BuildCount(Parser.ParseQueryString(type, query), db.Dialect, access));

        // matches and counts
        (await Search("Patient", "gender=female", Hide("p2"))).ShouldBe(P("p3"));
        (await Count("Patient", "gender=female", Hide("p2"))).ShouldBe(1);

        // a chain does not reveal a target the caller cannot see
        (await Search("Patient", "general-practitioner.name=peters", Hide())).ShouldBe(P("p2"));
        (await Search("Patient", "general-practitioner.name=peters", Hide("pr2"))).ShouldBeEmpty();
        (await Count("Patient", "general-practitioner.name=peters", Hide("pr2"))).ShouldBe(0);

        // _has does not count a source the caller cannot see
        (await Search("Patient", "_has:Observation:patient:code=1234-5", Hide("obs2"))).ShouldBe(P("p1"));

        // includes and revincludes leave out what the caller cannot see
        (await WithIncludes(db, "Observation", "code=1234-5&_include=Observation:subject", Hide("p2"))).Included.ShouldBe(P("p1"));
        (await WithIncludes(db, "Patient", "_id=p1&_revinclude=Observation:subject", Hide("obs3"))).RevIncluded.ShouldBe(O("obs1"));
    }

    [Fact]
    public void Every_resource_row_in_every_statement_goes_through_the_access_hook()
    {
        var queries = new[]
        {
            ("Patient", "name=pet&general-practitioner.name=jansen&_has:Observation:patient:code=1234-5&_sort=name&_include=Patient:general-practitioner&_revinclude=Observation:subject"),
            ("Observation", "subject:Patient.gender:not=female&subject.name:missing=true&_include=*&_revinclude=*"),
        };
        foreach (var (type, query) in queries)
        {
            var request = Parser.ParseQueryString(type, query, SearchHandling.Strict);
            foreach (var dialect in new[] { SqlDialect.Sqlite, SqlDialect.Postgres })
            {
                var statements = new List<(SqlQuery Query, HashSet<string> Checked)>();
                foreach (var build in new Func<AccessPredicate, SqlQuery?>[]
                         {
                             a => SearchSqlBuilder.BuildPage(request, dialect, a),
                             a => SearchSqlBuilder.BuildCount(request, dialect, a),
                             a => SearchSqlBuilder.BuildIncludes(request, [(type, "x")], dialect, a),
                             a => SearchSqlBuilder.BuildRevIncludes(request, [(type, "x")], dialect, a),
                         })
                {
                    var checkedAliases = new HashSet<string>();
                    var q = build((alias, _) => { checkedAliases.Add(alias); return $"/*access:{alias}*/1=1"; })!;
                    statements.Add((q, checkedAliases));
                }

                foreach (var (q, checkedAliases) in statements)
                {
                    var resourceAliases = Regex.Matches(q.Sql, @"\b(?:FROM|JOIN) resource (\w+)").Select(m => m.Groups[1].Value).ToHashSet();
                    resourceAliases.Count.ShouldBeGreaterThan(0);
                    checkedAliases.ShouldBe(resourceAliases, ignoreOrder: true, q.Sql);
                    foreach (var alias in resourceAliases)
                        q.Sql.ShouldContain($"{alias}.deleted = 0 AND (/*access:{alias}*/1=1)");
                }
            }
        }
    }

    [Fact]
    public void Values_are_parameters_never_sql_text()
    {
        var evil = "x'; DROP TABLE resource; --";
        var request = Parser.Parse("Patient", [
            new("name", evil), new("_id", evil), new("identifier", evil + "|" + evil), new("general-practitioner.name", evil),
            new("_has:Observation:patient:code", evil), new("general-practitioner", "Practitioner/" + evil),
        ]);
        foreach (var dialect in new[] { SqlDialect.Sqlite, SqlDialect.Postgres })
        {
            var q = SearchSqlBuilder.BuildPage(request, dialect, AccessScope.Unrestricted);
            q.Sql.ShouldNotContain("DROP");
            q.Parameters.ShouldContain(p => Equals(p.Value, evil));
        }
    }

    [Fact]
    public void Parameter_types_suit_npgsql()
    {
        var request = Parser.ParseQueryString("Observation", "value-quantity=5.4&_lastUpdated=gt2024&_count=5&_offset=10");
        var pg = SearchSqlBuilder.BuildPage(request, SqlDialect.Postgres, AccessScope.Unrestricted);
        pg.Parameters.Select(p => p.Value).OfType<decimal>().ShouldNotBeEmpty();
        pg.Parameters.Select(p => p.Value).OfType<long>().Count().ShouldBeGreaterThanOrEqualTo(3); // date, limit, offset
        pg.Parameters.Select(p => p.Value).OfType<double>().ShouldBeEmpty();
        pg.Parameters.Select(p => p.Value).OfType<int>().ShouldBeEmpty();

        var lite = SearchSqlBuilder.BuildPage(request, SqlDialect.Sqlite, AccessScope.Unrestricted);
        lite.Parameters.Select(p => p.Value).OfType<double>().ShouldNotBeEmpty();
        lite.Parameters.Select(p => p.Value).OfType<decimal>().ShouldBeEmpty();
    }
}
