using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Pgo.Api.Realtime;
using Pgo.Fhir.Access;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;

namespace Pgo.Api.Tests.Realtime;

/// <summary>
/// A small family for the real-time tests: client rt-child, the parent (regiehouder), a supporter with read on
/// doelen only (grant rt-support) and a stranger. Resources are written through /fhir with the system token.
/// </summary>
internal static class LiveFamily
{
    public const string Child = "rt-child";
    public const string Parent = "Person/rt-parent";
    public const string Supporter = "Person/rt-supporter";
    public const string Stranger = "Person/rt-stranger";
    public const string SupportGrant = "rt-support";

    public static async System.Threading.Tasks.Task SeedAsync(HttpClient system)
    {
        var support = Grants.Grant(SupportGrant, Child, "Practitioner/rt-supporter", PgoCodes.GrantRole.Ondersteuner, [PgoCodes.Section.Doelen]);
        var regie = Grants.Regie("rt-regie", Child, ["RelatedPerson/rt-parent"]);
        Resource[] resources =
        [
            new Patient { Id = Child, BirthDate = "2015-03-08", Name = [new HumanName { Family = "Live" }] },
            new RelatedPerson { Id = "rt-parent", Patient = new ResourceReference($"Patient/{Child}") },
            new Practitioner { Id = "rt-supporter" },
            new Practitioner { Id = "rt-stranger" },
            Link("rt-parent", "RelatedPerson/rt-parent"), Link("rt-supporter", "Practitioner/rt-supporter"), Link("rt-stranger", "Practitioner/rt-stranger"),
            regie, support,
            Goal("rt-goal", "Zwemmen"),
            Note("rt-note", "Eerste notitie"),
        ];
        foreach (var r in resources) (await system.PutAsync($"/fhir/{r.TypeName}/{r.Id}", r)).EnsureSuccessStatusCode();

        static Person Link(string id, string target) => new() { Id = id, Link = [new Person.LinkComponent { Target = new ResourceReference(target) }] };
    }

    public static Goal Goal(string id, string text) => new()
    {
        Id = id,
        LifecycleStatus = Hl7.Fhir.Model.Goal.GoalLifecycleStatus.Active,
        Subject = new ResourceReference($"Patient/{Child}"),
        Description = new CodeableConcept { Text = text },
    };

    public static DocumentReference Note(string id, string text) => new()
    {
        Id = id,
        Status = DocumentReferenceStatus.Current,
        Subject = new ResourceReference($"Patient/{Child}"),
        Category = [new CodeableConcept(PgoCodes.Section.System, PgoCodes.Section.Logboek)],
        Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { ContentType = "text/markdown", Data = System.Text.Encoding.UTF8.GetBytes(text) } }],
    };

    public static async System.Threading.Tasks.Task PutAsync(HttpClient client, Resource r) =>
        (await client.PutAsync($"/fhir/{r.TypeName}/{r.Id}", r)).EnsureSuccessStatusCode();
}

/// <summary>A dossier-hub connection that keeps every message it receives, in order.</summary>
internal sealed class LiveClient : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly Channel<(string Name, JsonElement Body)> _messages = Channel.CreateUnbounded<(string, JsonElement)>();

    private LiveClient(HubConnection connection)
    {
        Connection = connection;
        foreach (var name in new[] { LiveEvents.Change, LiveEvents.AccessRevoked, LiveEvents.AccessChanged, LiveEvents.Presence })
            connection.On<JsonElement>(name, body => _messages.Writer.TryWrite((name, body)));
    }

    public HubConnection Connection { get; }

    /// <summary>In process (TestServer, long polling: the test server has no real sockets).</summary>
    public static LiveClient InProcess(ApiFactory api, string token, string? language = null) => new(new HubConnectionBuilder()
        .WithUrl(new Uri(api.Server.BaseAddress, "/hubs/dossier"), o =>
        {
            o.Transports = HttpTransportType.LongPolling;
            if (language is not null) o.Headers["Accept-Language"] = language;
            o.HttpMessageHandlerFactory = _ => api.Server.CreateHandler();
            o.AccessTokenProvider = () => System.Threading.Tasks.Task.FromResult<string?>(token);
        })
        .Build());

    /// <summary>Over a real WebSocket to a running Api (the token goes in the query string).</summary>
    public static LiveClient Remote(Uri baseAddress, string token) => new(new HubConnectionBuilder()
        .WithUrl(new Uri(baseAddress, "/hubs/dossier"), o =>
        {
            o.Transports = HttpTransportType.WebSockets;
            o.SkipNegotiation = true;
            o.AccessTokenProvider = () => System.Threading.Tasks.Task.FromResult<string?>(token);
        })
        .Build());

    public async Task<JoinResult> StartAndJoinAsync(string patient, long? after = null)
    {
        if (Connection.State == HubConnectionState.Disconnected) await Connection.StartAsync();
        return await Connection.InvokeAsync<JoinResult>("JoinDossier", patient, after);
    }

    public async Task<(string Name, JsonElement Body)> NextAsync()
    {
        using var cts = new CancellationTokenSource(Wait);
        return await _messages.Reader.ReadAsync(cts.Token);
    }

    /// <summary>The next "change" message (skipping presence lists).</summary>
    public async Task<ChangeMessage> NextChangeAsync()
    {
        while (true)
        {
            var (name, body) = await NextAsync();
            if (name == LiveEvents.Presence) continue;
            name.ShouldBe(LiveEvents.Change, body.ToString());
            return body.Deserialize<ChangeMessage>(JsonSerializerOptions.Web)!;
        }
    }

    /// <summary>Everything received so far, without waiting.</summary>
    public List<(string Name, JsonElement Body)> Drain()
    {
        var list = new List<(string, JsonElement)>();
        while (_messages.Reader.TryRead(out var m)) list.Add(m);
        return list;
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
