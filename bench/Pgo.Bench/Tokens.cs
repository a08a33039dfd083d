using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Pgo.Bench;

/// <summary>Access tokens shaped like Pgo.Identity's (RS256, typ at+jwt, aud pgo-api), signed with the benchmark's own key.</summary>
public static class Tokens
{
    public const string Issuer = "http://localhost:5300";

    public static string Create(string privateKeyPem, string? fhirUser, string scopes)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(privateKeyPem);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = new Dictionary<string, object>
        {
            ["iss"] = Issuer, ["aud"] = "pgo-api", ["sub"] = fhirUser ?? "pgo-bench", ["client_id"] = "pgo-bench",
            ["scope"] = scopes, ["iat"] = now, ["nbf"] = now, ["exp"] = now + 24 * 3600,
        };
        if (fhirUser is not null) payload["fhirUser"] = fhirUser;
        var head = B64(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", typ = "at+jwt", kid = "bench" }));
        var body = B64(JsonSerializer.SerializeToUtf8Bytes(payload));
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(head + "." + body), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return head + "." + body + "." + B64(signature);
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>An HTTP client that sends PGO_BENCH_TOKEN.</summary>
    public static HttpClient Client()
    {
        var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        if (Environment.GetEnvironmentVariable("PGO_BENCH_TOKEN") is { Length: > 0 } token)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}

/// <summary>A supporter with a caseload: Person/bench-supporter acts as Practitioner/bench-supporter, who has an
/// ondersteuner grant (read profiel, medisch, doelen, afspraken) on each of the first patients.</summary>
public static class Grants
{
    private const string SectionSystem = "https://fhir.pgo-platform.nl/CodeSystem/dossier-section";

    public static async Task<int> LoadAsync(string baseUrl, int caseload)
    {
        using var http = Tokens.Client();
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        void Put(Resource r) => bundle.Entry.Add(new Bundle.EntryComponent { Resource = r, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"{r.TypeName}/{r.Id}" } });
        Put(new Practitioner { Id = "bench-supporter", Name = [new HumanName { Family = "Bondgenoot" }] });
        Put(new Person { Id = "bench-supporter", Link = [new Person.LinkComponent { Target = new ResourceReference("Practitioner/bench-supporter") }] });
        for (var p = 0; p < caseload; p++)
        {
            Put(new Consent
            {
                Id = $"bench-grant-{p}",
                Status = Consent.ConsentState.Active,
                Scope = new CodeableConcept("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy"),
                Category = [new CodeableConcept("https://fhir.pgo-platform.nl/CodeSystem/consent-category", "dossiertoegang")],
                Patient = new ResourceReference($"Patient/bench-p{p}"),
                Policy = [new Consent.PolicyComponent { Uri = "https://fhir.pgo-platform.nl/policy/dossiertoegang" }],
                Provision = new Consent.provisionComponent
                {
                    Type = Consent.ConsentProvisionType.Permit,
                    Actor = [new Consent.provisionActorComponent
                    {
                        Reference = new ResourceReference("Practitioner/bench-supporter"),
                        Role = new CodeableConcept("https://fhir.pgo-platform.nl/CodeSystem/grant-role", "ondersteuner"),
                    }],
                    Action = [new CodeableConcept("https://fhir.pgo-platform.nl/CodeSystem/grant-action", "read")],
                    Code = new[] { "profiel", "medisch", "doelen", "afspraken" }.Select(s => new CodeableConcept(SectionSystem, s)).ToList(),
                },
            });
        }
        using var content = new StringContent(new FhirJsonSerializer().SerializeToString(bundle), Encoding.UTF8, "application/fhir+json");
        using var response = await http.PostAsync(baseUrl, content);
        if (!response.IsSuccessStatusCode)
        {
            Console.Error.WriteLine($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            return 1;
        }
        Console.WriteLine($"grants: Person/bench-supporter reads patients 0..{caseload - 1}");
        return 0;
    }
}
