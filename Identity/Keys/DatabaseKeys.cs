using Microsoft.EntityFrameworkCore;
using Pgo.Identity.Data;

namespace Pgo.Identity.Keys;

/// <summary>A token key kept in Identity's database (<c>Pgo:Keys:Store=Database</c>): table <c>PgoTokenKeys</c>.</summary>
public sealed class StoredKey
{
    /// <summary><c>signing-initial</c> for the first key of a purpose (so two instances creating it at once collide on the
    /// primary key and one wins); a rotated key gets any other unique id, e.g. <c>signing-20270101</c>.</summary>
    public string Id { get; set; } = "";

    /// <summary><c>signing</c> or <c>encryption</c>.</summary>
    public string Purpose { get; set; } = "";

    /// <summary>The PKCS#8 PEM private key.</summary>
    public string Pem { get; set; } = "";

    /// <summary>Newest first: the newest signs or encrypts.</summary>
    public DateTime CreatedAt { get; set; }
}

/// <summary>Loads the token keys of one purpose from the database, creating the first one when there is none.</summary>
public static class DatabaseKeys
{
    public static IReadOnlyList<string> LoadOrCreate(IServiceProvider services, string purpose, TimeProvider clock, ILogger logger)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        var keys = Read(db, purpose);
        if (keys.Count > 0) return keys;
        db.Set<StoredKey>().Add(new StoredKey
        {
            Id = $"{purpose}-initial", Purpose = purpose, Pem = KeyStore.NewKeyPem(), CreatedAt = clock.GetUtcNow().UtcDateTime,
        });
        try
        {
            db.SaveChanges();
            logger.LogInformation("Created the first {Purpose} key in the database", purpose);
        }
        catch (DbUpdateException)
        {
            // Another instance inserted the first key at the same moment: use that one.
            db.ChangeTracker.Clear();
            logger.LogInformation("Another instance created the first {Purpose} key; reading it", purpose);
        }
        keys = Read(db, purpose);
        return keys.Count > 0 ? keys : throw new InvalidOperationException($"No {purpose} key in the database after creating one.");
    }

    private static List<string> Read(IdentityDb db, string purpose) =>
        db.Set<StoredKey>().AsNoTracking().Where(k => k.Purpose == purpose)
            .AsEnumerable() // SQLite cannot order by a DateTime column in SQL reliably; a handful of rows
            .OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.Id, StringComparer.Ordinal)
            .Select(k => k.Pem).ToList();
}
