using Microsoft.Extensions.Options;
using Pgo.Identity.Connect;
using Pgo.Identity.Keys;

namespace Pgo.Identity.Hosting;

/// <summary>
/// Identity's refusals of unsafe settings, as options validators: with <c>ValidateOnStart</c> a bad setting stops the
/// host at start (<see cref="RefuseInvalidSettings"/>, before the database is touched), not at first use.
/// docs/settings.md lists them.
/// </summary>
public sealed class UnsafeSettings(IHostEnvironment environment, IConfiguration configuration) : IValidateOptions<ClientOptions>, IValidateOptions<KeyOptions>, IValidateOptions<PgoOptions>
{
    public static void Register(IServiceCollection services)
    {
        services.AddSingleton<UnsafeSettings>();
        services.AddSingleton<IValidateOptions<ClientOptions>>(sp => sp.GetRequiredService<UnsafeSettings>());
        services.AddSingleton<IValidateOptions<KeyOptions>>(sp => sp.GetRequiredService<UnsafeSettings>());
        services.AddSingleton<IValidateOptions<PgoOptions>>(sp => sp.GetRequiredService<UnsafeSettings>());
    }

    public ValidateOptionsResult Validate(string? name, ClientOptions options) =>
        Clients.SecretProblems(options, environment).ToList() is { Count: > 0 } problems
            ? ValidateOptionsResult.Fail(problems)
            : ValidateOptionsResult.Success;

    public ValidateOptionsResult Validate(string? name, KeyOptions options) =>
        (options.Signing.Count > 0) != (options.Encryption.Count > 0)
            ? ValidateOptionsResult.Fail($"Configure both {KeyOptions.Section}:Signing and {KeyOptions.Section}:Encryption, or neither.")
            : ValidateOptionsResult.Success;

    /// <summary>The issuer becomes OpenIddict's issuer URI: one that is not an absolute URL is refused at start, not at
    /// the first token request.</summary>
    public ValidateOptionsResult Validate(string? name, PgoOptions options)
    {
        var problems = new List<string>();
        if (options.Issuer is { Length: > 0 } issuer && !Uri.TryCreate(issuer, UriKind.Absolute, out _))
            problems.Add($"{PgoOptions.Section}:{nameof(PgoOptions.Issuer)} must be an absolute URL, not '{issuer}'.");
        problems.AddRange(ClusterProblems(options));
        return problems.Count > 0 ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }

    /// <summary>Several instances (Pgo:Cluster) with keys in a local folder would each make their own: a token or cookie
    /// from one would be refused by the next. A SQLite file cannot be shared either. Refused in every environment.</summary>
    private IEnumerable<string> ClusterProblems(PgoOptions options)
    {
        if (Pgo.Observability.ClusterSetting.Read(configuration).Invalid is { } invalid)
            yield return $"{invalid}: {Pgo.Observability.ClusterSetting.EnabledKey} must be true or false (the older {Pgo.Observability.ClusterSetting.Section}=true/false still counts, but not beside a different {Pgo.Observability.ClusterSetting.EnabledKey}).";
        if (!options.Cluster) yield break;
        var keys = configuration.GetSection(KeyOptions.Section).Get<KeyOptions>() ?? new KeyOptions();
        if (keys.Store != KeyStorage.Database)
            yield return $"{Pgo.Observability.ClusterSetting.EnabledKey} is set but the keys are kept in a local folder: set {KeyOptions.Section}:Store=Database so every instance shares them.";
        if (!IsPostgreSql(configuration.GetConnectionString(Data.Database.ConnectionStringName)))
            yield return $"{Pgo.Observability.ClusterSetting.EnabledKey} is set but Identity's database is a local SQLite file: configure ConnectionStrings:{Data.Database.ConnectionStringName} with PostgreSQL.";
    }

    private static bool IsPostgreSql(string? connection)
    {
        if (string.IsNullOrWhiteSpace(connection)) return false;
        try
        {
            return Pgo.Shared.Data.DatabaseConnection.Parse(connection, $"ConnectionStrings:{Data.Database.ConnectionStringName}").IsPostgreSql;
        }
        catch (ArgumentException)
        {
            return true; // not ours to judge here: the database layer refuses an invalid connection string with its own message
        }
    }

    /// <summary>Runs every validator registered with <c>ValidateOnStart</c> now, with all problems in one message.</summary>
    public static void RefuseInvalidSettings(IServiceProvider services)
    {
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (OptionsValidationException e)
        {
            throw new InvalidOperationException($"Pgo.Identity refuses to start: {e.Message}", e);
        }
        catch (AggregateException e) when (e.InnerExceptions.All(inner => inner is OptionsValidationException))
        {
            throw new InvalidOperationException($"Pgo.Identity refuses to start: {string.Join(" ", e.InnerExceptions.Select(inner => inner.Message))}", e);
        }
    }
}
