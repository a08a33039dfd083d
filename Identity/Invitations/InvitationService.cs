using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Pgo.Identity.Accounts;
using Pgo.Identity.Data;
using Pgo.Identity.Hosting;
using Pgo.Identity.Launch;
using Pgo.Identity.Mail;
using Pgo.Identity.SignInLog;

namespace Pgo.Identity.Invitations;

/// <summary>Configuration section <c>Pgo:Invitations</c>.</summary>
public sealed class InvitationOptions
{
    public const string Section = "Pgo:Invitations";

    /// <summary>How long an invitation link works.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(14);
}

/// <summary>Who sent an invitation: the person (sub, name, fhirUser) and the client that asked.</summary>
public sealed record Inviter(string Subject, string Name, string? FhirUser, string? ClientId);

/// <summary>What is proposed; checked by <see cref="InvitationRequest.Problems"/> before anything is stored.</summary>
public sealed record InvitationRequest(
    string Email, string Role, string PatientId, string PatientLabel, IReadOnlyList<string> Sections,
    string Access, DateTime? Until, string? Message);

public enum AcceptOutcome { Accepted, NotPending, OtherEmail }

/// <summary>
/// The life of an invitation: created and mailed, found by the secret in its link, accepted once by the
/// account with the invited address, withdrawn by its inviter, and read by the Api once accepted.
/// </summary>
public sealed class InvitationService(
    IdentityDb db,
    TimeProvider clock,
    IOptions<InvitationOptions> options,
    MailSender sender,
    Mails mails,
    Links links,
    UserManager<PgoUser> users,
    LaunchPatients patients,
    SignInLogbook log)
{
    public DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<Invitation> CreateAsync(InvitationRequest request, Inviter inviter, CancellationToken cancellationToken = default)
    {
        var secret = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var now = Now;
        var invitation = new Invitation
        {
            Id = Guid.NewGuid().ToString("N"),
            TokenHash = Hash(secret),
            Email = request.Email.Trim(),
            Role = request.Role,
            PatientId = request.PatientId,
            PatientLabel = request.PatientLabel.Trim(),
            Sections = string.Join(',', request.Sections.Select(s => s.Trim().ToLowerInvariant()).Distinct()),
            Access = request.Access,
            Until = request.Until,
            Message = string.IsNullOrWhiteSpace(request.Message) ? null : request.Message.Trim(),
            InvitedBy = inviter.Subject,
            InvitedByName = inviter.Name,
            InvitedByFhirUser = inviter.FhirUser,
            InvitedByClient = inviter.ClientId,
            CreatedAt = now,
            ExpiresAt = now + options.Value.Lifetime,
        };
        db.Invitations.Add(invitation);
        await db.SaveChangesAsync(cancellationToken);
        await sender.SendAsync(mails.Invitation(invitation, links.To(AccountPaths.Invitation, new Dictionary<string, string?> { ["code"] = secret })),
            cancellationToken);
        return invitation;
    }

    public async Task<Invitation?> FindBySecretAsync(string? secret) =>
        string.IsNullOrEmpty(secret) ? null : await db.Invitations.AsNoTracking().SingleOrDefaultAsync(i => i.TokenHash == Hash(secret));

    public Task<Invitation?> FindAsync(string id) => db.Invitations.SingleOrDefaultAsync(i => i.Id == id);

    public static bool IsFor(Invitation invitation, PgoUser user) =>
        string.Equals(invitation.Email, user.Email, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Accepts for <paramref name="user"/>: only a pending invitation, only the invited address. Atomic, so a
    /// link used twice at once is accepted once. The account gets the role and the patient for the SMART launch.
    /// </summary>
    public async Task<AcceptOutcome> AcceptAsync(Invitation invitation, PgoUser user)
    {
        if (!IsFor(invitation, user)) return AcceptOutcome.OtherEmail;
        var now = Now;
        if (invitation.StatusAt(now) != InvitationStatus.Pending) return AcceptOutcome.NotPending;

        if (string.IsNullOrEmpty(user.FhirUser))
        {
            user.FhirUser = user.NewFhirUser();
            await users.UpdateAsync(user);
        }
        var changed = await db.Invitations
            .Where(i => i.Id == invitation.Id && i.AcceptedAt == null && i.WithdrawnAt == null && i.ExpiresAt > now)
            .ExecuteUpdateAsync(set => set
                .SetProperty(i => i.AcceptedAt, now)
                .SetProperty(i => i.AcceptedBy, user.Id)
                .SetProperty(i => i.AcceptedByFhirUser, user.FhirUser));
        if (changed == 0) return AcceptOutcome.NotPending;

        if (!await users.IsInRoleAsync(user, invitation.Role)) await users.AddToRoleAsync(user, invitation.Role);
        await patients.LinkAsync(user, invitation.PatientId, invitation.PatientLabel, $"invitation:{invitation.Id}");
        await log.RecordAsync(user, SignInEventKind.InvitationAccepted, invitation.PatientLabel);
        return AcceptOutcome.Accepted;
    }

    /// <summary>Withdraws a pending invitation; false when it was already accepted (then the Api revokes the Consent).</summary>
    public async Task<bool> WithdrawAsync(Invitation invitation)
    {
        if (invitation.AcceptedAt is not null) return false;
        invitation.WithdrawnAt ??= Now;
        await db.SaveChangesAsync();
        return true;
    }

    /// <summary>Accepted invitations, oldest acceptance first, from <paramref name="since"/> (inclusive).</summary>
    public Task<List<Invitation>> AcceptedSinceAsync(DateTime since, int limit) =>
        db.Invitations.AsNoTracking()
            .Where(i => i.AcceptedAt != null && i.AcceptedAt >= since)
            .OrderBy(i => i.AcceptedAt).ThenBy(i => i.Id)
            .Take(limit)
            .ToListAsync();

    /// <summary>The display names of the accounts that accepted these invitations (by account id), for the Api's feed: the
    /// records it makes for the invitee then carry the name people know them by.</summary>
    public Task<Dictionary<string, string>> AcceptorNamesAsync(IEnumerable<Invitation> accepted)
    {
        var ids = accepted.Select(i => i.AcceptedBy).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName);
    }

    public Task<List<Invitation>> SentByAsync(string subject) =>
        db.Invitations.AsNoTracking().Where(i => i.InvitedBy == subject).OrderByDescending(i => i.CreatedAt).ToListAsync();

    public Task<List<Invitation>> ForPatientAsync(string patientId) =>
        db.Invitations.AsNoTracking().Where(i => i.PatientId == patientId).OrderByDescending(i => i.CreatedAt).ToListAsync();

    private static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
