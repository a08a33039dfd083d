using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using Pgo.Api.Fhir;
using Pgo.Fhir;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;

namespace Pgo.Api.Realtime.Subscriptions;

/// <summary>
/// The R4 websocket channel at <c>/ws/subscriptions</c>: the client sends <c>bind &lt;id&gt;</c>, the server reads that
/// Subscription AS THE CALLER (only its owner can: others get <c>error &lt;id&gt;</c>, as for one that does not exist)
/// and answers <c>bound &lt;id&gt;</c>; each matching change then sends <c>ping &lt;id&gt;</c>. The token goes in the
/// Authorization header or, for browsers, as <c>access_token</c> in the query string.
/// </summary>
public sealed class SubscriptionSockets
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Bound, byte>> _bound = new(StringComparer.Ordinal);

    private sealed class Bound(WebSocket socket)
    {
        public WebSocket Socket { get; } = socket;
        public SemaphoreSlim Send { get; } = new(1, 1);
    }

    public async System.Threading.Tasks.Task PingAsync(string subscriptionId, CancellationToken ct)
    {
        if (!_bound.TryGetValue(subscriptionId, out var set)) return;
        foreach (var bound in set.Keys) await SendAsync(bound, $"ping {subscriptionId}", ct);
    }

    /// <summary>Unbinds every socket of a Subscription that is no longer active.</summary>
    public System.Threading.Tasks.Task CloseAsync(string subscriptionId, CancellationToken ct)
    {
        _bound.TryRemove(subscriptionId, out _);
        return System.Threading.Tasks.Task.CompletedTask;
    }

    private static async System.Threading.Tasks.Task SendAsync(Bound bound, string text, CancellationToken ct)
    {
        await bound.Send.WaitAsync(ct);
        try
        {
            if (bound.Socket.State == WebSocketState.Open)
                await bound.Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, ct);
        }
        catch (WebSocketException) { /* the client went away; the receive loop cleans up */ }
        finally { bound.Send.Release(); }
    }

    internal async System.Threading.Tasks.Task RunAsync(HttpContext http, FhirRepository repository)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        var caller = FhirHttp.Caller(http);
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var bound = new Bound(socket);
        var ids = new List<string>();
        var ct = http.RequestAborted;
        var buffer = new byte[1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, ct);
                if (result.MessageType == WebSocketMessageType.Close) break;
                if (!result.EndOfMessage) { await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, "te lang", ct); break; }
                var text = Encoding.UTF8.GetString(buffer, 0, result.Count).Trim();
                if (!text.StartsWith("bind ", StringComparison.Ordinal)) { await SendAsync(bound, "error onbekend bericht", ct); continue; }
                var id = text["bind ".Length..].Trim();
                if (await IsOwnWebsocketSubscriptionAsync(repository, caller, http, id, ct))
                {
                    _bound.GetOrAdd(id, _ => new()).TryAdd(bound, 0);
                    ids.Add(id);
                    await SendAsync(bound, $"bound {id}", ct);
                }
                else await SendAsync(bound, $"error {id}", ct);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
        finally
        {
            foreach (var id in ids)
                if (_bound.TryGetValue(id, out var set)) set.TryRemove(bound, out _);
        }
    }

    private static async Task<bool> IsOwnWebsocketSubscriptionAsync(FhirRepository repository, Pgo.Fhir.Access.CallerContext caller, HttpContext http, string id, CancellationToken ct)
    {
        try
        {
            // An audited read through the repository: only the owner (and system clients) can read a Subscription.
            var read = await repository.ReadAsync(new FhirContext(caller, $"{http.Request.Scheme}://{http.Request.Host}/fhir"), "Subscription", id, ct);
            return FhirJson.Parse(read.Stored!.Json) is Hl7.Fhir.Model.Subscription
            {
                Status: Hl7.Fhir.Model.Subscription.SubscriptionStatus.Active,
                Channel.Type: Hl7.Fhir.Model.Subscription.SubscriptionChannelType.Websocket,
            };
        }
        catch (FhirException)
        {
            return false;
        }
    }
}
