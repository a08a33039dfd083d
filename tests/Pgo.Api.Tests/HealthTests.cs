namespace Pgo.Api.Tests;

public class HealthTests
{
    [Fact]
    public async Task Health_endpoint_answers_ok()
    {
        // ApiFactory, not a bare WebApplicationFactory: that would put its database in data/ of the checkout.
        await using var api = new ApiFactory();
        var response = await api.CreateClient().GetAsync("/health", TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
    }
}
