using System.Net;
using System.Reflection;
using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;
using static Pgo.Fhir.Access.PgoCodes;
using Task = System.Threading.Tasks.Task;

namespace Pgo.Api.Tests.Access;

/// <summary>
/// The family of the read matrix plus the write side's manager (read/write plan and doelen with manage), and the
/// helpers the write cells share: fresh copies written by the platform, identifiers to find what a cell wrote, and
/// rereads as the platform.
/// </summary>
public abstract class WriteMatrixFamily(string provider) : MatrixFamily(provider)
{
    public const string KeySystem = "urn:pgo:write-matrix";
    public const string Other = "mx-other";

    /// <summary>The record each role acts as (its Person's link).</summary>
    public static readonly IReadOnlyDictionary<string, string> Identity = new Dictionary<string, string>
    {
        ["regiehouder"] = "RelatedPerson/mx-mother", ["regiehouder-2"] = "RelatedPerson/mx-father", ["client"] = $"Patient/{Client}",
        ["sibling"] = "RelatedPerson/mx-sister", ["supporter"] = "Practitioner/mx-supporter", ["stand-in"] = "Practitioner/mx-colleague",
        ["professional"] = "Practitioner/mx-doctor", ["agency"] = "Practitioner/mx-wmo", ["app"] = "RelatedPerson/mx-mother",
        ["stranger"] = "RelatedPerson/mx-stranger", ["former-supporter"] = "Practitioner/mx-former", ["manager"] = "Practitioner/mx-manager",
    };

    protected override (string Person, string Scopes) RoleOf(string role) =>
        role == "manager" ? ("Person/mx-manager", "openid fhirUser user/*.cruds") : base.RoleOf(role);

    public static string PersonOf(string role) => role == "manager" ? "Person/mx-manager" : Roles[role].Person;

    protected override IEnumerable<Resource> MoreResources()
    {
        yield return new Practitioner { Id = "mx-manager", Name = [new HumanName { Family = "mx-manager" }] };
        yield return new Practitioner { Id = "mx-helper", Name = [new HumanName { Family = "mx-helper" }] };
        // A stand-in works in the supporter's team (issue 18): the helper a stand-in cell names joins the supporter's team
        // (MatrixFamily gives the supporter a role at mx-team).
        yield return new PractitionerRole { Id = "mx-helper-team", Practitioner = new ResourceReference("Practitioner/mx-helper"), Organization = new ResourceReference("Organization/mx-team") };
        yield return new Person { Id = "mx-manager", Link = [new Person.LinkComponent { Target = new ResourceReference("Practitioner/mx-manager") }] };
        var grant = Grants.Grant("mx-grant-manager", Client, "Practitioner/mx-manager", GrantRole.Ondersteuner, [Section.Plan, Section.Doelen], write: true, manage: true);
        yield return grant;
    }

    /// <summary>A new resource of the section for the write cells (toegang: read on doelen for mx-helper, within
    /// the manager's rights; the hidden item: a logboek item), carrying a fresh identifier.</summary>
    public static (Resource Resource, string Key) New(string section, string patient = Client)
    {
        Resource r = section switch
        {
            "toegang" => Grants.Grant(null, patient, "Practitioner/mx-helper", GrantRole.Ondersteuner, [Section.Doelen]),
            "verborgen" => NewResource("logboek"),
            _ => NewResource(section),
        };
        if (patient != Client) Retarget(r, patient);
        var key = Guid.NewGuid().ToString("N");
        Tag(r, key);
        return (r, key);
    }

    /// <summary>Puts <paramref name="key"/> in the resource's identifier (list or single, whatever the type has).</summary>
    public static void Tag(Resource r, string key)
    {
        var identifier = new Identifier(KeySystem, key);
        var property = r.GetType().GetProperty("Identifier", BindingFlags.Public | BindingFlags.Instance)
                       ?? throw new InvalidOperationException($"{r.TypeName} has no identifier");
        if (property.PropertyType == typeof(Identifier)) property.SetValue(r, identifier);
        else ((List<Identifier>)property.GetValue(r)!).Add(identifier);
    }

    public static void Label(Resource r, string section) =>
        (r.Meta ??= new Meta()).Security.Add(new Coding(Section.System, section));

    /// <summary>Sets the subject (or patient) of a Goal to another client.</summary>
    public static void Retarget(Resource r, string patient)
    {
        var reference = new ResourceReference($"Patient/{patient}");
        switch (r)
        {
            case Goal g: g.Subject = reference; break;
            case Consent c: c.Patient = reference; break;
            default: throw new NotSupportedException(r.TypeName);
        }
    }

    /// <summary>The platform writes a fresh copy; returns it as stored.</summary>
    public async global::System.Threading.Tasks.Task<Resource> FreshAsync(Resource r)
    {
        var response = await System.PostAsync($"/fhir/{r.TypeName}", r);
        if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"fresh {r.TypeName}: {await response.Content.ReadAsStringAsync()}");
        return await response.ReadAs<Resource>();
    }

    /// <summary>As the platform: how many resources of the type carry the key.</summary>
    public async global::System.Threading.Tasks.Task<int> CountAsync(string type, string key)
    {
        var bundle = await (await System.GetAsync($"/fhir/{type}?identifier={Uri.EscapeDataString($"{KeySystem}|{key}")}")).ReadAs<Bundle>();
        return bundle.Total ?? -1;
    }

    /// <summary>As the platform: the status and version of a resource now.</summary>
    public async global::System.Threading.Tasks.Task<(HttpStatusCode Status, string? Version, Resource? Resource)> StateAsync(string type, string id)
    {
        var response = await System.GetAsync($"/fhir/{type}/{id}");
        if (response.StatusCode != HttpStatusCode.OK) return (response.StatusCode, null, null);
        var r = await response.ReadAs<Resource>();
        return (response.StatusCode, r.Meta?.VersionId, r);
    }

    /// <summary>Undo a write that should have been refused, so that one widening does not spoil the other cells.</summary>
    public async Task RemoveAsync(string type, string key)
    {
        var bundle = await (await System.GetAsync($"/fhir/{type}?identifier={Uri.EscapeDataString($"{KeySystem}|{key}")}")).ReadAs<Bundle>();
        foreach (var e in bundle.Entry.Where(e => e.Resource is not null))
            await System.DeleteAsync($"/fhir/{type}/{e.Resource.Id}");
    }

    public async Task RestoreAsync(Resource original)
    {
        var copy = (Resource)original.DeepCopy();
        copy.Meta = null;
        await System.PutAsync($"/fhir/{copy.TypeName}/{copy.Id}", copy);
    }
}

public sealed class SqliteWriteMatrixFamily() : WriteMatrixFamily("sqlite");
public sealed class PostgresWriteMatrixFamily() : WriteMatrixFamily("postgres");
