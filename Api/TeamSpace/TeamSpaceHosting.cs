using Microsoft.Extensions.Options;
using Pgo.Api.Fhir;
using Pgo.Api.Hosting;
using Pgo.Api.TeamSpace.Articles;
using Pgo.Api.TeamSpace.Attachments;
using Pgo.Api.TeamSpace.Data;
using Pgo.Api.TeamSpace.Demo;
using Pgo.Api.TeamSpace.Live;
using Pgo.Api.TeamSpace.Posts;
using Pgo.Api.TeamSpace.Safety;
using Pgo.Api.TeamSpace.Search;
using Pgo.Api.TeamSpace.Teams;
using Pgo.Shared.Text;

namespace Pgo.Api.TeamSpace;

/// <summary>Registers the team space. Its database: ConnectionStrings:TeamSpace ("Host=..." is PostgreSQL), else SQLite in {Pgo:DataDirectory}/teamspace.db.</summary>
public static class TeamSpaceHosting
{
    public static WebApplicationBuilder AddTeamSpace(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        // Resolved when first used, not now: test hosts and deployments add configuration after this call.
        string DataDirectory(IServiceProvider sp) => FhirHosting.DataDirectory(sp);
        builder.Services.AddOptions<TeamSpaceOptions>().BindConfiguration(TeamSpaceOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<TeamSpaceOptions>>().Value);
        builder.Services.AddSingleton(sp =>
        {
            var cs = config.GetConnectionString("TeamSpace");
            return TeamSpaceDatabase.FromConnectionString(string.IsNullOrWhiteSpace(cs) ? Path.Combine(DataDirectory(sp), "teamspace.db") : cs);
        });
        // Blob storage when configured (Storage:Blobs, as for dossier documents); the data folder otherwise.
        builder.Services.AddSingleton<ITeamAttachmentStore>(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.Blobs is { Length: > 0 } blobs
            ? new BlobAttachmentStore(Files.DocumentBlobs.Connect(blobs, sp.GetRequiredService<TeamSpaceOptions>().AttachmentContainer))
            : new LocalDiskAttachmentStore(Path.Combine(DataDirectory(sp), "teamspace-files")));
        builder.Services.AddSingleton<FhirCaseloadNames>();
        builder.Services.AddSingleton<ICaseloadNames>(sp => sp.GetRequiredService<FhirCaseloadNames>());
        builder.Services.AddSingleton<MarkdownRenderer>();
        builder.Services.AddSingleton<DeidentificationGuard>();
        builder.Services.AddSingleton<TeamDirectory>();
        builder.Services.AddSingleton<TeamSpaceAuthorization>();
        builder.Services.AddSingleton<TeamSearch>();
        builder.Services.AddSingleton<SearchService>();
        builder.Services.AddSingleton<TeamHubConnections>();
        builder.Services.AddSingleton<TeamLive>();
        builder.Services.AddSingleton<TeamService>();
        builder.Services.AddSingleton<PostViews>();
        builder.Services.AddSingleton<PostService>();
        builder.Services.AddSingleton<ArticleService>();
        builder.Services.AddSingleton<AttachmentService>();
        builder.Services.AddSignalR();
        // Migrations (and the demo team, when Pgo:LoadDemoData) before the first request.
        builder.Services.AddHostedService<TeamSpaceStartup>();
        return builder;
    }
}

/// <summary>Brings the team-space schema up to date at start-up and loads the demo team when asked.</summary>
internal sealed class TeamSpaceStartup(IServiceProvider services, IOptions<PgoOptions> pgo, IHostEnvironment environment) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await services.GetRequiredService<TeamSpaceDatabase>().MigrateAsync(cancellationToken);
        if (pgo.Value.DemoData(environment))
            await ActivatorUtilities.CreateInstance<TeamSpaceDemoData>(services).LoadAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
