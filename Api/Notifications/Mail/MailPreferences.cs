using System.Text.Json;
using Microsoft.Extensions.Options;
using Pgo.Api.Errors;
using Pgo.Fhir.Storage;
using Pgo.Shared.Codes;
using Pgo.Shared.Contracts;

namespace Pgo.Api.Notifications.Mail;

/// <summary>A person's mail choices: per kind (default from <see cref="NotificationKinds"/>) and their rhythm.</summary>
public sealed record MailSettings(IReadOnlyDictionary<string, string> Choices, MailRhythm Rhythm)
{
    /// <summary>The person's choice for <paramref name="kind"/>; an unknown kind is not mailed.</summary>
    public string ChoiceFor(string kind) =>
        Choices.TryGetValue(kind, out var choice) ? choice : NotificationKinds.Find(kind)?.DefaultMail ?? MailChoice.Off;

    public NotificationPreferences ToContract() => new(
        NotificationKinds.All.Select(k => new KindPreference(k.Code, ChoiceFor(k.Code))).ToList(),
        MailRhythm.Format(Rhythm.QuietFrom), MailRhythm.Format(Rhythm.QuietUntil), Rhythm.MaxPerDay, MailRhythm.Format(Rhythm.DigestAt));
}

/// <summary>Reads and stores a person's mail preferences (table <c>mail_preference</c>, as the contract's JSON).</summary>
public sealed class MailPreferences(IMailDeliveryStore store, IOptions<NotificationMailOptions> options, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A person who chose nothing: the kinds' defaults and the configured rhythm.</summary>
    private MailSettings Defaults => new(new Dictionary<string, string>(), options.Value.DefaultRhythm());

    public async Task<MailSettings> ForAsync(string recipient, CancellationToken ct)
    {
        var json = await store.MailPreferencesAsync(recipient, ct);
        if (json is null) return Defaults;
        NotificationPreferences? stored;
        try { stored = JsonSerializer.Deserialize<NotificationPreferences>(json, Json); }
        catch (JsonException) { return Defaults; }
        // Stored values were valid when saved; a kind removed since is ignored, a bad value falls back to its default.
        return stored is null ? Defaults : Read(stored, strict: false, Defaults.Rhythm);
    }

    /// <summary>Validates and stores; a refusal (400) names what is wrong, and nothing is stored.</summary>
    public async Task<MailSettings> SaveAsync(string recipient, NotificationPreferences preferences, CancellationToken ct)
    {
        var current = await ForAsync(recipient, ct);
        var given = Read(preferences, strict: true, Defaults.Rhythm);
        // Kinds left out keep what the person chose before.
        var choices = new Dictionary<string, string>(current.Choices, StringComparer.Ordinal);
        foreach (var (kind, choice) in given.Choices) choices[kind] = choice;
        var settings = new MailSettings(choices, given.Rhythm);
        await store.SaveMailPreferencesAsync(recipient, JsonSerializer.Serialize(settings.ToContract(), Json), clock.GetUtcNow(), ct);
        return settings;
    }

    private static MailSettings Read(NotificationPreferences p, bool strict, MailRhythm d)
    {
        var choices = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var k in p.Kinds ?? [])
        {
            if (!NotificationKinds.IsKnown(k?.Kind))
            {
                if (strict) throw ApiProblem.BadRequest(ApiProblem.Text(ApiText.MailPreferenceUnknownKind, k?.Kind));
                continue;
            }
            if (!MailChoice.IsKnown(k!.Mail))
            {
                if (strict) throw ApiProblem.BadRequest(ApiText.MailPreferenceUnknownChoice);
                continue;
            }
            choices[k.Kind] = k.Mail;
        }
        TimeOnly Time(string? text, TimeOnly fallback) =>
            MailRhythm.Parse(text) ?? (strict ? throw ApiProblem.BadRequest(ApiText.MailPreferenceTime) : fallback);
        var max = p.MaxPerDay;
        if (max < 0 || max > MailRhythm.MaxPerDayLimit)
        {
            if (strict) throw ApiProblem.BadRequest(ApiProblem.Text(ApiText.MailPreferenceMaxPerDay, MailRhythm.MaxPerDayLimit));
            max = d.MaxPerDay;
        }
        return new MailSettings(choices, new MailRhythm(Time(p.QuietFrom, d.QuietFrom), Time(p.QuietUntil, d.QuietUntil), max, Time(p.DigestAt, d.DigestAt)));
    }
}
