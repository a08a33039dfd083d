using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Pgo.Api.Errors;
using Pgo.Api.Hosting;
using Pgo.Api.TeamSpace.Articles;
using Pgo.Api.TeamSpace.Attachments;
using Pgo.Api.TeamSpace.Live;
using Pgo.Api.TeamSpace.Posts;
using Pgo.Api.TeamSpace.Search;
using Pgo.Api.TeamSpace.Signalling;
using Pgo.Api.TeamSpace.Teams;
using Pgo.Shared.Contracts;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Pgo.Api.TeamSpace;

/// <summary>
/// The supporters' team space under <c>/api/team</c> and its hub at <c>/hubs/team</c>. Routes are listed here;
/// handlers only read the request, ask the services (which decide through <see cref="TeamSpaceAuthorization"/>)
/// and return typed results; refusals take the Api's one error path (Api/Errors/README.md).
/// </summary>
public static class TeamSpaceApi
{
    public static IEndpointRouteBuilder MapTeamSpaceApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/team").WithApiErrors().AddEndpointFilter(RequireCaller).WithTags("Teamruimte");

        api.MapGet("/teams", MyTeams);
        api.MapPost("/teams", CreateTeam);
        api.MapGet("/teams/{teamId:long}", GetTeam);
        api.MapGet("/teams/{teamId:long}/members", Members);
        api.MapPost("/teams/{teamId:long}/members", AddMember);
        api.MapDelete("/teams/{teamId:long}/members/{handle}", RemoveMember);
        api.MapPost("/teams/{teamId:long}/channels", CreateChannel);
        api.MapPut("/teams/{teamId:long}/channels/{channelId:long}/guests/{handle}", OpenChannelToGuest);
        api.MapDelete("/teams/{teamId:long}/channels/{channelId:long}/guests/{handle}", CloseChannelToGuest);
        api.MapPut("/teams/{teamId:long}/channels/{channelId:long}/follow", Follow);
        api.MapDelete("/teams/{teamId:long}/channels/{channelId:long}/follow", Unfollow);

        api.MapGet("/teams/{teamId:long}/channels/{channelId:long}/threads", Threads);
        api.MapPost("/teams/{teamId:long}/channels/{channelId:long}/threads", CreateThread);
        api.MapGet("/teams/{teamId:long}/channels/{channelId:long}/pinned", Pinned);
        api.MapPost("/teams/{teamId:long}/channels/{channelId:long}/read", MarkRead);
        api.MapPost("/teams/{teamId:long}/channels/{channelId:long}/attachments", Upload);
        api.MapGet("/teams/{teamId:long}/unread", Unread);

        api.MapGet("/teams/{teamId:long}/posts/{postId:long}", GetPost);
        api.MapGet("/teams/{teamId:long}/posts/{postId:long}/thread", Thread);
        api.MapPost("/teams/{teamId:long}/posts/{postId:long}/replies", Reply);
        api.MapPut("/teams/{teamId:long}/posts/{postId:long}", EditPost);
        api.MapDelete("/teams/{teamId:long}/posts/{postId:long}", DeletePost);
        api.MapPut("/teams/{teamId:long}/posts/{postId:long}/reactions/{emoji}", AddReaction);
        api.MapDelete("/teams/{teamId:long}/posts/{postId:long}/reactions/{emoji}", RemoveReaction);
        api.MapPut("/teams/{teamId:long}/posts/{postId:long}/pin", Pin);
        api.MapDelete("/teams/{teamId:long}/posts/{postId:long}/pin", Unpin);
        api.MapPut("/teams/{teamId:long}/posts/{postId:long}/bottleneck", MarkBottleneck);
        api.MapDelete("/teams/{teamId:long}/posts/{postId:long}/bottleneck", UnmarkBottleneck);
        api.MapPost("/teams/{teamId:long}/posts/{postId:long}/promote", Promote);
        api.MapGet("/teams/{teamId:long}/attachments/{attachmentId:long}", Download);

        api.MapGet("/teams/{teamId:long}/bottlenecks", Bottlenecks);
        api.MapGet("/teams/{teamId:long}/moderation", ModerationLog);
        api.MapGet("/teams/{teamId:long}/flagged", Flagged);
        api.MapPost("/teams/{teamId:long}/posts/{postId:long}/edit-request", RequestEdit);
        api.MapPost("/teams/{teamId:long}/posts/{postId:long}/flag-handled", FlagHandled);
        api.MapGet("/teams/{teamId:long}/search", Search);

        api.MapGet("/teams/{teamId:long}/articles", Articles);
        api.MapPost("/teams/{teamId:long}/articles", CreateArticle);
        api.MapGet("/teams/{teamId:long}/articles/{slug}", Article);
        api.MapPut("/teams/{teamId:long}/articles/{slug}", EditArticle);
        api.MapGet("/teams/{teamId:long}/articles/{slug}/versions", Versions);
        api.MapGet("/teams/{teamId:long}/articles/{slug}/versions/{version:int}", Version);
        api.MapGet("/teams/{teamId:long}/articles/{slug}/diff", Diff);
        api.MapPost("/teams/{teamId:long}/articles/{slug}/review", Review);
        api.MapPost("/teams/{teamId:long}/articles/{slug}/review-request", RequestReview);

        api.MapGet("/notifications", Notifications);
        api.MapPost("/notifications/read", ReadNotifications);

        // Anything else under /api/team (also an id that is not a number): a ProblemDetails, not an empty 404.
        app.MapFallbackAnswer("/api/team/{**rest}", () => Problem(TeamError.NotFound(ApiText.TeamRouteNotFound)));
        app.MapHub<TeamHub>("/hubs/team");
        app.MapSignallingApi();
        return app;
    }

    // ---------------------------------------------------------------- teams, members, channels

    private static async Task<Ok<IReadOnlyList<TeamSummary>>> MyTeams(HttpContext http, TeamService teams) =>
        TypedResults.Ok(await teams.MyTeamsAsync(Caller(http), http.RequestAborted));

    private static async Task<Results<Created<TeamView>, ProblemHttpResult>> CreateTeam(HttpContext http, TeamService teams)
    {
        var request = await BodyAsync<CreateTeamRequest>(http);
        return Created(await teams.CreateTeamAsync(Caller(http), request, http.RequestAborted), t => $"/api/team/teams/{t.Id}");
    }

    private static async Task<Results<Ok<TeamView>, ProblemHttpResult>> GetTeam(long teamId, HttpContext http, TeamService teams) =>
        Ok(await teams.GetAsync(await AccessAsync(http, teamId), http.RequestAborted));

    private static async Task<Results<Ok<IReadOnlyList<MemberView>>, ProblemHttpResult>> Members(long teamId, HttpContext http, TeamService teams) =>
        Ok(await teams.MembersAsync(await AccessAsync(http, teamId), http.RequestAborted));

    private static async Task<Results<Ok<MemberView>, ProblemHttpResult>> AddMember(long teamId, HttpContext http, TeamService teams) =>
        Ok(await teams.AddMemberAsync(await AccessAsync(http, teamId), await BodyAsync<AddMemberRequest>(http), http.RequestAborted));

    private static async Task<Results<Ok<MemberView>, ProblemHttpResult>> RemoveMember(long teamId, string handle, HttpContext http, TeamService teams) =>
        Ok(await teams.RemoveMemberAsync(await AccessAsync(http, teamId), handle, http.RequestAborted));

    private static async Task<Results<Created<ChannelView>, ProblemHttpResult>> CreateChannel(long teamId, HttpContext http, TeamService teams) =>
        Created(await teams.CreateChannelAsync(await AccessAsync(http, teamId), await BodyAsync<CreateChannelRequest>(http), http.RequestAborted),
            ch => $"/api/team/teams/{teamId}/channels/{ch.Id}/threads");

    private static async Task<Results<Ok<MemberView>, ProblemHttpResult>> OpenChannelToGuest(long teamId, long channelId, string handle, HttpContext http, TeamService teams) =>
        Ok(await teams.SetGuestAccessAsync(await AccessAsync(http, teamId), channelId, handle, open: true, http.RequestAborted));

    private static async Task<Results<Ok<MemberView>, ProblemHttpResult>> CloseChannelToGuest(long teamId, long channelId, string handle, HttpContext http, TeamService teams) =>
        Ok(await teams.SetGuestAccessAsync(await AccessAsync(http, teamId), channelId, handle, open: false, http.RequestAborted));

    private static async Task<Results<Ok<ChannelView>, ProblemHttpResult>> Follow(long teamId, long channelId, HttpContext http, TeamService teams) =>
        Ok(await teams.FollowAsync(await AccessAsync(http, teamId), channelId, follow: true, http.RequestAborted));

    private static async Task<Results<Ok<ChannelView>, ProblemHttpResult>> Unfollow(long teamId, long channelId, HttpContext http, TeamService teams) =>
        Ok(await teams.FollowAsync(await AccessAsync(http, teamId), channelId, follow: false, http.RequestAborted));

    // ---------------------------------------------------------------- conversation

    private static async Task<Results<Ok<IReadOnlyList<PostView>>, ProblemHttpResult>> Threads(long teamId, long channelId, HttpContext http, PostViews views) =>
        Ok(await views.ThreadsAsync(await AccessAsync(http, teamId), channelId, QueryLong(http, "before"), (int)(QueryLong(http, "limit") ?? 30), http.RequestAborted));

    private static async Task<Results<Created<PostView>, ProblemHttpResult>> CreateThread(long teamId, long channelId, HttpContext http, PostService posts) =>
        Created(await posts.CreateAsync(await AccessAsync(http, teamId), channelId, null, await BodyAsync<WritePostRequest>(http), http.RequestAborted), PostUrl);

    private static async Task<Results<Created<PostView>, ProblemHttpResult>> Reply(long teamId, long postId, HttpContext http, PostService posts) =>
        Created(await posts.CreateAsync(await AccessAsync(http, teamId), 0, postId, await BodyAsync<WritePostRequest>(http), http.RequestAborted), PostUrl);

    private static async Task<Results<Ok<PostView>, ProblemHttpResult>> GetPost(long teamId, long postId, HttpContext http, PostViews views) =>
        Ok(await views.GetAsync(await AccessAsync(http, teamId), postId, http.RequestAborted));

    private static async Task<Results<Ok<ThreadView>, ProblemHttpResult>> Thread(long teamId, long postId, HttpContext http, PostViews views) =>
        Ok(await views.ThreadAsync(await AccessAsync(http, teamId), postId, http.RequestAborted));

    private static async Task<Results<Ok<PostView>, ProblemHttpResult>> EditPost(long teamId, long postId, HttpContext http, PostService posts) =>
        Ok(await posts.EditAsync(await AccessAsync(http, teamId), postId, await BodyAsync<WritePostRequest>(http), http.RequestAborted));

    private static async Task<Results<Ok<PostView>, ProblemHttpResult>> DeletePost(long teamId, long postId, HttpContext http, PostService posts) =>
        Ok(await posts.DeleteAsync(await AccessAsync(http, teamId), postId, http.Request.Query["reason"].FirstOrDefault(), http.RequestAborted));

    private static async Task<Results<Ok<PostView>, ProblemHttpResult>> AddReaction(long teamId, long postId, string emoji, HttpContext http, PostService posts) =>
        Ok(await posts.ReactAsync(await AccessAsync(http, teamId), postId, emoji, add: true, http.RequestAborted));

    private static async Task<Results<Ok<PostView>, ProblemHttpResult>> RemoveReaction(long teamId, long postId, string emoji, HttpContext http, PostService posts) =>
        Ok(await posts.ReactAsync(await AccessAsync(http, teamId), postId, emoji, add: false, http.RequestAborted));

    private static async Task<Results<Ok<PostView>, ProblemHttpResult>> Pin(long teamId, long postId, HttpContext http, PostService posts) =>
        Ok(await posts.PinAsync(await AccessAsync(http, teamId), postId, pin: true, http.RequestAborted));

    private static async Task<Results<Ok<PostView>, ProblemHttpResult>> Unpin(long teamId, long postId, HttpContext http, PostService posts) =>
        Ok(await posts.PinAsync(await AccessAsync(http, teamId), postId, pin: false, http.RequestAborted));

    private static async Task<Results<Ok<IReadOnlyList<PostView>>, ProblemHttpResult>> Pinned(long teamId, long channelId, HttpContext http, PostViews views) =>
        Ok(await views.PinnedAsync(await AccessAsync(http, teamId), channelId, http.RequestAborted));

    private static async Task<Results<Ok<UnreadView>, ProblemHttpResult>> MarkRead(long teamId, long channelId, HttpContext http, PostService posts) =>
        Ok(await posts.MarkReadAsync(await AccessAsync(http, teamId), channelId, QueryLong(http, "upTo"), http.RequestAborted));

    private static async Task<Results<Ok<IReadOnlyList<UnreadView>>, ProblemHttpResult>> Unread(long teamId, HttpContext http, PostViews views)
    {
        var access = await AccessAsync(http, teamId);
        if (TeamSpaceAuthorization.Check(access, TeamOperation.ReadTeam) is { } refused) return Problem(refused);
        return TypedResults.Ok(await views.UnreadAsync(access, http.RequestAborted));
    }

    private static async Task<Ok<IReadOnlyList<TeamNotificationView>>> Notifications(HttpContext http, PostViews views) =>
        TypedResults.Ok(await views.NotificationsAsync(Caller(http), http.Request.Query["unread"] == "true", http.RequestAborted));

    private static async Task<NoContent> ReadNotifications(HttpContext http, PostViews views)
    {
        var request = await BodyAsync<ReadNotificationsRequest>(http);
        await views.MarkNotificationsReadAsync(Caller(http), request.Ids, http.RequestAborted);
        return TypedResults.NoContent();
    }

    // ---------------------------------------------------------------- signalling, moderation, search, attachments

    private static async Task<Results<Ok<PostView>, ProblemHttpResult>> MarkBottleneck(long teamId, long postId, HttpContext http, SignalService signals) =>
        Ok(await signals.MarkAsync(await AccessAsync(http, teamId), postId, await BodyAsync<SignalRequest>(http), http.RequestAborted));

    private static async Task<Results<Ok<PostView>, ProblemHttpResult>> UnmarkBottleneck(long teamId, long postId, HttpContext http, SignalService signals) =>
        Ok(await signals.MarkAsync(await AccessAsync(http, teamId), postId, null, http.RequestAborted));

    private static async Task<Results<Ok<IReadOnlyList<BottleneckBundle>>, ProblemHttpResult>> Bottlenecks(long teamId, HttpContext http, PostViews views) =>
        Ok(await views.BottlenecksAsync(await AccessAsync(http, teamId), http.RequestAborted));

    private static async Task<Results<Ok<IReadOnlyList<ModerationEntry>>, ProblemHttpResult>> ModerationLog(long teamId, HttpContext http, PostViews views) =>
        Ok(await views.ModerationLogAsync(await AccessAsync(http, teamId), http.RequestAborted));

    private static async Task<Results<Ok<IReadOnlyList<PostView>>, ProblemHttpResult>> Flagged(long teamId, HttpContext http, PostViews views) =>
        Ok(await views.FlaggedAsync(await AccessAsync(http, teamId), http.RequestAborted));

    private static async Task<Results<Ok<PostView>, ProblemHttpResult>> RequestEdit(long teamId, long postId, HttpContext http, PostService posts) =>
        Ok(await posts.RequestEditAsync(await AccessAsync(http, teamId), postId, await BodyAsync<EditRequestBody>(http), http.RequestAborted));

    private static async Task<Results<Ok<PostView>, ProblemHttpResult>> FlagHandled(long teamId, long postId, HttpContext http, PostService posts) =>
        Ok(await posts.FlagHandledAsync(await AccessAsync(http, teamId), postId, http.RequestAborted));

    private static async Task<Results<Ok<IReadOnlyList<SearchResultView>>, ProblemHttpResult>> Search(long teamId, HttpContext http, SearchService search)
    {
        var q = http.Request.Query;
        return Ok(await search.SearchAsync(await AccessAsync(http, teamId), q["q"].FirstOrDefault(), QueryLong(http, "channel"), q["tag"].FirstOrDefault(),
            q["author"].FirstOrDefault(), q["kind"].FirstOrDefault(), (int)(QueryLong(http, "limit") ?? 20), http.RequestAborted));
    }

    private static async Task<Results<Created<AttachmentView>, ProblemHttpResult>> Upload(long teamId, long channelId, HttpContext http, AttachmentService attachments) =>
        Created(await attachments.UploadAsync(await AccessAsync(http, teamId), channelId, http.Request.Query["name"].FirstOrDefault(), http.Request.ContentType, http.Request.Body, http.RequestAborted), a => a.Url);

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> Download(long teamId, long attachmentId, HttpContext http, AttachmentService attachments)
    {
        var result = await attachments.DownloadAsync(await AccessAsync(http, teamId), attachmentId, http.RequestAborted);
        if (result.Error is { } error) return Problem(error);
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.File(result.Value!.Content, result.Value.ContentType, result.Value.FileName);
    }

    // ---------------------------------------------------------------- kennisbank

    private static async Task<Results<Ok<IReadOnlyList<ArticleSummary>>, ProblemHttpResult>> Articles(long teamId, HttpContext http, ArticleService articles) =>
        Ok(await articles.ListAsync(await AccessAsync(http, teamId), http.Request.Query["tag"].FirstOrDefault(), http.Request.Query["category"].FirstOrDefault(), http.RequestAborted));

    private static async Task<Results<Created<ArticleView>, ProblemHttpResult>> CreateArticle(long teamId, HttpContext http, ArticleService articles) =>
        Created(await articles.CreateAsync(await AccessAsync(http, teamId), await BodyAsync<WriteArticleRequest>(http), http.RequestAborted), ArticleUrl);

    private static async Task<Results<Ok<ArticleView>, ProblemHttpResult>> Article(long teamId, string slug, HttpContext http, ArticleService articles) =>
        Ok(await articles.GetAsync(await AccessAsync(http, teamId), slug, http.RequestAborted));

    private static async Task<Results<Ok<ArticleView>, ProblemHttpResult>> EditArticle(long teamId, string slug, HttpContext http, ArticleService articles) =>
        Ok(await articles.EditAsync(await AccessAsync(http, teamId), slug, await BodyAsync<WriteArticleRequest>(http), http.RequestAborted));

    private static async Task<Results<Ok<IReadOnlyList<ArticleVersionView>>, ProblemHttpResult>> Versions(long teamId, string slug, HttpContext http, ArticleService articles) =>
        Ok(await articles.VersionsAsync(await AccessAsync(http, teamId), slug, http.RequestAborted));

    private static async Task<Results<Ok<ArticleVersionView>, ProblemHttpResult>> Version(long teamId, string slug, int version, HttpContext http, ArticleService articles) =>
        Ok(await articles.VersionAsync(await AccessAsync(http, teamId), slug, version, http.RequestAborted));

    private static async Task<Results<Ok<ArticleDiff>, ProblemHttpResult>> Diff(long teamId, string slug, HttpContext http, ArticleService articles) =>
        Ok(await articles.DiffAsync(await AccessAsync(http, teamId), slug, (int?)QueryLong(http, "from"), (int?)QueryLong(http, "to"), http.RequestAborted));

    private static async Task<Results<Ok<ArticleView>, ProblemHttpResult>> Review(long teamId, string slug, HttpContext http, ArticleService articles) =>
        Ok(await articles.ReviewAsync(await AccessAsync(http, teamId), slug, http.RequestAborted));

    private static async Task<Results<Ok<ArticleView>, ProblemHttpResult>> RequestReview(long teamId, string slug, HttpContext http, ArticleService articles) =>
        Ok(await articles.RequestReviewAsync(await AccessAsync(http, teamId), slug, await BodyAsync<ReviewRequestBody>(http), http.RequestAborted));

    private static async Task<Results<Created<ArticleView>, ProblemHttpResult>> Promote(long teamId, long postId, HttpContext http, ArticleService articles) =>
        Created(await articles.PromoteAsync(await AccessAsync(http, teamId), postId, await BodyAsync<PromoteRequest>(http), http.RequestAborted), ArticleUrl);

    // ---------------------------------------------------------------- plumbing (also used by SignallingApi)

    public sealed record ReadNotificationsRequest(IReadOnlyList<long>? Ids);

    private const string CallerItem = "Pgo.TeamSpace.Caller";

    /// <summary>Every route needs an authenticated caller (a refusal raised below is answered by the error filter around this one).</summary>
    internal static ValueTask<object?> RequireCaller(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (TeamCaller.From(http.User) is not { } caller) return ValueTask.FromResult<object?>(Problem(TeamError.Unauthenticated()));
        http.Items[CallerItem] = caller;
        return next(context);
    }

    internal static TeamCaller Caller(HttpContext http) => (TeamCaller)http.Items[CallerItem]!;

    private static Task<TeamAccess> AccessAsync(HttpContext http, long teamId) =>
        http.RequestServices.GetRequiredService<TeamSpaceAuthorization>().AccessAsync(Caller(http), teamId, http.RequestAborted);

    /// <summary>The JSON body, or a refusal (400) when it is missing or not JSON of the expected shape.</summary>
    internal static async Task<T> BodyAsync<T>(HttpContext http) where T : class
    {
        var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(http.Request.Body, options, http.RequestAborted)
                ?? throw new TeamRefusal(TeamError.Invalid("body", ApiText.TeamJsonObjectRequired));
        }
        catch (JsonException e)
        {
            throw new TeamRefusal(TeamError.Invalid("body", ApiProblem.Text(ApiText.TeamJsonInvalid, e.Message)));
        }
    }

    /// <summary>An optional whole-number query parameter; anything else is a 400.</summary>
    private static long? QueryLong(HttpContext http, string name)
    {
        var raw = http.Request.Query[name].FirstOrDefault();
        if (string.IsNullOrEmpty(raw)) return null;
        return long.TryParse(raw, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= int.MaxValue
            ? value
            : throw new TeamRefusal(TeamError.Invalid(name, ApiText.TeamIntegerExpected));
    }

    private static string PostUrl(PostView p) => $"/api/team/teams/{p.TeamId}/posts/{p.Id}";

    private static string ArticleUrl(ArticleView a) => $"/api/team/teams/{a.TeamId}/articles/{a.Slug}";

    internal static ProblemHttpResult Problem(TeamError e) => ApiErrors.Problem(e.Status, e.Detail, e.Title, e.Extensions);

    internal static Results<Ok<T>, ProblemHttpResult> Ok<T>(Outcome<T> outcome) =>
        outcome.Error is { } e ? Problem(e) : TypedResults.Ok(outcome.Value!);

    private static Results<Created<T>, ProblemHttpResult> Created<T>(Outcome<T> outcome, Func<T, string> location) =>
        outcome.Error is { } e ? Problem(e) : TypedResults.Created(location(outcome.Value!), outcome.Value!);
}
