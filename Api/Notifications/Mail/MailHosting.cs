using Microsoft.Extensions.Options;
using MimeKit;
using Pgo.Fhir.Storage;

namespace Pgo.Api.Notifications.Mail;

/// <summary>Registers the notification mail (README of this folder); mapped from <see cref="NotificationsHosting"/>.</summary>
public static class MailHosting
{
    public static IServiceCollection AddNotificationMail(this IServiceCollection services)
    {
        services.AddOptions<NotificationMailOptions>().BindConfiguration(NotificationMailOptions.Section).ValidateOnStart();
        services.AddOptions<NotificationLinkOptions>().BindConfiguration(NotificationLinkOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<NotificationMailOptions>, MailSettingsCheck>();
        services.AddSingleton<IValidateOptions<NotificationLinkOptions>, MailSettingsCheck>();
        services.AddSingleton<IMailDeliveryStore>(sp => sp.GetRequiredService<IFhirStore>() as IMailDeliveryStore
            ?? throw new InvalidOperationException("The FHIR store keeps no mail deliveries."));
        services.AddSingleton<MailPreferences>();
        services.AddHttpClient<IContactDirectory, IdentityContactClient>(http => http.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<IMailTransport, SmtpMailTransport>();
        services.AddSingleton<MailPlanner>();
        services.AddSingleton<MailDeliverer>();
        services.AddHostedService<MailWorker>();
        return services;
    }
}

/// <summary>Refuses mail settings that cannot work, and the development secret outside Development (docs/settings.md).</summary>
internal sealed class MailSettingsCheck(IHostEnvironment environment) : IValidateOptions<NotificationMailOptions>, IValidateOptions<NotificationLinkOptions>
{
    public ValidateOptionsResult Validate(string? name, NotificationMailOptions o)
    {
        var problems = new List<string>();
        if (o.Port is < 1 or > 65535) problems.Add("Notifications:Mail:Port ligt tussen 1 en 65535.");
        if (!MailboxAddress.TryParse(o.From, out _)) problems.Add("Notifications:Mail:From is geen e-mailadres.");
        if (o.MaxAttempts < 1) problems.Add("Notifications:Mail:MaxAttempts is minstens 1.");
        if (o.PollInterval <= TimeSpan.Zero || o.RetryDelay <= TimeSpan.Zero || o.ClaimFor <= TimeSpan.Zero || o.MaxAge <= TimeSpan.Zero)
            problems.Add("Notifications:Mail:PollInterval, RetryDelay, ClaimFor en MaxAge zijn langer dan nul.");
        if (new[] { o.DefaultQuietFrom, o.DefaultQuietUntil, o.DefaultDigestAt }.Any(t => MailRhythm.Parse(t) is null))
            problems.Add("Notifications:Mail:DefaultQuietFrom, DefaultQuietUntil en DefaultDigestAt zijn tijden als uu:mm.");
        if (o.DefaultMaxPerDay is < 0 or > MailRhythm.MaxPerDayLimit)
            problems.Add($"Notifications:Mail:DefaultMaxPerDay ligt tussen 0 en {MailRhythm.MaxPerDayLimit}.");
        if (!environment.IsDevelopment() && o.ClientSecret?.Contains("development-only", StringComparison.Ordinal) == true)
            problems.Add("Notifications:Mail:ClientSecret is het ontwikkelgeheim; stel het echte geheim van client pgo-system in.");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems.Select(Refused));
    }

    public ValidateOptionsResult Validate(string? name, NotificationLinkOptions o) =>
        Uri.TryCreate(o.PortalUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(Refused("Notifications:PortalUrl is het adres van het Portaal (http of https)."));

    /// <summary>The start-up refusal's wording, as Api/Hosting/UnsafeSettings words it.</summary>
    private static string Refused(string problem) => $"Pgo.Api weigert te starten: {problem}";
}
