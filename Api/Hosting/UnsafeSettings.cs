using Microsoft.Extensions.Options;
using Pgo.Api.Auth;
using Pgo.Api.Fhir;
using Pgo.Api.Files;
using Pgo.Api.Invitations;
using Pgo.Fhir.Audit;

namespace Pgo.Api.Hosting;

/// <summary>
/// The Api's refusals of development shortcuts outside Development, as options validators: with
/// <c>ValidateOnStart</c> a bad setting stops the host at start (<see cref="StartupChecks"/>), not at first use.
/// Each message names the setting and what to do (docs/settings.md lists them all).
/// </summary>
public sealed class UnsafeSettings(IHostEnvironment environment) :
    IValidateOptions<BenchmarkOptions>, IValidateOptions<AuditOptions>, IValidateOptions<StorageOptions>,
    IValidateOptions<ApiIdentityOptions>, IValidateOptions<InvitationFeedOptions>, IValidateOptions<BrowserAppOptions>
{
    /// <summary>Registers this validator for every options type it checks.</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddSingleton<UnsafeSettings>();
        services.AddSingleton<IValidateOptions<BenchmarkOptions>>(sp => sp.GetRequiredService<UnsafeSettings>());
        services.AddSingleton<IValidateOptions<AuditOptions>>(sp => sp.GetRequiredService<UnsafeSettings>());
        services.AddSingleton<IValidateOptions<StorageOptions>>(sp => sp.GetRequiredService<UnsafeSettings>());
        services.AddSingleton<IValidateOptions<ApiIdentityOptions>>(sp => sp.GetRequiredService<UnsafeSettings>());
        services.AddSingleton<IValidateOptions<InvitationFeedOptions>>(sp => sp.GetRequiredService<UnsafeSettings>());
        services.AddSingleton<IValidateOptions<BrowserAppOptions>>(sp => sp.GetRequiredService<UnsafeSettings>());
    }

    private bool Development => environment.IsDevelopment();

    public ValidateOptionsResult Validate(string? name, BenchmarkOptions options) =>
        !Development && options.AccessOff
            ? Fail("de toegangscontrole staat uit (Pgo:Benchmark:AccessOff); dat mag alleen in Development, voor de benchmark.")
            : ValidateOptionsResult.Success;

    public ValidateOptionsResult Validate(string? name, AuditOptions options) =>
        !Development && !options.Enabled
            ? Fail("het auditlog staat uit (Pgo:Audit:Enabled=false); dat mag alleen in Development, voor de benchmark.")
            : ValidateOptionsResult.Success;

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var failures = new List<string>();
        if (options.DurabilityMode is not { } durability)
            failures.Add($"Storage:Durability '{options.Durability}' is onbekend; kies 'full' of 'normal'.");
        else if (!Development && durability != Pgo.Fhir.Storage.StoreDurability.Full && !options.AllowNonDurable)
            failures.Add("Storage:Durability=normal kan bevestigde wijzigingen verliezen bij een stroomstoring; zet Storage:AllowNonDurable=true als dat bewust is.");
        if (!Development && options.Blobs?.Contains(DocumentBlobs.AzuriteDevelopmentKey, StringComparison.Ordinal) == true)
            failures.Add("Storage:Blobs gebruikt de openbare ontwikkelsleutel van Azurite; die mag alleen in Development.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures.Select(Refused));
    }

    public ValidateOptionsResult Validate(string? name, ApiIdentityOptions options)
    {
        if (Development) return ValidateOptionsResult.Success;
        if (string.IsNullOrWhiteSpace(options.Authority))
            return Fail("Pgo:Identity:Authority ontbreekt: zonder uitgever kan geen toegangstoken worden gecontroleerd.");
        if (options.GivenSigningKeys().Count == 0 && !options.Authority.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            return Fail($"Pgo:Identity:Authority ({options.Authority}) moet https zijn buiten Development.");
        return ValidateOptionsResult.Success;
    }

    public ValidateOptionsResult Validate(string? name, InvitationFeedOptions options) =>
        !Development && options.ClientSecret?.Contains("development-only", StringComparison.Ordinal) == true
            ? Fail("Pgo:Invitations:ClientSecret is het ontwikkelgeheim; stel het echte geheim van client pgo-system in.")
            : ValidateOptionsResult.Success;

    public ValidateOptionsResult Validate(string? name, BrowserAppOptions options)
    {
        var problems = options.Origins.Where(o => !string.IsNullOrWhiteSpace(o))
            .Select(o => BrowserApps.Problem(o, Development)).OfType<string>().ToList();
        return problems.Count == 0
            ? ValidateOptionsResult.Success
            : Fail($"Pgo:BrowserApps:Origins: {string.Join("; ", problems)}.");
    }

    private static string Refused(string problem) => $"Pgo.Api weigert te starten: {problem}";

    private static ValidateOptionsResult Fail(string problem) => ValidateOptionsResult.Fail(Refused(problem));
}

/// <summary>Runs the options validators registered with <c>ValidateOnStart</c> now, before start-up work touches a database.</summary>
public static class StartupChecks
{
    public static void RefuseInvalidSettings(this IServiceProvider services)
    {
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (OptionsValidationException e)
        {
            throw new InvalidOperationException(e.Message, e);
        }
        catch (AggregateException e) when (e.InnerExceptions.All(inner => inner is OptionsValidationException))
        {
            throw new InvalidOperationException(string.Join(" ", e.InnerExceptions.Select(inner => inner.Message)), e);
        }
    }
}
