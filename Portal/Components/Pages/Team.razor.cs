using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components;
using Pgo.Portal.Api;
using Pgo.Portal.Components.Shared;
using Pgo.Portal.Live;
using Pgo.Shared.Contracts;

namespace Pgo.Portal.Components.Pages;

/// <summary>The supporters' team space (/api/team): channels, threads with replies, the kennisbank, the signalled knelpunten, search, and the
/// guard that asks the author to look again before identifying data about a family is posted.</summary>
public partial class Team : IAsyncDisposable, ITeamPostHost
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
    private string? _postTitle;
    private List<AttachmentView> _postAttachments = [];
    private List<AttachmentView> _replyAttachments = [];
    private IReadOnlyList<MemberView> _members = [];
    private IReadOnlyList<PostView>? _flagged;
    private readonly Dictionary<long, string?> _requestReasons = [];
    private long? _highlight;
    private bool _leaving;
    /// <summary>Why the team is closed on this screen (left, or access ended elsewhere): shown instead of the team.</summary>
    private string? _ended;
    private bool _leftByMe;
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
                _leftByMe = false;
                _team = await TeamApi.TeamAsync(chosen.Id);
                _members = await TeamApi.MembersAsync(_team.Id);
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

    /// <summary>Live: every change the team hub sends. A new post in a channel that is not open brings its mark at once; in the
    /// open channel or thread it shows in place (read, as the person is looking at it); an edit, deletion, reaction or pin
    /// replaces the post where it is on screen; the end of access closes the team.</summary>
    private async Task WatchAsync()
    {
        _feed ??= new TeamFeed(Wire, PortalOptions, Logs.CreateLogger<TeamFeed>());
        _feed.PostCreated -= OnPostCreatedAsync;
        _feed.PostCreated += OnPostCreatedAsync;
        _feed.PostEdited -= OnPostChangedAsync;
        _feed.PostEdited += OnPostChangedAsync;
        _feed.PostDeleted -= OnPostChangedAsync;
        _feed.PostDeleted += OnPostChangedAsync;
        _feed.ReactionsChanged -= OnPostChangedAsync;
        _feed.ReactionsChanged += OnPostChangedAsync;
        _feed.PinChanged -= OnPostChangedAsync;
        _feed.PinChanged += OnPostChangedAsync;
        _feed.AccessEnded -= OnAccessEndedAsync;
        _feed.AccessEnded += OnAccessEndedAsync;
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
            else if (_thread is { } open && post.ThreadId == open.Root.Id && ShowsThread)
            {
                _thread = await TeamApi.ThreadAsync(_team.Id, open.Root.Id);
                await TeamApi.MarkReadAsync(_team.Id, post.ChannelId);
            }
            else if (_channel?.Id == post.ChannelId && post.ThreadId is { } root && _threads.Any(t => t.Id == root))
            {
                _threads = await TeamApi.ThreadsAsync(_team.Id, post.ChannelId); // the reply count of the thread in the list
            }
            await LoadUnreadAsync(); // the Api counts others' posts only: one's own brings no mark
        });
        StateHasChanged();
    });

    /// <summary>An edit, deletion, reaction or pin: the post is replaced where it is on screen. The hub's view is the same for
    /// everyone, so the guard's mark (shown only to the author and moderators) is read again from the Api when it is there.</summary>
    private Task OnPostChangedAsync(PostView post) => InvokeAsync(async () =>
    {
        if (_team is null || post.TeamId != _team.Id) return;
        await RunAsync(async () =>
        {
            var shown = _threads.Any(t => t.Id == post.Id) || (_thread is { } t && (t.Root.Id == post.Id || t.Replies.Any(r => r.Id == post.Id)));
            if (!shown) return;
            var fresh = post.Deleted ? post : await TeamApi.GetPostAsync(_team.Id, post.Id);
            _threads = _threads.Select(t => t.Id == fresh.Id ? fresh : t).ToList();
            if (_thread is { } open)
                _thread = open.Root.Id == fresh.Id ? open with { Root = fresh } : open with { Replies = open.Replies.Select(r => r.Id == fresh.Id ? fresh : r).ToList() };
        });
        StateHasChanged();
    });

    /// <summary>The person may no longer read the team (left on another device, removed by the coach) or one channel. The hub
    /// tells it per channel group the connection was in, so the screen asks the Api what is still open: the team (404: closed
    /// here, with a Dutch message) and which of its channels.</summary>
    private Task OnAccessEndedAsync(TeamAccessEnded ended) => InvokeAsync(async () =>
    {
        // Our own "Team verlaten" tells the hub too: that screen closes with its own message, not this one.
        if (_team is null || ended.TeamId != _team.Id || _leftByMe) return;
        TeamView? now = null;
        try
        {
            now = await TeamApi.TeamAsync(_team.Id);
        }
        catch (ApiException e) when (e.Status is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Forbidden)
        {
            // Closed meanwhile (left here while the Api was asked): keep that message.
            if (_team?.Id == ended.TeamId && !_leftByMe) await CloseTeamAsync(Text["U heeft geen toegang meer tot dit team."], fromHub: true);
        }
        catch (ApiException) { return; } // the Api is away: the next call decides
        catch (SignInRequiredException) { return; }
        if (now is not null && _team?.Id == ended.TeamId)
        {
            _team = now;
            if (_channel is { } open && now.Channels.All(c => c.Id != open.Id))
            {
                _channel = null;
                _thread = null;
                _threads = [];
                Snackbar.Add(Text["Dit kanaal is niet meer voor u open."], MudBlazor.Severity.Info);
            }
        }
        StateHasChanged();
    });

    /// <summary>The team is closed on this screen: the feed stops and nothing of the team stays on screen.</summary>
    /// <param name="fromHub">Called from a hub event: the connection is stopped after the handler returns (stopping it inside its
    /// own handler could wait on itself).</param>
    private async Task CloseTeamAsync(string why, bool fromHub = false)
    {
        if (_feed is { } feed)
        {
            _feed = null;
            if (fromHub) _ = Task.Run(async () => await feed.DisposeAsync());
            else await feed.DisposeAsync();
        }
        _team = null;
        _channel = null;
        _thread = null;
        _threads = [];
        _articles = null;
        _article = null;
        _results = null;
        _bottlenecks = null;
        _flagged = null;
        _members = [];
        _leaving = false;
        _ended = why;
    }

    /// <summary>Leaves the team (after the person confirmed): access ends at once, also live.</summary>
    private Task LeaveAsync() => _team is not { } team ? Task.CompletedTask : RunAsync(async () =>
    {
        _leftByMe = true;
        try
        {
            await TeamApi.LeaveAsync(team.Id);
        }
        catch
        {
            _leftByMe = false;
            throw;
        }
        await CloseTeamAsync(string.Format(System.Globalization.CultureInfo.CurrentCulture, Text["U heeft {0} verlaten."], team.Name));
    });

    /// <summary>After a drop the hub sends nothing of what was missed: the open channel or thread and the marks are read again.</summary>
    private Task OnReconnectedAsync() => InvokeAsync(async () =>
    {
        if (_team is null) return;
        await RunAsync(async () =>
        {
            if (_thread is { } open && ShowsThread) _thread = await TeamApi.ThreadAsync(_team.Id, open.Root.Id);
            else if (_channel is { } channel && ShowsChannel) _threads = await TeamApi.ThreadsAsync(_team.Id, channel.Id);
            await LoadUnreadAsync();
        });
        StateHasChanged();
    });

    /// <summary>The open channel's list of threads is on screen (no thread, article, search or knelpunten over it).</summary>
    private bool ShowsChannel => _thread is null && ShowsThread;

    /// <summary>Nothing over the open thread (or channel): no article, search, knelpunten or marks.</summary>
    private bool ShowsThread => _articles is null && _article is null && _results is null && _bottlenecks is null && _flagged is null;

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
        _flagged = null;
        _highlight = null;
        _findings = [];
        _postAttachments = [];
        _threads = await TeamApi.ThreadsAsync(_team!.Id, channel.Id);
        // Opening a channel is reading it: its mark goes, on every device (the marker is kept by the Api).
        if (Unread(channel) > 0) _unread[channel.Id] = (await TeamApi.MarkReadAsync(_team.Id, channel.Id)).Unread;
    }

    private Task OpenChannelAsync(ChannelView channel) => RunAsync(() => LoadChannelAsync(channel));

    private Task OpenThreadAsync(PostView root) => OpenPostAsync(root.Id, null);

    /// <summary>Opens a thread, in its channel, with <paramref name="highlight"/> marked (a search hit, a mark of the guard).</summary>
    private Task OpenPostAsync(long threadId, long? highlight) => RunAsync(async () =>
    {
        var thread = await TeamApi.ThreadAsync(_team!.Id, threadId);
        if (_channel?.Id != thread.Root.ChannelId && _team.Channels.FirstOrDefault(c => c.Id == thread.Root.ChannelId) is { } channel)
            await LoadChannelAsync(channel);
        _results = null;
        _flagged = null;
        _bottlenecks = null;
        _articles = null;
        _article = null;
        _thread = thread;
        _highlight = highlight;
        _findings = [];
        _replyAttachments = [];
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

    /// <summary>A hit opens the article (by its slug) or the post in its thread, marked.</summary>
    private Task OpenResultAsync(SearchResultView hit)
    {
        if (hit.Kind == "article" && hit.Slug is { } slug)
            return OpenArticleAsync(new ArticleSummary(hit.Id, slug, hit.Title, "", [], 0, hit.UpdatedAt, null));
        return OpenPostAsync(hit.ThreadId ?? hit.Id, hit.Id);
    }

    /// <summary>Posts a new thread (<paramref name="replyTo"/> null) or a reply. When the guard flags the text, nothing is
    /// saved: the findings are shown and the text stays, until the author changes it or confirms.</summary>
    private async Task SendAsync(long? replyTo, bool confirmed)
    {
        var text = replyTo is null ? _postText : _replyText;
        if (string.IsNullOrWhiteSpace(text) || _channel is null) return;
        var attachments = (replyTo is null ? _postAttachments : _replyAttachments).Select(a => a.Id).ToList();
        var channelId = _thread?.Root.ChannelId ?? _channel.Id;
        PostResult? result = null;
        if (!await RunAsync(async () => result = await TeamApi.PostAsync(_team!.Id, channelId, replyTo, replyTo is null ? _postTitle : null, text, confirmed, attachments))) return;
        _findings = result!.Findings;
        if (result.Post is null) return;
        Snackbar.Add(Text["Geplaatst."], MudBlazor.Severity.Success);
        if (replyTo is null)
        {
            _postText = null;
            _postTitle = null;
            _postAttachments = [];
            await RunAsync(async () => _threads = await TeamApi.ThreadsAsync(_team!.Id, _channel.Id));
        }
        else
        {
            _replyText = null;
            _replyAttachments = [];
            await RunAsync(async () => _thread = await TeamApi.ThreadAsync(_team!.Id, replyTo.Value));
        }
    }

    // ---------------------------------------------------------------- what a person does with a post (ITeamPostHost)

    /// <summary>The person's member key, found by their handle in the team's members.</summary>
    public string? MyKey => _members.FirstOrDefault(m => m.Handle == _team?.MyHandle)?.Key;

    /// <summary>Coaches and experts moderate (the Api decides again on every call).</summary>
    public bool MayModerate => _team?.MyRole is "coach" or "expert";

    public IReadOnlyList<MemberView> Members => _members;

    public async Task<IReadOnlyList<GuardFinding>?> SaveEditAsync(PostView post, string? title, string body, bool confirmed)
    {
        PostResult? result = null;
        // Only the author edits here (a moderator deletes with a reason instead).
        if (!await RunAsync(async () => result = await TeamApi.EditPostAsync(_team!.Id, post.Id, post.ThreadId is null ? title : null, body, confirmed))) return [];
        if (result!.Post is null) return result.Findings;
        Replace(result.Post);
        Snackbar.Add(Text["Opgeslagen."], MudBlazor.Severity.Success);
        return null;
    }

    public async Task<bool> DeleteAsync(PostView post, string? reason)
    {
        PostView? gone = null;
        if (!await RunAsync(async () => gone = await TeamApi.DeletePostAsync(_team!.Id, post.Id, reason))) return false;
        Replace(gone!);
        Snackbar.Add(Text["Het bericht is verwijderd."], MudBlazor.Severity.Success);
        StateHasChanged();
        return true;
    }

    public async Task ReactAsync(PostView post, string emoji, bool add)
    {
        PostView? changed = null;
        if (await RunAsync(async () => changed = await TeamApi.ReactAsync(_team!.Id, post.Id, emoji, add))) Replace(changed!);
        StateHasChanged();
    }

    public async Task PinAsync(PostView post, bool pin)
    {
        PostView? changed = null;
        if (await RunAsync(async () => changed = await TeamApi.PinAsync(_team!.Id, post.Id, pin)))
        {
            Replace(changed!);
            Snackbar.Add(pin ? Text["Vastgezet bovenaan het kanaal."] : Text["Niet meer vastgezet."], MudBlazor.Severity.Success);
        }
        StateHasChanged();
    }

    /// <summary>Puts the Api's new view of a post wherever it is on screen.</summary>
    private void Replace(PostView post)
    {
        _threads = _threads.Select(t => t.Id == post.Id ? post : t).ToList();
        if (_thread is { } open)
            _thread = open.Root.Id == post.Id ? open with { Root = post } : open with { Replies = open.Replies.Select(r => r.Id == post.Id ? post : r).ToList() };
    }

    // ---------------------------------------------------------------- the coach's marks

    /// <summary>The posts saved despite the guard's warning (coach and experts): open marks first.</summary>
    private Task OpenFlaggedAsync() => RunAsync(async () =>
    {
        _flagged = await TeamApi.FlaggedAsync(_team!.Id);
        _thread = null;
        _articles = null;
        _article = null;
        _results = null;
        _bottlenecks = null;
    });

    private Task RequestEditAsync(PostView post) => _requestReasons.GetValueOrDefault(post.Id) is not { } reason ? Task.CompletedTask : RunAsync(async () =>
    {
        await TeamApi.RequestEditAsync(_team!.Id, post.Id, reason.Trim());
        _requestReasons.Remove(post.Id);
        _flagged = await TeamApi.FlaggedAsync(_team.Id);
    }, Text["De schrijver is gevraagd het bericht aan te passen."]);

    private Task FlagHandledAsync(PostView post) => RunAsync(async () =>
    {
        await TeamApi.FlagHandledAsync(_team!.Id, post.Id);
        _flagged = await TeamApi.FlaggedAsync(_team.Id);
    }, Text["In orde."]);

    private string FlagState(PostView post) => post.Flag switch
    {
        { HandledAt: { } at } => string.Format(System.Globalization.CultureInfo.CurrentCulture, Text["In orde bevonden door {0} op {1}."], post.Flag.HandledBy, DateTime(at)),
        { EditRequestedAt: { } at } => string.Format(System.Globalization.CultureInfo.CurrentCulture, Text["Op {0} om aanpassing gevraagd: {1}"], DateTime(at), post.Flag.EditRequestReason),
        { ConfirmedFindings: var kinds } => string.Format(System.Globalization.CultureInfo.CurrentCulture, Text["Toch geplaatst na een waarschuwing ({0})."], string.Join(", ", kinds)),
        _ => "",
    };

    // ---------------------------------------------------------------- the channel's list

    /// <summary>The pinned threads on top (newest pin first), then the rest in the Api's order.</summary>
    private static IEnumerable<PostView> PinnedFirst(IReadOnlyList<PostView> threads) =>
        threads.Where(t => t.PinnedAt is not null).OrderByDescending(t => t.PinnedAt).Concat(threads.Where(t => t.PinnedAt is null));

    /// <summary>A thread's title, or else the first line of its text (at most 80 characters).</summary>
    private static string ThreadTitle(PostView post)
    {
        if (!string.IsNullOrWhiteSpace(post.Title)) return post.Title;
        var line = post.Body.Split('\n', 2)[0].Trim().TrimStart('#', ' ');
        return line.Length > 80 ? line[..80] + "…" : line;
    }

}
