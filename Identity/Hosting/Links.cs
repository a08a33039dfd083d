using Microsoft.AspNetCore.WebUtilities;

namespace Pgo.Identity.Hosting;

/// <summary>
/// Absolute links to Identity's own pages, for mails. The base is <c>Pgo:PublicUrl</c> (or <c>Pgo:Issuer</c>)
/// when configured, otherwise the address of the request that causes the mail.
/// </summary>
public sealed class Links(Microsoft.Extensions.Options.IOptions<PgoOptions> options, IHttpContextAccessor http)
{
    public string To(string path, IDictionary<string, string?>? query = null)
    {
        var configured = options.Value.PublicUrl is { Length: > 0 } url ? url : options.Value.Issuer;
        var request = http.HttpContext?.Request;
        var root = !string.IsNullOrEmpty(configured)
            ? configured.TrimEnd('/')
            : request is null ? "http://localhost:5300" : $"{request.Scheme}://{request.Host}{request.PathBase}";
        var link = root + path;
        return query is null ? link : QueryHelpers.AddQueryString(link, query);
    }
}
