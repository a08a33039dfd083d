using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pgo.Shared.Evidence;

/// <summary>Reading a business-case model from JSON (the shipped model, a programme's adjusted copy): camelCase
/// properties, numbers as decimals. A document that is no JSON, does not fit the records or fails
/// <see cref="BusinessCaseValidation"/> yields Dutch problems, never an exception.</summary>
public static class BusinessCaseModels
{
    /// <summary>The resource name of the project's default model: seed 004's four family types, version 1.</summary>
    public const string Seed004ResourceName = "Pgo.Shared.Evidence.Models.seed-004-v1.json";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
    };

    private static readonly Lazy<BusinessCaseModel> SeedModel = new(() =>
    {
        using var stream = typeof(BusinessCaseModels).Assembly.GetManifestResourceStream(Seed004ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {Seed004ResourceName} is missing.");
        using var reader = new StreamReader(stream);
        var (model, problems) = Parse(reader.ReadToEnd());
        return problems.Count == 0 && model is not null
            ? model
            : throw new InvalidOperationException("The shipped model seed-004-v1 is invalid: " + string.Join(" ", problems.Select(p => $"{p.Path}: {p.Message}")));
    });

    /// <summary>The project's default model, seed 004 (Models/seed-004-v1.json), validated once.</summary>
    public static BusinessCaseModel Seed004 => SeedModel.Value;

    /// <summary>A model from JSON, with the problems that keep it from being used (empty when it may be used).</summary>
    public static (BusinessCaseModel? Model, IReadOnlyList<ModelProblem> Problems) Parse(string json)
    {
        BusinessCaseModel? model;
        try
        {
            model = JsonSerializer.Deserialize<BusinessCaseModel>(json, Json);
        }
        catch (JsonException e)
        {
            var where = e.Path is { Length: > 0 } p ? p.TrimStart('$', '.') : "";
            return (null, [new(where, $"Het model is geen geldig JSON-document voor een businesscase (regel {(e.LineNumber ?? 0) + 1}).")]);
        }
        var problems = BusinessCaseValidation.Validate(model);
        return (problems.Count == 0 ? model : null, problems);
    }

    public static string Serialize(BusinessCaseModel model) => JsonSerializer.Serialize(model, Json);
}
