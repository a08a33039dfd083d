using StackExchange.Redis;

namespace Pgo.Api.Realtime;

/// <summary>
/// The one Redis connection of an instance (SignalR:Redis): the SignalR backplane (hub groups and clients across
/// instances), the "outbox has new rows" message that wakes the other instances' dispatchers at once, and the
/// presence lists.
/// </summary>
public sealed class RedisBackplane(string configuration, ILogger<RedisBackplane> logger) : IAsyncDisposable
{
    private static readonly RedisChannel Committed = RedisChannel.Literal("pgo:outbox:committed");
    private readonly Lazy<Task<ConnectionMultiplexer>> _connection = new(() => ConnectionMultiplexer.ConnectAsync(configuration));

    public Task<ConnectionMultiplexer> ConnectionAsync() => _connection.Value;

    public async Task<IDatabase> DatabaseAsync() => (await ConnectionAsync()).GetDatabase();

    public void PublishCommitted() => _ = PublishAsync();

    private async Task PublishAsync()
    {
        try
        {
            await (await ConnectionAsync()).GetSubscriber().PublishAsync(Committed, "1", CommandFlags.FireAndForget);
        }
        catch (Exception e)
        {
            // The other instances still poll; a lost nudge only delays their delivery.
            logger.LogWarning(e, "Real time: could not tell the other instances about new outbox rows");
        }
    }

    public async Task SubscribeCommittedAsync(Action wake) =>
        await (await ConnectionAsync()).GetSubscriber().SubscribeAsync(Committed, (_, _) => wake());

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated) await (await _connection.Value).DisposeAsync();
    }
}
