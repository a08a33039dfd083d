using Microsoft.AspNetCore.Components.Web;
using Pgo.Portal.Api;
using Pgo.Shared.Contracts;

namespace Pgo.Portal.Components.Pages;

/// <summary>The supporters' team space (/api/team): channels, threads with replies, the kennisbank, the signalled knelpunten, search, and the
/// guard that asks the author to look again before identifying data about a family is posted.</summary>
public partial class Team
{
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

    protected override async Task OnInitializedAsync()
    {
        await RunAsync(async () =>
        {
            var teams = await TeamApi.TeamsAsync();
            if (teams.Count > 0)
            {
                _team = await TeamApi.TeamAsync(teams[0].Id);
                if (_team.Channels.Count > 0) await LoadChannelAsync(_team.Channels[0]);
            }
        });
        _loaded = true;
    }

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
    }

    private Task OpenChannelAsync(ChannelView channel) => RunAsync(() => LoadChannelAsync(channel));

    private Task OpenThreadAsync(PostView root) => RunAsync(async () =>
    {
        _thread = await TeamApi.ThreadAsync(_team!.Id, root.Id);
        _findings = [];
    });

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
    });

    private Task OpenArticleAsync(ArticleSummary a) => RunAsync(async () => _article = await TeamApi.ArticleAsync(_team!.Id, a.Slug));

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
