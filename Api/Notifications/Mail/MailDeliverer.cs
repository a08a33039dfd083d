using Pgo.Api.Hosting;
using System.Globalization;
using Hl7.Fhir.Model;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Storage;
using Pgo.Shared.Codes;

namespace Pgo.Api.Notifications.Mail;

/// <summary>
/// Sends the mails that are due: claims them (so one instance sends each), decides again with the recipient's access now
/// which of their notifications they may still know of (a revoked person gets no mail), asks Identity for a confirmed
/// address, composes the mail from the group and the client's first name only (docs/adr/0008) and records the outcome:
/// sent; refused for good by the server (5xx); tried again later with a doubling wait; failed after the last try; or
/// skipped (nothing left, no confirmed address).
/// </summary>
public sealed class MailDeliverer(IMailDeliveryStore deliveries, INotificationStore notifications, IContactDirectory contacts,
    IMailTransport transport, FhirRepository repo, IOptions<NotificationMailOptions> options, IOptions<NotificationLinkOptions> links,
    TimeProvider clock, ILogger<MailDeliverer> log)
{
    private const int Batch = 20;

    /// <summary>Who holds a claim: unique per sender, so two in one process (or two instances) never share one.</summary>
    public string Claimer { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>One pass: sends what is due now and claimable. Returns how many it handled.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var claimed = await deliveries.ClaimMailDeliveriesAsync(Claimer, now, now + options.Value.ClaimFor, Batch, ct);
        foreach (var delivery in claimed)
        {
            var attempt = await AttemptAsync(delivery, ct);
            ApiMetrics.MailSends.Add(1, new KeyValuePair<string, object?>("pgo.outcome", attempt.State));
            if (!await deliveries.FinishMailDeliveryAsync(delivery.Id, Claimer, attempt, ct))
                log.LogWarning("Mail: delivery {Delivery} was no longer held by this sender when it finished", delivery.Id);
        }
        return claimed.Count;
    }

    private async Task<MailAttempt> AttemptAsync(MailDelivery delivery, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        MailContact? contact = null;
        try
        {
            var items = await StillToTellAsync(delivery, ct);
            if (items.Count == 0) return Skipped(now, null, "Niets meer te melden: al gelezen, of niet meer te zien voor deze persoon.");
            contact = await contacts.FindAsync(delivery.Recipient, ct);
            if (contact is null) return Skipped(now, null, "Geen account bij Identity.");
            if (!contact.Confirmed) return Skipped(now, contact.Email, "Het e-mailadres is niet bevestigd.");

            var names = await FirstNamesAsync(delivery.Recipient, items.Select(n => n.PatientId).OfType<string>(), ct);
            var mailItems = items.Select(n => new MailItem(
                NotificationKinds.Find(n.Kind)?.Group ?? MailTexts.GroupDossier, n.PatientId is { } p ? names.GetValueOrDefault(p) : null)).ToList();
            var recipient = new MailRecipient(contact.Name, contact.Language);
            var portal = links.Value.PortalUrl;
            var mail = delivery.Kind == MailDeliveryKinds.Digest
                ? MailTexts.Digest(recipient, mailItems, portal)
                : MailTexts.Direct(recipient, mailItems[0], portal);
            await transport.SendAsync(contact.Email, mail, ct);
            return new MailAttempt(MailDeliveryStates.Sent, now, null, contact.Email, null);
        }
        catch (SmtpCommandException e) when ((int)e.StatusCode >= 500)
        {
            // The server refused it for good (unknown mailbox, refused sender or message): trying again changes nothing.
            log.LogWarning("Mail: delivery {Delivery} refused by the mail server: {Status}", delivery.Id, (int)e.StatusCode);
            return new MailAttempt(MailDeliveryStates.Refused, now, null, contact?.Email, Reply(e));
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Anything else may pass (a mail server or Identity away, a 4xx reply, a timeout): tried again later; an error
            // that never passes still ends as failed after the last attempt, visible to the administrator.
            var attempts = delivery.Attempts + 1;
            var error = e is SmtpCommandException command ? Reply(command) : $"{e.GetType().Name}: {e.Message}";
            if (attempts >= options.Value.MaxAttempts)
            {
                log.LogWarning("Mail: delivery {Delivery} failed after {Attempts} attempts", delivery.Id, attempts);
                return new MailAttempt(MailDeliveryStates.Failed, now, null, contact?.Email, error);
            }
            log.LogInformation("Mail: delivery {Delivery} attempt {Attempts} failed; trying again later", delivery.Id, attempts);
            return new MailAttempt(MailDeliveryStates.Pending, now, now + MailPlan.Backoff(attempts, options.Value.RetryDelay), contact?.Email, error);
        }
    }

    private static MailAttempt Skipped(DateTimeOffset now, string? address, string reason) =>
        new(MailDeliveryStates.Skipped, now, null, address, reason);

    /// <summary>The server's reply, which names the mailbox at most (never the mail).</summary>
    private static string Reply(SmtpCommandException e) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)e.StatusCode} {e.ErrorCode}: {e.Message}");

    /// <summary>
    /// The delivery's notifications that the recipient has not read and may still know of, judged now as the bell judges
    /// its list (their compiled access; a key without a Person sees nothing of a dossier).
    /// </summary>
    private async Task<IReadOnlyList<StoredNotification>> StillToTellAsync(MailDelivery delivery, CancellationToken ct)
    {
        var unread = (await notifications.NotificationsByIdAsync(delivery.NotificationIds, ct))
            .Where(n => n.Read is null && n.Recipient == delivery.Recipient).ToList();
        if (unread.Count == 0) return [];
        var scope = NotificationRecipient.AsCaller(delivery.Recipient) is { } caller ? await repo.Access.CompileAsync(caller, ct) : null;
        return unread.Where(n => scope is null
            ? n.PatientId is null
            : NotificationsApi.StillVisible(scope, n.Kind, n.PatientId, n.Section, n.Item)).ToList();
    }

    /// <summary>The clients' first given names: a platform read for telling dossiers apart, on the recipient's behalf (audited).</summary>
    private async Task<Dictionary<string, string>> FirstNamesAsync(string recipient, IEnumerable<string> patientIds, CancellationToken ct)
    {
        var ids = patientIds.Distinct(StringComparer.Ordinal).ToList();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        if (ids.Count == 0) return names;
        var caller = NotificationRecipient.AsCaller(recipient) ?? CallerContext.System("notification-mail");
        var stored = await repo.AsPlatform(PlatformPurpose.PatientNames, new FhirContext(caller, "urn:pgo:notification-mail"))
            .ReadManyAsync(ids.Select(id => ("Patient", id)).ToList(), ct);
        foreach (var (id, patient) in ids.Zip(stored))
        {
            if (patient is not { Deleted: false }) continue;
            var name = Pgo.Fhir.Serialization.FhirJson.Parse<Patient>(patient.Json).Name;
            var given = (name.FirstOrDefault(n => n.Use == HumanName.NameUse.Official) ?? name.FirstOrDefault())?.Given.FirstOrDefault();
            if (!string.IsNullOrWhiteSpace(given)) names[id] = given.Trim();
        }
        return names;
    }
}
