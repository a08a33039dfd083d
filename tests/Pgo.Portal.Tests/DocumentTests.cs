using System.Text;
using Microsoft.Playwright;
using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>Documents in the browser: upload with progress, preview of images and PDFs through the Portal (the token stays on
/// the server), download of the same bytes, and Dutch refusals that store nothing. Needs Azurite (PGO_TEST_BLOBS, as
/// infra/test.sh starts it); without it the test is skipped, and fails inside ./pgo test (<see cref="Needs"/>).</summary>
public sealed class DocumentTests(PortalStack stack)
{
    private const string Atilla = "/dossier/bilic-atilla/documenten";

    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg==");

    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes(
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
        "3 0 obj<</Type/Page/MediaBox[0 0 200 200]/Parent 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

    private static ILocator Document(IPage page, string title) => page.Locator("[data-testid=documents] li", new() { HasText = title });

    private static async Task UploadAsync(IPage page, string fileName, string mime, byte[] bytes, string? title)
    {
        await page.SetInputFilesAsync("input[type=file]", new FilePayload { Name = fileName, MimeType = mime, Buffer = bytes });
        await page.ExpectAsync($"[data-testid=upload-file] >> text={fileName}");
        if (title is not null) await page.FillAsync("#upload-title", title);
        await page.ClickAsync("[data-testid=upload]");
    }

    private static async Task<byte[]> DownloadAsync(IPage page, string title)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => Document(page, title).Locator("[data-testid=download]").ClickAsync());
        return await File.ReadAllBytesAsync(await download.PathAsync());
    }

    [Fact]
    public async Task A_parent_uploads_a_photo_and_a_PDF_with_progress_previews_both_and_downloads_the_same_bytes()
    {
        Needs.Blobs();
        await using var context = await stack.NewContextAsync();
        var page = await context.SignInAsync(DemoUsers.Gulan);
        await page.OpenAsync(Atilla, "[data-testid=upload]");

        await UploadAsync(page, "rolstoel.png", "image/png", Png, "Foto van de rolstoel");
        await page.ExpectAsync("[data-testid=upload-progress] >> text=100 %");
        await page.ExpectAsync("[data-testid=documents] >> text=Foto van de rolstoel");
        await Document(page, "Foto van de rolstoel").Locator("[data-testid=preview-toggle]").ClickAsync();
        var image = Document(page, "Foto van de rolstoel").Locator("[data-testid=preview] img");
        await image.WaitForAsync();
        await page.WaitForFunctionAsync("img => img.complete && img.naturalWidth === 2", await image.ElementHandleAsync());
        (await DownloadAsync(page, "Foto van de rolstoel")).ShouldBe(Png);

        await UploadAsync(page, "beschikking.pdf", "application/pdf", Pdf, "Beschikking Wlz");
        await page.ExpectAsync("[data-testid=upload-progress] >> text=100 %");
        await page.ExpectAsync("[data-testid=documents] >> text=Beschikking Wlz");
        await Document(page, "Beschikking Wlz").Locator("[data-testid=preview-toggle]").ClickAsync();
        var frame = Document(page, "Beschikking Wlz").Locator("[data-testid=preview] iframe");
        var src = await frame.GetAttributeAsync("src");
        src.ShouldStartWith("/bestanden/bilic-atilla/");
        // The preview is the Portal's own URL (the cookie, never the token); it answers the PDF's bytes inline.
        var inline = await context.APIRequest.GetAsync(src!);
        inline.Status.ShouldBe(200);
        inline.Headers["content-type"].ShouldStartWith("application/pdf");
        inline.Headers["content-disposition"].ShouldStartWith("inline");
        (await inline.BodyAsync()).ShouldBe(Pdf);
        (await DownloadAsync(page, "Beschikking Wlz")).ShouldBe(Pdf);
        (await page.ContentAsync()).ShouldNotContain("Bearer");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_file_of_a_wrong_type_or_too_large_is_refused_in_Dutch_and_nothing_is_stored()
    {
        Needs.Blobs();
        await using var context = await stack.NewContextAsync();
        var page = await context.SignInAsync(DemoUsers.Gulan);
        await page.OpenAsync(Atilla, "[data-testid=upload]");
        var before = await page.Locator("[data-testid=documents] li").CountAsync();

        await UploadAsync(page, "programma.exe", "application/x-msdownload", [(byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0], "Programma");
        await page.ExpectAsync("[data-testid=problem] >> text=Bestandstype niet toegestaan");
        (await page.InputValueAsync("#upload-title")).ShouldBe("Programma");

        // One byte over the Api's 25 MB: refused before a byte is sent. From a file on disk, which the browser opens
        // itself (a 25 MB buffer would first travel to the browser through the debugging protocol, a minute on CI).
        var folder = Directory.CreateTempSubdirectory("pgo-upload-");
        try
        {
            var large = Path.Combine(folder.FullName, "groot.pdf");
            await using (var file = File.Create(large))
            {
                await file.WriteAsync(Pdf);
                file.SetLength(25 * 1024 * 1024 + 1);
            }
            await page.SetInputFilesAsync("input[type=file]", large);
            await page.ExpectAsync("[data-testid=upload-file] >> text=groot.pdf");
            await page.ClickAsync("[data-testid=upload]");
            await page.ExpectAsync("[data-testid=problem] >> text=te groot");
        }
        finally { folder.Delete(recursive: true); }

        await page.OpenAsync(Atilla, "[data-testid=upload]");
        (await page.Locator("[data-testid=documents] li").CountAsync()).ShouldBe(before);
        (await page.InnerTextAsync("[data-testid=documents]")).ShouldNotContain("Programma");
    }
}
