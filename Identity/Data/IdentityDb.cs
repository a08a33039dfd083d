using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Pgo.Identity.Accounts;
using Pgo.Identity.Invitations;
using Pgo.Identity.Keys;
using Pgo.Identity.Launch;
using Pgo.Identity.SignInLog;

namespace Pgo.Identity.Data;

/// <summary>
/// Identity's own database: ASP.NET Core Identity accounts and roles, OpenIddict's applications,
/// authorizations (remembered consents), scopes and tokens, and ours: the sign-in log, invitations and the
/// patients an account may act for; with <c>Pgo:Keys:Store=Database</c> (a cluster) also the token keys
/// (<c>PgoTokenKeys</c>) and the data-protection keys (<c>DataProtectionKeys</c>). No other project reads it.
/// <para>EF Core migrations are provider-specific, so each provider has a context of its own with its own migrations
/// (<see cref="SqliteIdentityDb"/>, <see cref="PostgresIdentityDb"/>, Data/Migrations/); the rest of Identity uses
/// this base type, resolved to the configured provider's context (<see cref="Database"/>).</para>
/// </summary>
public abstract class IdentityDb(DbContextOptions options) : IdentityDbContext<PgoUser>(options), IDataProtectionKeyContext
{
    /// <summary>ASP.NET Core data-protection keys (cookies, antiforgery) shared by every instance (Keys:Store=Database).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<SignInEvent> SignInEvents => Set<SignInEvent>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<AccountPatient> AccountPatients => Set<AccountPatient>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<PgoUser>(user =>
        {
            user.Property(u => u.DisplayName).HasMaxLength(200);
            user.Property(u => u.FhirUser).HasMaxLength(200);
            user.Property(u => u.Language).HasMaxLength(5);
        });
        builder.Entity<SignInEvent>(e =>
        {
            e.ToTable("PgoSignInEvents");
            e.Property(x => x.UserId).HasMaxLength(450);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(40);
            e.Property(x => x.IpAddress).HasMaxLength(64);
            e.Property(x => x.UserAgent).HasMaxLength(300);
            e.Property(x => x.Detail).HasMaxLength(200);
            e.HasIndex(x => new { x.UserId, x.Id });
            e.HasOne<PgoUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<AccountPatient>(e =>
        {
            e.ToTable("PgoAccountPatients");
            e.HasKey(x => new { x.UserId, x.PatientId });
            e.Property(x => x.PatientId).HasMaxLength(200);
            e.Property(x => x.Label).HasMaxLength(200);
            e.Property(x => x.Source).HasMaxLength(100);
            e.HasOne<PgoUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<Invitation>(e =>
        {
            e.ToTable("PgoInvitations");
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.TokenHash).HasMaxLength(64);
            e.HasIndex(x => x.TokenHash).IsUnique();
            e.Property(x => x.Email).HasMaxLength(256);
            e.Property(x => x.Role).HasMaxLength(40);
            e.Property(x => x.PatientId).HasMaxLength(200);
            e.Property(x => x.PatientLabel).HasMaxLength(200);
            e.Property(x => x.Sections).HasMaxLength(1000);
            e.Property(x => x.Access).HasMaxLength(10);
            e.Property(x => x.Message).HasMaxLength(2000);
            e.Property(x => x.InvitedBy).HasMaxLength(450);
            e.Property(x => x.InvitedByName).HasMaxLength(200);
            e.Property(x => x.InvitedByFhirUser).HasMaxLength(200);
            e.Property(x => x.InvitedByClient).HasMaxLength(100);
            e.Property(x => x.AcceptedBy).HasMaxLength(450);
            e.Property(x => x.AcceptedByFhirUser).HasMaxLength(200);
            e.HasIndex(x => x.AcceptedAt);
            e.HasIndex(x => x.InvitedBy);
            e.HasIndex(x => x.PatientId);
        });
        builder.Entity<StoredKey>(e =>
        {
            e.ToTable("PgoTokenKeys");
            e.Property(x => x.Id).HasMaxLength(100);
            e.Property(x => x.Purpose).HasMaxLength(20);
        });
        builder.Entity<DataProtectionKey>(e => e.ToTable("DataProtectionKeys"));
        builder.UseOpenIddict();

        // Our times are UTC; SQLite forgets the kind, so give it back on reading (JSON then says "Z").
        var utc = new Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
            v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
        foreach (var entity in new[] { typeof(SignInEvent), typeof(AccountPatient), typeof(Invitation), typeof(StoredKey) })
        foreach (var property in builder.Entity(entity).Metadata.GetProperties())
        {
            if (property.ClrType == typeof(DateTime) || property.ClrType == typeof(DateTime?)) property.SetValueConverter(utc);
        }
    }
}

/// <summary>Identity on SQLite; migrations in Data/Migrations/Sqlite.</summary>
public sealed class SqliteIdentityDb(DbContextOptions<SqliteIdentityDb> options) : IdentityDb(options);

/// <summary>Identity on PostgreSQL; migrations in Data/Migrations/Postgres.</summary>
public sealed class PostgresIdentityDb(DbContextOptions<PostgresIdentityDb> options) : IdentityDb(options);

/// <summary>For <c>dotnet ef migrations add ... --context SqliteIdentityDb</c>: the model, no database needed.</summary>
public sealed class SqliteIdentityDbDesign : IDesignTimeDbContextFactory<SqliteIdentityDb>
{
    public SqliteIdentityDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteIdentityDb>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>For <c>dotnet ef migrations add ... --context PostgresIdentityDb</c>: the model, no server needed.</summary>
public sealed class PostgresIdentityDbDesign : IDesignTimeDbContextFactory<PostgresIdentityDb>
{
    public PostgresIdentityDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresIdentityDb>().UseNpgsql("Host=localhost;Database=design-time").Options);
}
