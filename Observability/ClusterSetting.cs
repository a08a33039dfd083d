using Microsoft.Extensions.Configuration;

namespace Pgo.Observability;

/// <summary>
/// <c>Pgo:Cluster</c>, read the same way by the Api, Identity and the Portal (issue 23): a section whose
/// <c>Enabled</c> says "several instances of this app serve behind one balancer" (then each app refuses what cannot be
/// shared: keys in a local folder, a SQLite file); the Api adds <c>Pgo:Cluster:LeaseCheckSeconds</c>.
/// The older form, a value on the section itself (<c>Pgo:Cluster=true</c>, <c>Pgo__Cluster=true</c>), still counts as
/// <c>Enabled</c>; a value that is not true or false, or the two forms disagreeing, is refused at start by each app.
/// </summary>
public static class ClusterSetting
{
    public const string Section = "Pgo:Cluster";
    public const string EnabledKey = Section + ":Enabled";

    /// <summary>What the configuration says: <paramref name="Enabled"/>, or <paramref name="Invalid"/> naming the
    /// setting(s) and value(s) that cannot be read (then <paramref name="Enabled"/> is false).</summary>
    public readonly record struct Reading(bool Enabled, string? Invalid);

    public static Reading Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var older = section.Value;
        var current = section["Enabled"];
        bool? olderValue = null, currentValue = null;
        if (!string.IsNullOrWhiteSpace(older))
        {
            if (!bool.TryParse(older.Trim(), out var b)) return new(false, $"{Section}='{older}'");
            olderValue = b;
        }
        if (!string.IsNullOrWhiteSpace(current))
        {
            if (!bool.TryParse(current.Trim(), out var b)) return new(false, $"{EnabledKey}='{current}'");
            currentValue = b;
        }
        if (olderValue is { } o && currentValue is { } c && o != c)
            return new(false, $"{Section}='{older}' / {EnabledKey}='{current}'");
        return new(currentValue ?? olderValue ?? false, null);
    }
}
