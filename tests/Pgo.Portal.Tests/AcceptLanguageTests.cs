using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Pgo.Portal.Files;
using Pgo.Portal.Hosting;

namespace Pgo.Portal.Tests;

/// <summary>The Portal sends its user's language to the Api, so the Api's texts follow the Portal's language switch.</summary>
public sealed class AcceptLanguageTests
{
    private sealed class Capture(List<string> seen) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen.Add(request.Headers.AcceptLanguage.ToString());
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.NoContent));
        }
    }

    private static async Task<T> InCulture<T>(string culture, Func<Task<T>> action)
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = culture.Length == 0 ? CultureInfo.InvariantCulture : CultureInfo.GetCultureInfo(culture);
        try { return await action(); }
        finally { CultureInfo.CurrentUICulture = before; }
    }

    [Fact]
    public async Task Every_HttpClient_of_the_Portal_sends_the_users_UI_culture_as_Accept_Language()
    {
        var builder = WebApplication.CreateBuilder();
        builder.AddPortalUi();
        builder.AddPortalFiles();
        var seen = new List<string>();
        builder.Services.ConfigureHttpClientDefaults(http => http.ConfigurePrimaryHttpMessageHandler(() => new Capture(seen)));
        await using var app = builder.Build();
        var factory = app.Services.GetRequiredService<IHttpClientFactory>();

        // the Api client, the file client, and any per-area client added later
        foreach (var name in new[] { "PgoApi", DocumentFiles.Client, "SomeFutureAreaClient" })
        {
            var client = factory.CreateClient(name);
            client.BaseAddress ??= new Uri("http://api.test/");
            await InCulture("en-GB", () => client.GetAsync("fhir/metadata", TestContext.Current.CancellationToken));
            await InCulture("nl-NL", () => client.GetAsync("fhir/metadata", TestContext.Current.CancellationToken));
        }
        seen.ShouldBe(["en-GB", "nl-NL", "en-GB", "nl-NL", "en-GB", "nl-NL"]);
    }

    [Fact]
    public async Task The_current_language_replaces_a_language_set_earlier_and_the_invariant_culture_sends_none()
    {
        var seen = new List<string>();
        using var invoker = new HttpMessageInvoker(new AcceptLanguageHandler { InnerHandler = new Capture(seen) });
        HttpRequestMessage Request()
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "http://api.test/fhir/metadata");
            request.Headers.AcceptLanguage.ParseAdd("de");
            return request;
        }
        await InCulture("en", () => invoker.SendAsync(Request(), TestContext.Current.CancellationToken));
        await InCulture("", () => invoker.SendAsync(Request(), TestContext.Current.CancellationToken));
        seen.ShouldBe(["en", "de"]);
    }
}
