using System.Net;
using System.Net.Http.Json;
using Pgo.Api.Files;
using Shouldly;

namespace Pgo.Api.Tests.Files;

/// <summary>A document's section: chosen at upload, changed by a move. Moving changes who can see a document, so it
/// needs write in the section it leaves and in the one it enters; every refusal leaves the document where it was.</summary>
[Collection("Files")]
public sealed class DocumentSectionTests(FilesFixture files)
{
    private const string Jesse = "strikwerda-jesse";

    private static Task<HttpResponseMessage> MoveAsync(HttpClient client, string documentId, string section) =>
        client.PutAsJsonAsync($"/api/dossiers/{Jesse}/documents/{documentId}/section", new { section });

    [Fact]
    public async Task A_bank_letter_uploaded_into_financien_is_hidden_from_the_case_manager_who_lacks_that_section()
    {
        FilesHost.Require();
        var host = files.Host;
        var created = await host.As("strikwerda-tessa").RawAsync(Jesse, Upload.Pdf("Bank"), "application/pdf", "bank.pdf", "Brief van de bank " + Guid.NewGuid().ToString("N")[..6], "brief", "financien");
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.ReadProblemAsync());
        var doc = await created.ViewAsync();
        doc.Section.ShouldBe("financien");

        var bos = host.As("casemanager-dementie-bos");
        (await bos.GetAsync(doc.ContentUrl)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var list = await bos.GetFromJsonAsync<DocumentView[]>($"/api/dossiers/{Jesse}/documents");
        list!.ShouldNotContain(d => d.Id == doc.Id);
        // Tessa sees it in her list, with its section.
        (await host.As("strikwerda-tessa").GetFromJsonAsync<DocumentView[]>($"/api/dossiers/{Jesse}/documents"))!
            .ShouldContain(d => d.Id == doc.Id && d.Section == "financien");
    }

    [Fact]
    public async Task Moving_needs_write_in_both_sections_and_a_refusal_leaves_the_document_where_it_was()
    {
        FilesHost.Require();
        await MoveRulesAsync(files.Host);
    }

    [Fact]
    public async Task Moving_needs_write_in_both_sections_on_PostgreSQL_too()
    {
        FilesHost.Require();
        await using var host = new FilesHost(provider: "postgres");
        await MoveRulesAsync(host);
    }

    private static async Task MoveRulesAsync(FilesHost host)
    {
        var tessa = host.As("strikwerda-tessa");
        var ricardo = host.As("bondgenoot-ricardo");
        var bos = host.As("casemanager-dementie-bos");

        // Ricardo writes logboek and plan, not financien nor documenten.
        var own = await (await ricardo.RawAsync(Jesse, Upload.Png(), "image/png", "schema.png", "Weekschema", "foto", "logboek")).ViewAsync();
        var toFinance = await MoveAsync(ricardo, own.Id, "financien");
        toFinance.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var problem = await toFinance.ReadProblemAsync();
        problem.ShouldContain("beide onderdelen");
        problem.ShouldNotContain("DocumentReference");
        (await MoveAsync(ricardo, own.Id, "documenten")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await tessa.GetFromJsonAsync<DocumentView[]>($"/api/dossiers/{Jesse}/documents"))!.Single(d => d.Id == own.Id).Section.ShouldBe("logboek");
        // Both sections his: allowed.
        var toPlan = await MoveAsync(ricardo, own.Id, "plan");
        toPlan.StatusCode.ShouldBe(HttpStatusCode.OK, await toPlan.ReadProblemAsync());
        (await toPlan.ViewAsync()).Section.ShouldBe("plan");

        // A document in financien: Ricardo cannot see it, so for him it does not exist; the case manager only reads.
        var letter = await (await tessa.RawAsync(Jesse, Upload.Pdf(), "application/pdf", "bank.pdf", "Bankbrief", "brief", "financien")).ViewAsync();
        (await MoveAsync(ricardo, letter.Id, "logboek")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var general = await (await tessa.RawAsync(Jesse, Upload.Pdf(), "application/pdf", "wmo.pdf", "Wmo-brief", "brief")).ViewAsync();
        (await MoveAsync(bos, general.Id, "medisch")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await bos.GetAsync(general.ContentUrl)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The regiehouder moves the Wmo letter into financien: from then on the case manager no longer finds it.
        var moved = await MoveAsync(tessa, general.Id, "financien");
        moved.StatusCode.ShouldBe(HttpStatusCode.OK, await moved.ReadProblemAsync());
        (await bos.GetAsync(general.ContentUrl)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // And back: she reads it again.
        (await MoveAsync(tessa, general.Id, "documenten")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await bos.GetAsync(general.ContentUrl)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Not a section, or toegang: refused before anything is read.
        (await MoveAsync(tessa, general.Id, "toegang")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await MoveAsync(tessa, general.Id, "bestaat-niet")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_note_without_a_file_is_not_moved()
    {
        FilesHost.Require();
        var move = await MoveAsync(files.Host.As("strikwerda-tessa"), "strikwerda-logboek-1", "financien");
        move.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
