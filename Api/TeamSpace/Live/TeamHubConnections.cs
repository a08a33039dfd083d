using System.Collections.Concurrent;

namespace Pgo.Api.TeamSpace.Live;

/// <summary>
/// Which hub connection belongs to which member and sits in which channel groups, so that a member who
/// leaves (or a guest whose channel is closed) can be taken out of the groups at once.
/// Per process: with several Api instances the removal must reach each (the backplane work of the real-time issue).
/// </summary>
public sealed class TeamHubConnections
{
    private sealed record Connection(string MemberKey)
    {
        public HashSet<(long TeamId, long ChannelId)> Channels { get; } = [];
    }

    private readonly ConcurrentDictionary<string, Connection> _connections = new();

    public void Connected(string connectionId, string memberKey) => _connections[connectionId] = new Connection(memberKey);

    public void Disconnected(string connectionId) => _connections.TryRemove(connectionId, out _);

    public void Joined(string connectionId, long teamId, long channelId)
    {
        if (!_connections.TryGetValue(connectionId, out var c)) return;
        lock (c) c.Channels.Add((teamId, channelId));
    }

    public void Left(string connectionId, long teamId, long channelId)
    {
        if (!_connections.TryGetValue(connectionId, out var c)) return;
        lock (c) c.Channels.Remove((teamId, channelId));
    }

    /// <summary>The connections of <paramref name="memberKey"/> in the team's channels (all, or only <paramref name="channelId"/>), removed from this registry.</summary>
    public IReadOnlyList<(string ConnectionId, long ChannelId)> TakeMember(string memberKey, long teamId, long? channelId = null)
    {
        var taken = new List<(string, long)>();
        foreach (var (id, c) in _connections)
        {
            if (c.MemberKey != memberKey) continue;
            lock (c)
            {
                foreach (var ch in c.Channels.Where(ch => ch.TeamId == teamId && (channelId is null || ch.ChannelId == channelId)).ToList())
                {
                    c.Channels.Remove(ch);
                    taken.Add((id, ch.ChannelId));
                }
            }
        }
        return taken;
    }
}
