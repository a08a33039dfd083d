using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;
using static Pgo.Api.Tests.Realtime.LiveFamily;

namespace Pgo.Api.Tests.Realtime;

/// <summary>FHIR R4 Subscription: private to its owner, validated, and notifying (rest-hook, websocket) only of changes the owner may see.</summary>
public class SubscriptionTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static Subscription RestHook(string criteria, string endpoint, string? payload = null, params string[] headers) => new()
    {
        Status = Subscription.SubscriptionStatus.Requested,
        Reason = "test",
        Criteria = criteria,
        Channel = new Subscription.ChannelComponent { Type = Subscription.SubscriptionChannelType.RestHook, Endpoint = endpoint, Payload = payload, Header = headers },
    };

    private static Subscription Websocket(string criteria) => new()
    {
        Status = Subscription.SubscriptionStatus.Requested,
        Reason = "test",
        Criteria = criteria,
        Channel = new Subscription.ChannelComponent { Type = Subscription.SubscriptionChannelType.Websocket },
    };

    private static async Task<Subscription> CreateAsync(HttpClient client, Subscription subscription)
    {
        var response = await client.PostAsync("/fhir/Subscription", subscription);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.ReadAs<Subscription>();
    }

    [Fact]
    public async Task A_subscription_is_private_to_the_person_who_created_it()
    {
        await using var api = new ApiFactory();
        var system = api.CreateClient();
        await SeedAsync(system);
        var parent = api.ClientAs(Parent);
        var supporter = api.ClientAs(Supporter);

        var forged = Websocket($"Goal?patient={Child}");
        forged.Extension.Add(new Extension(SubscriptionOwner.OwnerExtension, new FhirString(Supporter)));
        var created = await CreateAsync(parent, forged);
        created.Status.ShouldBe(Subscription.SubscriptionStatus.Active);
        SubscriptionOwner.Recorded(created).ShouldBe(Parent);

        (await parent.GetAsync($"/fhir/Subscription/{created.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await system.GetAsync($"/fhir/Subscription/{created.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await supporter.GetAsync($"/fhir/Subscription/{created.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await supporter.CountAsync("Subscription")).ShouldBe(0);
        (await parent.CountAsync("Subscription")).ShouldBe(1);
        (await (await supporter.GetAsync("/fhir/_history")).EnsureSuccessStatusCode().Content.ReadAsStringAsync()).ShouldNotContain(created.Id!);

        // Nor can anyone else change or delete it.
        created.Criteria = "Goal";
        (await supporter.PutAsync($"/fhir/Subscription/{created.Id}", created)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await supporter.DeleteAsync($"/fhir/Subscription/{created.Id}");
        var kept = await (await parent.GetAsync($"/fhir/Subscription/{created.Id}")).ReadAs<Subscription>();
        kept.Criteria.ShouldBe($"Goal?patient={Child}");
        SubscriptionOwner.Recorded(kept).ShouldBe(Parent);

        // /metadata says so, and names the websocket endpoint.
        var metadata = await (await system.GetAsync("/fhir/metadata")).ReadAs<CapabilityStatement>();
        metadata.Rest[0].Resource.Single(r => r.Type == "Subscription").Documentation.ShouldContain("Alleen zichtbaar voor wie het abonnement aanmaakte");
        metadata.Rest[0].GetExtensionValue<FhirUri>("http://hl7.org/fhir/StructureDefinition/capabilitystatement-websocket").Value.ShouldEndWith("/ws/subscriptions");
    }

    [Theory]
    [InlineData("Goal?nonsense=1", "websocket", null)]
    [InlineData("NoSuchType?x=1", "websocket", null)]
    [InlineData("Goal", "email", null)]
    [InlineData("Goal", "rest-hook", "ftp://example.org/hook")]
    [InlineData("Goal", "rest-hook", null)]
    public async Task Invalid_criteria_or_channels_are_refused_with_an_OperationOutcome(string criteria, string channel, string? endpoint)
    {
        await using var api = new ApiFactory();
        await SeedAsync(api.CreateClient());
        var endpointJson = endpoint is null ? "" : ",\"endpoint\":\"" + endpoint + "\"";
        var json = "{\"resourceType\":\"Subscription\",\"status\":\"requested\",\"reason\":\"test\",\"criteria\":\"" + criteria
            + "\",\"channel\":{\"type\":\"" + channel + "\"" + endpointJson + "}}";
        var response = await api.ClientAs(Parent).PostAsync("/fhir/Subscription", Body(json));
        ((int)response.StatusCode).ShouldBeOneOf(400, 422);
        (await response.Outcome()).Issue.ShouldNotBeEmpty();
        (await api.CreateClient().CountAsync("Subscription")).ShouldBe(0);
    }

    [Fact]
    public async Task A_rest_hook_receives_the_changes_its_owner_may_see_and_nothing_else()
    {
        await using var hook = new HookListener(HttpStatusCode.OK);
        await using var api = new ApiFactory();
        var system = api.CreateClient();
        await SeedAsync(system);
        var supporter = api.ClientAs(Supporter); // reads doelen only
        await CreateAsync(supporter, RestHook("DocumentReference", hook.Url + "notes"));
        var goals = await CreateAsync(supporter, RestHook($"Goal?patient={Child}", hook.Url + "goals", "application/fhir+json", "X-Hook-Key: geheim"));

        // The note (logboek) is committed first; changes are handled in commit order, so when the goal arrives the
        // note has been handled and did not notify.
        await PutAsync(system, Note("rt-note", "Alleen voor de ouder"));
        await PutAsync(system, Goal("rt-goal", "Zwemmen, twee keer per week"));

        var received = await hook.NextAsync();
        received.Path.ShouldBe("/goals");
        received.Headers["X-Hook-Key"].ShouldBe("geheim");
        received.Body.ShouldContain("Zwemmen, twee keer per week");
        hook.Drain().ShouldBeEmpty();
        (await (await supporter.GetAsync($"/fhir/Subscription/{goals.Id}")).ReadAs<Subscription>()).Status.ShouldBe(Subscription.SubscriptionStatus.Active);
    }

    [Fact]
    public async Task A_rest_hook_that_keeps_failing_gets_status_error_with_the_reason()
    {
        await using var hook = new HookListener(HttpStatusCode.InternalServerError);
        await using var api = new ApiFactory(settings: new Dictionary<string, string?>
        {
            ["Realtime:SubscriptionAttempts"] = "2",
            ["Realtime:SubscriptionRetryDelay"] = "00:00:00.050",
        });
        var system = api.CreateClient();
        await SeedAsync(system);
        var parent = api.ClientAs(Parent);
        var subscription = await CreateAsync(parent, RestHook("Goal", hook.Url));

        await PutAsync(system, Goal("rt-goal", "Fietsen"));
        (await hook.NextAsync()).Path.ShouldBe("/");
        (await hook.NextAsync()).Path.ShouldBe("/");

        var deadline = DateTime.UtcNow + Wait;
        Subscription current;
        do
        {
            current = await (await parent.GetAsync($"/fhir/Subscription/{subscription.Id}")).ReadAs<Subscription>();
            if (current.Status == Subscription.SubscriptionStatus.Error || DateTime.UtcNow > deadline) break;
            await System.Threading.Tasks.Task.Delay(50);
        } while (true);
        current.Status.ShouldBe(Subscription.SubscriptionStatus.Error);
        current.Error.ShouldContain("500");
        SubscriptionOwner.Recorded(current).ShouldBe(Parent);
    }

    [Fact]
    public async Task A_websocket_bound_by_its_owner_gets_a_ping_per_matching_change_and_a_stranger_cannot_bind()
    {
        await using var api = new ApiFactory();
        var system = api.CreateClient();
        await SeedAsync(system);
        var subscription = await CreateAsync(api.ClientAs(Parent), Websocket($"Goal?patient={Child}"));

        using var stranger = await ConnectAsync(api, TestTokens.Person(Stranger));
        await SendAsync(stranger, $"bind {subscription.Id}");
        (await ReceiveAsync(stranger)).ShouldBe($"error {subscription.Id}");

        using var owner = await ConnectAsync(api, TestTokens.Person(Parent));
        await SendAsync(owner, $"bind {subscription.Id}");
        (await ReceiveAsync(owner)).ShouldBe($"bound {subscription.Id}");

        await PutAsync(system, Note("rt-note", "Geen doel"));
        await PutAsync(system, Goal("rt-goal", "Lezen"));
        (await ReceiveAsync(owner)).ShouldBe($"ping {subscription.Id}");
    }

    /// <summary>Production: rest-hooks only over https to the operator's allow-list, no internal addresses, allowed headers only.</summary>
    private static Dictionary<string, string?> AllowList(params string[] hosts) =>
        hosts.Select((host, i) => KeyValuePair.Create($"Subscriptions:RestHook:AllowedHosts:{i}", (string?)host)).ToDictionary();

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task In_production_a_rest_hook_goes_only_over_https_to_an_allow_listed_public_host_with_allowed_headers(string provider)
    {
        await using var api = new ApiFactory(provider, environment: "Production",
            settings: AllowList("hooks.example.org", "*.zorgapp.example", "localhost", "10.1.2.3"));
        var system = api.CreateClient();
        await SeedAsync(system);
        var parent = api.ClientAs(Parent);

        var refused = new (string Endpoint, string[] Headers, string Reason)[]
        {
            ("http://hooks.example.org/pgo", [], "https-adres"),
            ("https://elders.example.net/pgo", [], "niet op de lijst"),
            ("https://zorgapp.example/pgo", [], "niet op de lijst"),        // the wildcard covers subdomains only
            ("https://localhost/pgo", [], "intern of lokaal"),               // on the list, still refused
            ("https://10.1.2.3/pgo", [], "intern of lokaal"),
            ("https://127.0.0.1/pgo", [], "intern of lokaal"),
            ("https://169.254.169.254/latest/meta-data", [], "intern of lokaal"),
            ("https://[::1]/pgo", [], "intern of lokaal"),
            ("https://[fd00::1]/pgo", [], "intern of lokaal"),
            ("https://192.168.1.10/pgo", [], "intern of lokaal"),
            ("https://hooks.example.org/pgo", ["X-Hook-Key: geheim"], "niet toegestaan"),
            ("https://hooks.example.org/pgo", ["Host: intern"], "niet toegestaan"),
            ("https://hooks.example.org/pgo", ["geen kop"], "niet toegestaan"),
        };
        foreach (var (endpoint, headers, reason) in refused)
        {
            var response = await parent.PostAsync("/fhir/Subscription", RestHook("Goal", endpoint, null, headers));
            ((int)response.StatusCode).ShouldBe(422, endpoint);
            (await response.Outcome()).Issue.ShouldContain(i => i.Diagnostics.Contains(reason), $"{endpoint} {string.Join(",", headers)}");
        }
        (await system.CountAsync("Subscription")).ShouldBe(0);

        // Allowed: https, a listed host (or a subdomain of a wildcard), only the Authorization header.
        await CreateAsync(parent, RestHook("Goal", "https://hooks.example.org/pgo", null, "Authorization: Bearer voor-het-eindpunt"));
        await CreateAsync(parent, RestHook("Goal", "https://meldingen.zorgapp.example/pgo"));
        // The websocket channel needs no allow-list.
        await CreateAsync(parent, Websocket("Goal"));
    }

    [Fact]
    public async Task In_production_without_an_allow_list_rest_hooks_are_refused()
    {
        await using var api = new ApiFactory(environment: "Production");
        await SeedAsync(api.CreateClient());

        var response = await api.ClientAs(Parent).PostAsync("/fhir/Subscription", RestHook("Goal", "https://hooks.example.org/pgo"));

        ((int)response.StatusCode).ShouldBe(422);
        (await response.Outcome()).Issue.ShouldContain(i => i.Diagnostics.Contains("websocket"));
    }

    [Fact]
    public async Task A_rest_hook_written_earlier_is_judged_again_at_delivery_so_a_tightened_configuration_stops_it()
    {
        await using var hook = new HookListener(HttpStatusCode.OK);
        await using var api = new ApiFactory(settings: new Dictionary<string, string?> { ["Realtime:SubscriptionAttempts"] = "1" });
        var system = api.CreateClient();
        await SeedAsync(system);
        var parent = api.ClientAs(Parent);
        var subscription = await CreateAsync(parent, RestHook("Goal", hook.Url, null, "X-Hook-Key: geheim"));

        // The operator restricts rest-hooks (as Production always is) and the configuration is reloaded.
        var configuration = (IConfigurationRoot)api.Services.GetRequiredService<IConfiguration>();
        configuration["Subscriptions:RestHook:Restricted"] = "true";
        configuration.Reload();
        api.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<RestHookOptions>>().CurrentValue.Restricted.ShouldBeTrue();

        await PutAsync(system, Goal("rt-goal", "Na de wijziging"));
        var deadline = DateTime.UtcNow + Wait;
        Subscription current;
        do
        {
            current = await (await parent.GetAsync($"/fhir/Subscription/{subscription.Id}")).ReadAs<Subscription>();
            if (current.Status == Subscription.SubscriptionStatus.Error || DateTime.UtcNow > deadline) break;
            await System.Threading.Tasks.Task.Delay(50);
        } while (true);
        current.Status.ShouldBe(Subscription.SubscriptionStatus.Error, current.Error);
        current.Error.ShouldContain("https");
        hook.Drain().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.0.0.1", false)]
    [InlineData("172.16.5.4", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("192.168.0.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("::", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd12:3456::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("93.184.216.34", true)]
    [InlineData("2606:2800:220:1::1", true)]
    public void Only_public_addresses_may_receive_a_notification_in_production(string address, bool isPublic) =>
        RestHookRules.IsPublic(IPAddress.Parse(address)).ShouldBe(isPublic);

    [Fact]
    public void At_delivery_only_allowed_headers_are_sent_when_restricted()
    {
        string[] headers = ["Authorization: Bearer abc", "X-Hook-Key: geheim", "Host: intern"];
        RestHookRules.HeadersToSend(headers, new RestHookOptions { Restricted = true }).ShouldBe([("Authorization", "Bearer abc")]);
        RestHookRules.HeadersToSend(headers, new RestHookOptions { Restricted = true, AllowedHeaders = [] }).ShouldBeEmpty();
        RestHookRules.HeadersToSend(headers, new RestHookOptions()).Count().ShouldBe(3);
    }

    private static async Task<WebSocket> ConnectAsync(ApiFactory api, string token)
    {
        var client = api.Server.CreateWebSocketClient();
        client.ConfigureRequest = r => r.Headers.Authorization = "Bearer " + token;
        return await client.ConnectAsync(new Uri(api.Server.BaseAddress, "/ws/subscriptions"), CancellationToken.None);
    }

    private static Task SendAsync(WebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<string> ReceiveAsync(WebSocket socket)
    {
        using var cts = new CancellationTokenSource(Wait);
        var buffer = new byte[1024];
        var result = await socket.ReceiveAsync(buffer, cts.Token);
        return Encoding.UTF8.GetString(buffer, 0, result.Count);
    }

    /// <summary>A real HTTP endpoint on a free local port that records every request and answers with one status.</summary>
    internal sealed class HookListener : IAsyncDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Channel<(string Path, Dictionary<string, string> Headers, string Body)> _received = Channel.CreateUnbounded<(string, Dictionary<string, string>, string)>();
        private readonly System.Threading.Tasks.Task _loop;

        public HookListener(HttpStatusCode status)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _loop = System.Threading.Tasks.Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try { context = await _listener.GetContextAsync(); }
                    catch (Exception) { return; }
                    using var reader = new StreamReader(context.Request.InputStream);
                    var body = await reader.ReadToEndAsync();
                    var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
                    context.Response.StatusCode = (int)status;
                    context.Response.Close();
                    _received.Writer.TryWrite((context.Request.Url!.AbsolutePath, headers, body));
                }
            });
        }

        public string Url { get; }

        public async Task<(string Path, Dictionary<string, string> Headers, string Body)> NextAsync()
        {
            using var cts = new CancellationTokenSource(Wait);
            return await _received.Reader.ReadAsync(cts.Token);
        }

        public List<(string Path, Dictionary<string, string> Headers, string Body)> Drain()
        {
            var list = new List<(string, Dictionary<string, string>, string)>();
            while (_received.Reader.TryRead(out var r)) list.Add(r);
            return list;
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            _listener.Close();
            try { await _loop; } catch (Exception) { /* stopped */ }
        }
    }
}
