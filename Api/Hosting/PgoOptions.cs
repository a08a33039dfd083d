namespace Pgo.Api.Hosting;

/// <summary>The Api's keys directly under <c>Pgo</c> (docs/settings.md): where its files live and what it loads at start.</summary>
public sealed class PgoOptions
{
    public const string Section = "Pgo";

    /// <summary>Folder for the SQLite files, team-space files and the invitation-feed cursor; default <c>&lt;contentRoot&gt;/../data</c>.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Loads the demo families, team and documents at start; unset: true in Development, else false.</summary>
    public bool? LoadDemoData { get; set; }

    /// <summary>Loads the project's CodeSystems and ValueSets at start.</summary>
    public bool LoadTerminology { get; set; } = true;

    /// <summary>The data folder: <see cref="DataDirectory"/>, else <c>&lt;contentRoot&gt;/../data</c>.</summary>
    public string DataFolder(IHostEnvironment environment) =>
        DataDirectory is { Length: > 0 } dir ? dir : Path.GetFullPath(Path.Combine(environment.ContentRootPath, "..", "data"));

    /// <summary>Whether the demo data loads: <see cref="LoadDemoData"/>, else only in Development.</summary>
    public bool DemoData(IHostEnvironment environment) => LoadDemoData ?? environment.IsDevelopment();
}
