using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using Pgo.Identity.Hosting;

namespace Pgo.Identity.Keys;

/// <summary>
/// The RSA keys that sign tokens (published in the JWKS) and encrypt the server's own tokens
/// (authorization codes, refresh tokens). They must outlive a restart, or every token in circulation dies.
/// <para>
/// Source, first match wins: configuration <c>Pgo:Keys:Signing</c> and <c>Pgo:Keys:Encryption</c> (arrays of
/// PEM texts, newest first: production, from a secret store), otherwise PEM files in
/// <c>&lt;data&gt;/keys/</c> named <c>signing-&lt;utc timestamp&gt;.pem</c> and <c>encryption-&lt;utc timestamp&gt;.pem</c>,
/// generated on first start (owner-only file mode). Rotation: add a newer key (a file with a later
/// timestamp, or a new first array entry); the newest signs and encrypts, older ones still validate and
/// decrypt until removed. Keep an old key at least as long as the refresh-token lifetime (14 days).
/// The key id (<c>kid</c>) is the key's RFC 7638 thumbprint, so it is the same on every instance.
/// </para>
/// <para>
/// Several instances (a cluster): <c>Pgo:Keys:Store=Database</c> keeps the generated keys in Identity's database (table
/// <c>PgoTokenKeys</c>, <see cref="DatabaseKeys"/>) instead of the folder: the first instance creates them (a unique
/// key id, so a second instance starting at the same moment loses the insert and reads the winner's), the others read
/// them. Configured PEMs still come first. The data-protection keys follow the same setting (IdentityHost).
/// </para>
/// </summary>
public sealed class KeyStore
{
    public const string SigningConfigKey = KeyOptions.Section + ":Signing";
    public const string EncryptionConfigKey = KeyOptions.Section + ":Encryption";
    public const string SigningFilePrefix = "signing-";
    public const string EncryptionFilePrefix = "encryption-";

    public KeyStore(IOptions<KeyOptions> options, IServiceProvider services, TimeProvider clock, ILogger<KeyStore> logger)
    {
        var configuredSigning = options.Value.Signing;
        var configuredEncryption = options.Value.Encryption;
        if (configuredSigning.Count > 0 || configuredEncryption.Count > 0)
        {
            // Both or neither: refused at start by Hosting/UnsafeSettings.
            if (configuredSigning.Count == 0 || configuredEncryption.Count == 0)
                throw new InvalidOperationException($"Configure both {SigningConfigKey} and {EncryptionConfigKey}, or neither.");
            SigningKeys = configuredSigning.Select(FromPem).ToList();
            EncryptionKeys = configuredEncryption.Select(FromPem).ToList();
            Folder = null;
            return;
        }

        if (options.Value.Store == KeyStorage.Database)
        {
            Folder = null;
            SigningKeys = DatabaseKeys.LoadOrCreate(services, SigningFilePrefix.TrimEnd('-'), clock, logger).Select(FromPem).ToList();
            EncryptionKeys = DatabaseKeys.LoadOrCreate(services, EncryptionFilePrefix.TrimEnd('-'), clock, logger).Select(FromPem).ToList();
            return;
        }

        Folder = services.GetRequiredService<DataDirectory>().Combine("keys");
        Directory.CreateDirectory(Folder);
        SigningKeys = LoadOrCreate(Folder, SigningFilePrefix, clock, logger);
        EncryptionKeys = LoadOrCreate(Folder, EncryptionFilePrefix, clock, logger);
    }

    /// <summary>The folder the keys came from; null when they came from configuration or the database.</summary>
    public string? Folder { get; }

    /// <summary>Newest first: the first one signs.</summary>
    public IReadOnlyList<RsaSecurityKey> SigningKeys { get; }

    /// <summary>Newest first: the first one encrypts.</summary>
    public IReadOnlyList<RsaSecurityKey> EncryptionKeys { get; }

    /// <summary>A new 2048-bit RSA private key as PKCS#8 PEM.</summary>
    public static string NewKeyPem()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKeyPem();
    }

    /// <summary>Writes a new key file with the current time in its name; it becomes the newest key at the next start.</summary>
    public static string CreateKeyFile(string folder, string prefix, DateTimeOffset now)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{prefix}{now.UtcDateTime:yyyyMMddHHmmssfff}.pem");
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, NewKeyPem());
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temporary, path, overwrite: false);
        return path;
    }

    private static List<RsaSecurityKey> LoadOrCreate(string folder, string prefix, TimeProvider clock, ILogger logger)
    {
        var files = Directory.GetFiles(folder, prefix + "*.pem");
        if (files.Length == 0)
        {
            files = [CreateKeyFile(folder, prefix, clock.GetUtcNow())];
            logger.LogInformation("Created a new RSA key {File}", files[0]);
        }
        return files.OrderDescending(StringComparer.Ordinal).Select(file => FromPem(File.ReadAllText(file))).ToList();
    }

    [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope",
        Justification = "The RSA key passes to the RsaSecurityKey; OpenIddict signs and decrypts with it for the life of the process.")]
    internal static RsaSecurityKey FromPem(string pem)
    {
        var rsa = RSA.Create(); // lives as long as the process: OpenIddict keeps using it
        rsa.ImportFromPem(pem);
        var key = new RsaSecurityKey(rsa);
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        return key;
    }
}

/// <summary>Hands the persisted keys to OpenIddict, newest first (OpenIddict signs with the first).</summary>
public sealed class ServerKeysSetup(KeyStore keys) : IConfigureOptions<OpenIddictServerOptions>
{
    public void Configure(OpenIddictServerOptions options)
    {
        foreach (var key in keys.SigningKeys)
            options.SigningCredentials.Add(new SigningCredentials(key, SecurityAlgorithms.RsaSha256));
        foreach (var key in keys.EncryptionKeys)
            options.EncryptionCredentials.Add(new EncryptingCredentials(key, SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512));
    }
}

/// <summary>Configuration section <c>Pgo:Keys</c>: the token keys as PEM texts, newest first (production, from a
/// secret store). Both or neither; without them the keys live in &lt;data&gt;/keys/ (see <see cref="KeyStore"/>).</summary>
public sealed class KeyOptions
{
    public const string Section = "Pgo:Keys";

    /// <summary>PEM RSA private keys that sign tokens; the first signs.</summary>
    public List<string> Signing { get; set; } = [];

    /// <summary>PEM RSA private keys that encrypt the server's own tokens; the first encrypts.</summary>
    public List<string> Encryption { get; set; } = [];

    /// <summary>Where generated keys live when no PEMs are configured, token keys and data-protection keys alike:
    /// <see cref="KeyStorage.Folder"/> (default, one machine) or <see cref="KeyStorage.Database"/> (several instances).</summary>
    public KeyStorage Store { get; set; } = KeyStorage.Folder;
}

/// <summary>Where Identity keeps the keys it generates (<c>Pgo:Keys:Store</c>).</summary>
public enum KeyStorage
{
    /// <summary>&lt;data&gt;/keys/ on this machine: one instance.</summary>
    Folder,

    /// <summary>Identity's database (tables PgoTokenKeys and DataProtectionKeys): every instance reads the same keys.</summary>
    Database,
}
