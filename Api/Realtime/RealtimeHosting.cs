using Pgo.Api.Hosting;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Pgo.Api.Realtime.CoWriting;
using Pgo.Api.Realtime.Subscriptions;
using Pgo.Fhir.Rest;

namespace Pgo.Api.Realtime;

/// <summary>
/// Registers real time: the dossier hub, the outbox dispatcher, presence, the co-writing note API and, when
/// <c>SignalR:Redis</c> is set, the Redis backplane (without it SignalR stays in process: one instance).
/// </summary>
public static class RealtimeHosting
{
    public static WebApplicationBuilder AddRealtime(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SignalROptions>().BindConfiguration(SignalROptions.Section).ValidateOnStart();
        builder.Services.AddOptions<RealtimeOptions>().BindConfiguration(RealtimeOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<RealtimeOptions>>().Value);
        builder.Services.AddSingleton<LiveConnections>();
        builder.Services.AddSingleton<PersonNames>();
        builder.Services.AddSingleton<ChangeDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ChangeDispatcher>());
        builder.Services.AddSingleton<SubscriptionSockets>();
        builder.Services.AddHostedService<SubscriptionNotifier>();
        var signalR = builder.Services.AddSignalR(o =>
        {
            o.MaximumReceiveMessageSize = 64 * 1024;
            // Every hub's open connections, as pgo.hub.connections (Api/Hosting/ApiMetrics.cs).
            Microsoft.AspNetCore.SignalR.HubOptionsExtensions.AddFilter(o, new ApiMetrics.HubConnectionCounter());
        });
        // Whether the backplane is registered at all is decided here, at registration, from the configuration known now;
        // the connection string itself is read from the bound options when the backplane is made.
        if (builder.Configuration[$"{SignalROptions.Section}:{nameof(SignalROptions.Redis)}"] is { Length: > 0 })
        {
            builder.Services.AddSingleton(sp => new RedisBackplane(
                sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<SignalROptions>>().Value.Redis!,
                sp.GetRequiredService<ILogger<RedisBackplane>>()));
            builder.Services.AddSingleton(sp => new PresenceBoard(sp.GetRequiredService<RedisBackplane>()));
            signalR.AddStackExchangeRedis();
            // One Redis connection per instance, shared by the backplane, the dispatcher's wake-up messages and presence.
            builder.Services.AddOptions<RedisOptions>().Configure<RedisBackplane>((o, backplane) =>
            {
                o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal("pgo");
                o.ConnectionFactory = async _ => await backplane.ConnectionAsync();
            });
        }
        else
        {
            builder.Services.AddSingleton(_ => new PresenceBoard());
        }
        builder.Services.AddSingleton<NoteService>();
        return builder;
    }

    public static WebApplication MapRealtime(this WebApplication app)
    {
        app.MapHub<DossierHub>("/hubs/dossier", o => o.CloseOnAuthenticationExpiration = true);
        // FHIR R4 Subscription, websocket channel (the rest-hook channel needs no endpoint of ours).
        app.UseWebSockets();
        app.Map("/ws/subscriptions", (HttpContext http, SubscriptionSockets sockets, FhirRepository repository) => sockets.RunAsync(http, repository))
            .RequireAuthorization();
        return app;
    }
}
