namespace Pgo.Portal.Auth;

/// <summary>Configuration section <c>Pgo</c> as the Portal reads it: where Identity and the Api are, and the Portal's client.</summary>
public sealed class PortalOptions
{
    public const string Section = "Pgo";

    /// <summary>Identity's base URL (the OpenID Connect issuer).</summary>
    public string Authority { get; set; } = "http://localhost:5300";

    /// <summary>The Api's base URL.</summary>
    public string ApiUrl { get; set; } = "http://localhost:5200";

    public string ClientId { get; set; } = "pgo-portal";

    public string? ClientSecret { get; set; }

    /// <summary>What the Portal asks for: who the person is, their FHIR Person, the dossiers they may see, invitations.</summary>
    public string Scopes { get; set; } = "openid profile email roles fhirUser offline_access invitations user/*.cruds";

    /// <summary>The Api's upload limit (keep it equal to its <c>Files:MaxUploadBytes</c>): a larger file is refused in
    /// the browser before a byte is sent. Default 25 MB.</summary>
    public long MaxUploadBytes { get; set; } = 25L * 1024 * 1024;

    /// <summary>Several Portal instances serve behind one (sticky) balancer: then the data-protection keys (cookies,
    /// antiforgery, Blazor circuits) must be shared, <see cref="DataProtectionBlobs"/>; without it the Portal refuses to start.
    /// <c>Pgo:Cluster:Enabled</c>, the same shape as in the Api and Identity; the older <c>Pgo:Cluster=true</c> still
    /// counts (<see cref="Pgo.Observability.ClusterSetting"/>, applied after binding in PortalAuth).</summary>
    [Microsoft.Extensions.Configuration.ConfigurationKeyName("Cluster:Enabled")]
    public bool Cluster { get; set; }

    /// <summary>A blob storage connection string: the data-protection keys live in its container
    /// <see cref="DataProtectionContainer"/>, shared by every instance (Hosting/SharedKeys.cs). Unset: the local default
    /// key folder (one machine).</summary>
    public string? DataProtectionBlobs { get; set; }

    /// <summary>The container of <see cref="DataProtectionBlobs"/>; default <c>pgo-portal-keys</c>.</summary>
    public string DataProtectionContainer { get; set; } = "pgo-portal-keys";
}
