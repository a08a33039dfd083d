using System.Reflection;

namespace Pgo.Tests.Shared;

/// <summary>
/// Checks docs/settings.md against the options classes (issue 15: "which settings exist" from one file). A root is an
/// options class with a <c>Section</c> constant (or a section given for a class that has none); its settable
/// properties are keys <c>Section:Property</c>, and a property whose type is itself an options class adds its keys
/// under <c>Section:Property:</c>. Linked into the test projects that can load the assemblies.
/// </summary>
internal static class SettingsDocument
{
    public static string Text { get; } = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "settings.md"));

    /// <summary>Every key of the options classes in <paramref name="assemblies"/> that docs/settings.md does not name
    /// (as <c>`Key`</c>), plus every options class that is neither a root nor reached from one.</summary>
    public static List<string> Missing(IEnumerable<Assembly> assemblies, IReadOnlyDictionary<Type, string>? sections = null)
    {
        var types = assemblies.SelectMany(LoadableTypes)
            .Where(t => t.IsClass && t.Name.EndsWith("Options", StringComparison.Ordinal) && t.Namespace?.StartsWith("Pgo.", StringComparison.Ordinal) == true)
            .ToList();
        var reached = new HashSet<Type>();
        var missing = new List<string>();
        foreach (var type in types)
        {
            var section = sections?.GetValueOrDefault(type)
                ?? type.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string;
            if (section is not null) Walk(type, section, reached, missing);
        }
        missing.AddRange(types.Where(t => !reached.Contains(t)).Select(t => $"{t.FullName} has no Section and is reached from none"));
        return missing;
    }

    /// <summary>The assembly's types; an assembly loaded from a build output may have types this process cannot load
    /// (framework types of a web project): the options classes are plain and load.</summary>
    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>();
        }
    }

    private static void Walk(Type type, string prefix, HashSet<Type> reached, List<string> missing)
    {
        reached.Add(type);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is not { IsPublic: true } || typeof(Delegate).IsAssignableFrom(property.PropertyType)) continue;
            var key = $"{prefix}:{property.Name}";
            if (property.PropertyType.IsClass && property.PropertyType.Name.EndsWith("Options", StringComparison.Ordinal))
                Walk(property.PropertyType, key, reached, missing);
            else if (!Text.Contains($"`{key}`", StringComparison.Ordinal))
                missing.Add(key);
        }
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Pgo.sln"))) return folder.FullName;
        throw new InvalidOperationException("Pgo.sln not found above " + AppContext.BaseDirectory);
    }
}
