using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Pgo.Identity.Accounts;

namespace Pgo.Identity.Data;

/// <summary>
/// Identity's own database: ASP.NET Core Identity accounts and roles plus OpenIddict's applications,
/// authorizations (remembered consents), scopes and tokens. No other project reads it.
/// </summary>
public sealed class IdentityDb(DbContextOptions<IdentityDb> options) : IdentityDbContext<PgoUser>(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<PgoUser>(user =>
        {
            user.Property(u => u.DisplayName).HasMaxLength(200);
            user.Property(u => u.FhirUser).HasMaxLength(200);
        });
        builder.UseOpenIddict();
    }
}
