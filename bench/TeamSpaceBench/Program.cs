using System.Diagnostics;
using System.Globalization;
using Dapper;
using Pgo.Api.TeamSpace;
using Pgo.Api.TeamSpace.Data;
using Pgo.Api.TeamSpace.Posts;
using Pgo.Api.TeamSpace.Search;
using Pgo.Api.TeamSpace.Teams;
using Pgo.Shared.Text;

// Team-space search at scale, timed in-process through SearchService (what the API handler calls; HTTP not included).
//   dotnet TeamSpaceBench.dll <sqlite|postgres> <connection string or SQLite path> <posts> <rounds> <markdown out>
// Loads <posts> generated Dutch posts into one team with six channels (indexed by the real TeamSearch.IndexAsync,
// 1,000 per transaction), then runs every query <rounds> times and appends a table of p50/p95/p99 latencies.
if (args.Length < 5)
{
    Console.Error.WriteLine("usage: <sqlite|postgres> <connection> <posts> <rounds> <markdown out>");
    return 2;
}
var (provider, connection, posts, rounds, output) = (args[0], args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture), args[4]);

await using var db = TeamSpaceDatabase.FromConnectionString(connection);
await db.MigrateAsync();
var directory = new TeamDirectory(db, TimeProvider.System);
var authorization = new TeamSpaceAuthorization(directory);
var search = new TeamSearch(db);
var service = new SearchService(search, directory, db);
var coach = new TeamCaller("Person/coach-bench", "bench", "Coach", ["supporter"]);
var team = await directory.CreateTeamAsync("bench-" + Guid.NewGuid().ToString("N")[..8], "Bench", "", coach, "coach", CancellationToken.None);
string[] channelNames = ["Aanvragen Wlz", "PGB en SVB", "Hulpmiddelen", "Juridisch", "Intervisie", "Wonen"];
var channels = new List<long>();
foreach (var name in channelNames) channels.Add((await directory.CreateChannelAsync(team.Id, TeamInput.Slugify(name), name, "", CancellationToken.None)).Id);
string[] authors = ["Person/bench-a", "Person/bench-b", "Person/bench-c", "Person/bench-d", "Person/bench-e", "Person/coach-bench"];
for (var i = 0; i < authors.Length - 1; i++) await directory.AddMemberAsync(team.Id, authors[i], "lid" + i, "Lid " + i, TeamRoles.Supporter, CancellationToken.None);

// ---------------------------------------------------------------- load
var random = new Random(7);
var load = Stopwatch.StartNew();
const int batch = 1000;
for (var start = 0; start < posts; start += batch)
{
    var count = Math.Min(batch, posts - start);
    await db.WriteAsync(async (c, tx) =>
    {
        for (var i = 0; i < count; i++)
        {
            var body = Generate(random);
            var channel = channels[random.Next(channels.Count)];
            var author = authors[random.Next(authors.Length)];
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var id = await c.ExecuteScalarAsync<long>("""
                INSERT INTO ts_post (team_id, channel_id, author_key, author_name, body, created_ms, last_activity_ms)
                VALUES (@TeamId, @channel, @author, 'Bench', @body, @now, @now) RETURNING id;
                """, new { TeamId = team.Id, channel, author, body, now }, tx);
            await search.IndexAsync(c, tx, new SearchDocument(team.Id, TeamSearch.PostKind, id, channel, author, "",
                MarkdownRenderer.ToPlainText(body), now, PostViews.HashTags(body)));
        }
    }, CancellationToken.None);
    if ((start / batch) % 10 == 9) Console.WriteLine($"  {start + count:N0} posts, {load.Elapsed.TotalSeconds:F0} s");
}
load.Stop();
if (db.IsPostgres) await db.ReadAsync(c => c.ExecuteAsync("ANALYZE;"), CancellationToken.None);
Console.WriteLine($"loaded {posts:N0} posts in {load.Elapsed.TotalSeconds:F1} s ({posts / load.Elapsed.TotalSeconds:F0} posts/s)");

// ---------------------------------------------------------------- measure
var access = await authorization.AccessAsync(coach, team.Id, CancellationToken.None);
(string Name, string Q, long? Channel, string? Tag)[] queries =
[
    ("rare word", "hoorzitting", null, null),
    ("common word (finds aanvragen too)", "aanvraag", null, null),
    ("two words", "meerzorg zorgkantoor", null, null),
    ("phrase", "\"zes weken\"", null, null),
    ("or + not", "traplift or rolstoel -gemeente", null, null),
    ("word + channel filter", "aanvraag", channels[0], null),
    ("word + tag filter", "bezwaar", null, "wmo"),
    ("no hit", "zeppelin", null, null),
];
var rows = new List<string>();
foreach (var (name, q, channel, tag) in queries)
{
    var first = await service.SearchAsync(access, q, channel, tag, null, null, 20, CancellationToken.None);
    var hits = first.Value?.Count ?? -1;
    var total = await CountAsync(q, channel, tag);
    var times = new List<double>();
    for (var r = 0; r < rounds; r++)
    {
        var sw = Stopwatch.StartNew();
        await service.SearchAsync(access, q, channel, tag, null, null, 20, CancellationToken.None);
        times.Add(sw.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    double P(double p) => times[Math.Min(times.Count - 1, (int)Math.Ceiling(p * times.Count) - 1)];
    var row = string.Create(CultureInfo.InvariantCulture, $"| {provider} | {name} | `{q}` | {total:N0} | {hits} | {P(0.50):F1} | {P(0.95):F1} | {P(0.99):F1} |");
    Console.WriteLine(row);
    rows.Add(row);
}

var version = await db.ReadAsync(c => c.ExecuteScalarAsync<string>(db.IsPostgres ? "SHOW server_version;" : "SELECT sqlite_version();"), CancellationToken.None);
var section = string.Join('\n', [
    $"### {provider} {version}: {posts:N0} posts, {rounds} rounds per query ({DateTime.UtcNow:yyyy-MM-dd})",
    "",
    string.Create(CultureInfo.InvariantCulture, $"Load: {load.Elapsed.TotalSeconds:F1} s ({posts / load.Elapsed.TotalSeconds:F0} posts/s, search index included)."),
    "",
    "| provider | query | q | matching posts | returned (top 20) | p50 ms | p95 ms | p99 ms |",
    "|---|---|---|---:|---:|---:|---:|---:|",
    .. rows,
    "",
]);
await File.AppendAllTextAsync(output, section + "\n");
return 0;

// How many posts match at all: the work ranking has to do, beyond the 20 shown.
async Task<long> CountAsync(string q, long? channel, string? tag)
{
    var filter = (channel is null ? "" : " AND d.channel_id = @channel")
        + (tag is null ? "" : " AND EXISTS (SELECT 1 FROM ts_search_tag t WHERE t.doc_id = d.id AND t.tag = @tag)");
    var sql = db.IsPostgres
        ? "SELECT COUNT(*) FROM ts_search_doc d WHERE d.tsv @@ websearch_to_tsquery('dutch', @q) AND d.team_id = @teamId" + filter
        : "SELECT COUNT(*) FROM ts_search_fts JOIN ts_search_doc d ON d.id = ts_search_fts.rowid WHERE ts_search_fts MATCH @m AND d.team_id = @teamId" + filter;
    return await db.ReadAsync(c => c.ExecuteScalarAsync<long>(sql, new { q, m = SearchQuery.Parse(q).ToFts5(), teamId = team.Id, channel, tag }), CancellationToken.None);
}

static string Generate(Random r)
{
    string[] subjects =
    [
        "De aanvraag voor meerzorg", "Het bezwaar tegen de gemeente", "De Wlz-indicatie", "Het pgb", "De uitbetaling door de SVB", "Het zorgplan",
        "De aanvraag voor een traplift", "De herindicatie", "De plek op de wachtlijst", "Het logeerhuis", "De dagbesteding", "De rolstoel",
        "De aanvragen voor hulpmiddelen", "Het keukentafelgesprek", "De beschikking", "Het zorgcontract", "De woningaanpassing", "Het vervoer naar school",
    ];
    string[] verbs =
    [
        "ligt al weken bij", "is afgewezen door", "wordt besproken met", "is goedgekeurd door", "loopt vast bij", "is opnieuw ingediend bij",
        "wacht op een reactie van", "is doorgestuurd naar", "vraagt een gesprek met", "is eindelijk geregeld met",
    ];
    string[] agencies = ["het zorgkantoor", "de gemeente", "het CIZ", "de SVB", "het UWV", "de zorgverzekeraar", "school"];
    string[] extras =
    [
        "Wie heeft hier ervaring mee?", "Tip: vraag om een gesprek thuis.", "De termijn van zes weken loopt bijna af.", "De ouders zijn uitgeput.",
        "We wachten nog op de beschikking.", "Het zorgdagboek hielp enorm bij de onderbouwing.", "Bij de hoorzitting mocht ik mee als ondersteuner.",
        "De consulent belde vandaag terug.", "Het gezin wil eerst een second opinion.", "Na de aanvragen kwam er snel een besluit.",
        "Er is een nieuwe aanvraag gedaan.", "De arts schreef een goede verklaring.", "Het budget is niet toereikend voor de nachtzorg.",
        "De zorgaanbieder denkt mee.", "De bewindvoerder regelt de financiën.", "Het mentorschap is aangevraagd bij de rechtbank.",
    ];
    string[] tags = ["#wlz", "#pgb", "#svb", "#wmo", "#meerzorg", "#bezwaar", "#hulpmiddelen", "#ciz", "#wonen"];
    var text = $"{subjects[r.Next(subjects.Length)]} {verbs[r.Next(verbs.Length)]} {agencies[r.Next(agencies.Length)]}.";
    for (var i = r.Next(1, 4); i > 0; i--) text += " " + extras[r.Next(extras.Length)];
    if (r.Next(3) == 0) text += " " + tags[r.Next(tags.Length)];
    return text;
}
