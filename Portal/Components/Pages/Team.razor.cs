using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components;
using Pgo.Portal.Api;
using Pgo.Portal.Components.Shared;
using Pgo.Portal.Live;
using Pgo.Shared.Contracts;

namespace Pgo.Portal.Components.Pages;

/// <summary>The supporters' team space (/api/team): channels, threads with replies, the kennisbank, the signalled knelpunten, search, and the
/// guard that asks the author to look again before identifying data about a family is posted.</summary>
public partial class Team : IAsyncDisposable
{
    [Inject] private PgoApi Wire { get; set; } = default!;
    [Inject] private Microsoft.Extensions.Options.IOptions<Pgo.Portal.Auth.PortalOptions> PortalOptions { get; set; } = default!;
    [Inject] private ILoggerFactory Logs { get; set; } = default!;
    private TeamFeed? _feed;

    private bool _loaded;
    private TeamView? _team;
    private ChannelView? _channel;
    private IReadOnlyList<PostView> _threads = [];
    private ThreadView? _thread;
    private IReadOnlyList<ArticleSummary>? _articles;
    private ArticleView? _article;
    private IReadOnlyList<SearchResultView>? _results;
    private IReadOnlyList<BottleneckBundle>? _bottlenecks;
    private IReadOnlyList<GuardFinding> _findings = [];
    private string? _query;
    private string? _postText;
    private string? _replyText;
    private Dictionary<long, int> _unread = [];
    private (long? Team, long? Post, string? Artikel)? _opened;

    /// <summary>A notification's link (<see cref="TeamLinks"/>): the team, and the post whose thread or the article to open.</summary>
    [SupplyParameterFromQuery(Name = "team")] public long? TeamParam { get; set; }
    [SupplyParameterFromQuery(Name = "post")] public long? PostParam { get; set; }
    [SupplyParameterFromQuery(Name = "artikel")] public string? ArtikelParam { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        // The bell links here while the page may already be open: a new link opens its item, the same one does nothing.
        var link = (TeamParam, PostParam, ArtikelParam);
        if (_opened == link) return;
        _opened = link;
        await RunAsync(async () =>
        {
            var teams = await TeamApi.TeamsAsync();
            var chosen = teams.FirstOrDefault(t => t.Id == TeamParam) ?? teams.FirstOrDefault();
            if (chosen is null) return;
            if (_team?.Id != chosen.Id)
            {
                _team = await TeamApi.TeamAsync(chosen.Id);
                await WatchAsync();
            }
            await LoadUnreadAsync();
            if (PostParam is { } post)
            {
                var thread = await TeamApi.ThreadAsync(_team.Id, post);
                await LoadChannelAsync(_team.Channels.FirstOrDefault(c => c.Id == thread.Root.ChannelId) ?? _team.Channels[0]);
                _thread = thread;
                await ThreadReadAsync(thread);
            }
            else if (!string.IsNullOrEmpty(ArtikelParam))
            {
                _articles = await TeamApi.ArticlesAsync(_team.Id);
                _article = await TeamApi.ArticleAsync(_team.Id, ArtikelParam);
                await TeamApi.MarkBellReadAsync([$"team/{_team.Id}/article/{_article.Slug}"]);
            }
            else if (_channel is null && _team.Channels.Count > 0)
            {
                await LoadChannelAsync(_team.Channels[0]);
            }
        });
        _loaded = true;
    }

    /// <summary>Live: a new post in a channel that is not open brings its mark at once; in the open channel it shows in the list
    /// (read, as the person is looking at it).</summary>
    private async Task WatchAsync()
    {
        _feed ??= new TeamFeed(Wire, PortalOptions, Logs.CreateLogger<TeamFeed>());
        _feed.PostCreated -= OnPostCreatedAsync;
        _feed.PostCreated += OnPostCreatedAsync;
        _feed.Reconnected -= OnReconnectedAsync;
        _feed.Reconnected += OnReconnectedAsync;
        await _feed.WatchAsync(_team!.Id, _team.Channels.Select(c => c.Id).ToList());
    }

    private Task OnPostCreatedAsync(PostView post) => InvokeAsync(async () =>
    {
        if (_team is null || post.TeamId != _team.Id) return;
        await RunAsync(async () =>
        {
            if (_channel?.Id == post.ChannelId && post.ThreadId is null && ShowsChannel)
            {
                _threads = await TeamApi.ThreadsAsync(_team.Id, post.ChannelId);
                await TeamApi.MarkReadAsync(_team.Id, post.ChannelId);
            }
            await LoadUnreadAsync(); // the Api counts others' posts only: one's own brings no mark
        });
        StateHasChanged();
    });

    private Task OnReconnectedAsync() => InvokeAsync(async () =>
    {
        if (_team is null) return;
        await RunAsync(LoadUnreadAsync);
        StateHasChanged();
    });

    /// <summary>The open channel's list of threads is on screen (no thread, article, search or knelpunten over it).</summary>
    private bool ShowsChannel => _thread is null && _articles is null && _article is null && _results is null && _bottlenecks is null;

    public async ValueTask DisposeAsync()
    {
        if (_feed is not null) await _feed.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private async Task LoadUnreadAsync() =>
        _unread = (await TeamApi.UnreadAsync(_team!.Id)).ToDictionary(u => u.ChannelId, u => u.Unread);

    private int Unread(ChannelView channel) => _unread.GetValueOrDefault(channel.Id);

    /// <summary>Follows the open channel or stops following it: a new kennisbank article there becomes a notification.</summary>
    private Task ToggleFollowAsync() => _channel is not { } channel ? Task.CompletedTask : RunAsync(async () =>
    {
        var changed = await TeamApi.FollowAsync(_team!.Id, channel.Id, !channel.Following);
        _team = _team with { Channels = _team.Channels.Select(c => c.Id == changed.Id ? changed : c).ToList() };
        _channel = changed;
        Snackbar.Add(changed.Following ? Text["U volgt dit kanaal."] : Text["U volgt dit kanaal niet meer."], MudBlazor.Severity.Success);
    });

    private async Task LoadChannelAsync(ChannelView channel)
    {
        _channel = channel;
        _thread = null;
        _articles = null;
        _article = null;
        _results = null;
        _bottlenecks = null;
        _findings = [];
        _threads = await TeamApi.ThreadsAsync(_team!.Id, channel.Id);
        // Opening a channel is reading it: its mark goes, on every device (the marker is kept by the Api).
        if (Unread(channel) > 0) _unread[channel.Id] = (await TeamApi.MarkReadAsync(_team.Id, channel.Id)).Unread;
    }

    private Task OpenChannelAsync(ChannelView channel) => RunAsync(() => LoadChannelAsync(channel));

    private Task OpenThreadAsync(PostView root) => RunAsync(async () =>
    {
        _thread = await TeamApi.ThreadAsync(_team!.Id, root.Id);
        _findings = [];
        await ThreadReadAsync(_thread);
    });

    /// <summary>What the bell says about a thread (a mention in it, a reply in it) is read once the thread is open.</summary>
    private Task ThreadReadAsync(ThreadView thread) =>
        TeamApi.MarkBellReadAsync([.. new[] { thread.Root }.Concat(thread.Replies).Take(1000).Select(p => $"team/{_team!.Id}/post/{p.Id}")]);

    private Task OpenArticlesAsync() => RunAsync(async () =>
    {
        _articles = await TeamApi.ArticlesAsync(_team!.Id);
        _article = null;
        _thread = null;
        _results = null;
        _bottlenecks = null;
    });

    /// <summary>The knelpunten in the stelsel the team signalled, per instantie and theme: what the copilots bring to the
    /// gemeente or the ministry together.</summary>
    private Task OpenBottlenecksAsync() => RunAsync(async () =>
    {
        _bottlenecks = await TeamApi.BottlenecksAsync(_team!.Id);
        _articles = null;
        _article = null;
        _thread = null;
        _results = null;
    });

    /// <summary>Opens the thread a signalled post belongs to.</summary>
    private Task OpenSignalledAsync(BottleneckPost post) => RunAsync(async () =>
    {
        _thread = await TeamApi.ThreadAsync(_team!.Id, post.ThreadId ?? post.PostId);
        _bottlenecks = null;
        _findings = [];
        await ThreadReadAsync(_thread);
    });

    private Task OpenArticleAsync(ArticleSummary a) => RunAsync(async () =>
    {
        _article = await TeamApi.ArticleAsync(_team!.Id, a.Slug);
        await TeamApi.MarkBellReadAsync([$"team/{_team.Id}/article/{a.Slug}"]);
    });

    private async Task SearchKeyAsync(KeyboardEventArgs e)
    {
        if (e.Key == "Enter") await SearchAsync();
    }

    private Task SearchAsync() => string.IsNullOrWhiteSpace(_query) ? Task.CompletedTask
        : RunAsync(async () => _results = await TeamApi.SearchTeamAsync(_team!.Id, _query.Trim()));

    /// <summary>Posts a new thread (<paramref name="replyTo"/> null) or a reply. When the guard flags the text, nothing is
    /// saved: the findings are shown and the text stays, until the author changes it or confirms.</summary>
    private async Task SendAsync(long? replyTo, bool confirmed)
    {
        var text = replyTo is null ? _postText : _replyText;
        if (string.IsNullOrWhiteSpace(text) || _channel is null) return;
        PostResult? result = null;
        if (!await RunAsync(async () => result = await TeamApi.PostAsync(_team!.Id, _channel.Id, replyTo, text, confirmed))) return;
        _findings = result!.Findings;
        if (result.Post is null) return;
        Snackbar.Add(Text["Geplaatst."], MudBlazor.Severity.Success);
        if (replyTo is null)
        {
            _postText = null;
            await RunAsync(async () => _threads = await TeamApi.ThreadsAsync(_team!.Id, _channel.Id));
        }
        else
        {
            _replyText = null;
            await RunAsync(async () => _thread = await TeamApi.ThreadAsync(_team!.Id, replyTo.Value));
        }
    }

    private static string Excerpt(string body) => body.Length > 160 ? body[..160] + "…" : body;
}
