using Microsoft.EntityFrameworkCore;
using Pgo.Identity.Accounts;
using Pgo.Identity.Data;

namespace Pgo.Identity.Launch;

/// <summary>
/// The patients an account may pick at a SMART launch. Today: the account's own list (<see cref="AccountPatient"/>),
/// filled by accepted invitations and the demo seed. Replace this class (it is a DI service) when the Api
/// provides the list from its Consents.
/// </summary>
public class LaunchPatients(IdentityDb db, TimeProvider clock)
{
    public virtual async Task<IReadOnlyList<AccountPatient>> ForAsync(PgoUser user) =>
        await db.AccountPatients.Where(p => p.UserId == user.Id).OrderBy(p => p.Label).ThenBy(p => p.PatientId).ToListAsync();

    /// <summary>Links a patient to the account (idempotent).</summary>
    public async Task LinkAsync(PgoUser user, string patientId, string label, string source)
    {
        if (await db.AccountPatients.AnyAsync(p => p.UserId == user.Id && p.PatientId == patientId)) return;
        db.AccountPatients.Add(new AccountPatient
        {
            UserId = user.Id, PatientId = patientId, Label = label, Source = source, AddedAt = clock.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync();
    }
}
