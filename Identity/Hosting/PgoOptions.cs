namespace Pgo.Identity.Hosting;

/// <summary>Identity's keys directly under <c>Pgo</c> (docs/settings.md): its data folder, its issuer and public
/// address, and whether it trusts a proxy's forwarded headers. <c>Pgo:Entra:*</c> is bound by Microsoft.Identity.Web
/// itself (External/EntraLogin.cs).</summary>
public sealed class PgoOptions
{
    public const string Section = "Pgo";

    /// <summary>Folder for <c>identity.db</c>, the keys and the mail pickup; default <c>&lt;contentRoot&gt;/../data</c>.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>The token issuer (OpenIddict), an absolute URL; unset: the request's address.</summary>
    public string? Issuer { get; set; }

    /// <summary>Base of the links in mails; unset: <see cref="Issuer"/>, else the request's address.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>Honour <c>X-Forwarded-For</c>/<c>-Proto</c>: only behind a TLS-terminating proxy that is the only way in.</summary>
    public bool ForwardedHeaders { get; set; }

    /// <summary>Several Identity instances serve behind one balancer (<c>./pgo cluster</c>, Azure Container Apps): then the
    /// keys must be shared (<c>Pgo:Keys:Store=Database</c>) and the database must be PostgreSQL; anything else is refused.
    /// <c>Pgo:Cluster:Enabled</c>, the same shape as in the Api and the Portal; the older <c>Pgo:Cluster=true</c> still
    /// counts (<see cref="Pgo.Observability.ClusterSetting"/>, applied after binding in IdentityHost).</summary>
    [Microsoft.Extensions.Configuration.ConfigurationKeyName("Cluster:Enabled")]
    public bool Cluster { get; set; }
}
