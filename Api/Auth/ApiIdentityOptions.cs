namespace Pgo.Api.Auth;

/// <summary>Configuration section <c>Pgo:Identity</c>: who issues the access tokens the Api accepts.</summary>
public sealed class ApiIdentityOptions
{
    public const string Section = "Pgo:Identity";

    /// <summary>Identity's base URL, the tokens' issuer (default http://localhost:5300 in Development; required, and
    /// https unless <see cref="SigningKeys"/> are given, elsewhere). Its discovery document and JWKS are fetched.</summary>
    public string? Authority { get; set; }

    /// <summary>PEM public keys to validate tokens with, without reaching Identity.</summary>
    public List<string> SigningKeys { get; set; } = [];

    /// <summary>The <see cref="SigningKeys"/> that hold a key (an environment variable set to empty does not).</summary>
    public IReadOnlyList<string> GivenSigningKeys() => SigningKeys.Where(k => !string.IsNullOrWhiteSpace(k)).ToList();

    /// <summary>The issuer browsers and SMART apps see, when it differs from <see cref="Authority"/> (behind a proxy).</summary>
    public string? PublicUrl { get; set; }
}
