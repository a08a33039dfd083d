using System.Collections.Concurrent;

namespace Pgo.Api.TeamSpace.Live;

/// <summary>
/// Which hub connection belongs to which member and sits in which channel groups and kennisbank groups, so that a member
/// who leaves (or a guest whose channel is closed) can be taken out of the groups at once.
/// Per process: with several Api instances the removal must reach each (the backplane work of the real-time issue).
/// </summary>
public sealed class TeamHubConnections
{
    private sealed record Connection(string MemberKey)
    {
        public HashSet<(long TeamId, long ChannelId)> Channels { get; } = [];
        public HashSet<long> Kennisbanks { get; } = [];
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

    /// <summary>The connection follows the team's kennisbank (<c>articleChanged</c>).</summary>
    public void JoinedKennisbank(string connectionId, long teamId)
    {
        if (!_connections.TryGetValue(connectionId, out var c)) return;
        lock (c) c.Kennisbanks.Add(teamId);
    }

    public void LeftKennisbank(string connectionId, long teamId)
    {
        if (!_connections.TryGetValue(connectionId, out var c)) return;
        lock (c) c.Kennisbanks.Remove(teamId);
    }

    /// <summary>
    /// The connections of <paramref name="memberKey"/> in the team: per connection the channel groups it is taken out of (all,
    /// or only <paramref name="channelId"/>) and whether it is taken out of the team's kennisbank group (only when the whole
    /// team ends, <paramref name="channelId"/> null). Removed from this registry.
    /// </summary>
    public IReadOnlyList<(string ConnectionId, IReadOnlyList<long> Channels, bool Kennisbank)> Take(string memberKey, long teamId, long? channelId = null)
    {
        var taken = new List<(string, IReadOnlyList<long>, bool)>();
        foreach (var (id, c) in _connections)
        {
            if (c.MemberKey != memberKey) continue;
            lock (c)
            {
                var channels = c.Channels.Where(ch => ch.TeamId == teamId && (channelId is null || ch.ChannelId == channelId)).ToList();
                foreach (var ch in channels) c.Channels.Remove(ch);
                var kennisbank = channelId is null && c.Kennisbanks.Remove(teamId);
                if (channels.Count > 0 || kennisbank) taken.Add((id, channels.Select(ch => ch.ChannelId).ToList(), kennisbank));
            }
        }
        return taken;
    }
}
