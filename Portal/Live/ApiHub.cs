using Microsoft.AspNetCore.SignalR.Client;
using Pgo.Portal.Api;
using Pgo.Portal.Auth;

namespace Pgo.Portal.Live;

/// <summary>
/// A connection from the Portal server to one of the Api's hubs (<c>/hubs/dossier</c>, <c>/hubs/notifications</c>,
/// <c>/hubs/team</c>): the person's access token as <c>access_token</c> (the hubs' WebSocket rule), their language (the
/// hub's refusals come in it, as the Api's other answers: Hosting/AcceptLanguageHandler), and reconnecting for as long
/// as the circuit lives.
/// </summary>
internal static class ApiHub
{
    public static HubConnection Build(PgoApi api, PortalOptions options, string path)
    {
        var url = new Uri(new Uri(options.ApiUrl.TrimEnd('/') + "/"), path);
        return new HubConnectionBuilder()
            .WithUrl(url, o =>
            {
                // Straight to a WebSocket, no negotiate round trip: behind a balancer with several Api instances the
                // negotiate answer and the connection could land on different instances (./pgo cluster, infra/cluster.sh).
                o.SkipNegotiation = true;
                o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
                o.AccessTokenProvider = api.AccessTokenAsync;
                if (Hosting.AcceptLanguageHandler.Current() is { } language) o.Headers["Accept-Language"] = language;
            })
            .WithAutomaticReconnect(new Forever())
            .Build();
    }

    /// <summary>At once, then every 2 s a few times, then every 10 s: a page open all day keeps trying.</summary>
    private sealed class Forever : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext context) =>
            context.PreviousRetryCount switch { 0 => TimeSpan.Zero, < 4 => TimeSpan.FromSeconds(2), _ => TimeSpan.FromSeconds(10) };
    }
}
