using System.Net;
using Hl7.Fhir.Model;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;

namespace Pgo.Api.Tests.Access;

public sealed class AuthorizationMatrixOnSqlite(SqliteMatrixFamily f) : AuthorizationMatrixTests(f), IClassFixture<SqliteMatrixFamily>;
public sealed class AuthorizationMatrixOnPostgres(PostgresMatrixFamily f) : AuthorizationMatrixTests(f), IClassFixture<PostgresMatrixFamily>;

/// <summary>Every cell of docs/authorization-matrix.md × every interaction; see the table there for what each expects.</summary>
public abstract class AuthorizationMatrixTests(MatrixFamily family)
{
    public static TheoryData<string, string, string> Cells() => Matrix.Cells();

    [Theory, MemberData(nameof(Cells))]
    public async System.Threading.Tasks.Task Cell(string role, string section, string interaction)
    {
        var (read, write) = Matrix.Cell(role, section);
        var (type, id) = MatrixFamily.Main[section];
        var client = family.As(role);
        var system = family.System;
        var label = $"{family.Provider}: {role} × {section} × {interaction}";

        switch (interaction)
        {
            case "read":
            {
                var response = await client.GetAsync($"/fhir/{type}/{id}");
                if (read)
                {
                    response.StatusCode.ShouldBe(HttpStatusCode.OK, label);
                }
                else
                {
                    response.StatusCode.ShouldBe(HttpStatusCode.NotFound, label);
                    // Exactly the answer for an id that does not exist (apart from the id in the text).
                    var missing = await client.GetAsync($"/fhir/{type}/mx-does-not-exist");
                    (await response.Content.ReadAsStringAsync()).Replace(id, "X").ShouldBe((await missing.Content.ReadAsStringAsync()).Replace("mx-does-not-exist", "X"), label);
                }
                break;
            }
            case "search":
            {
                var bundle = await (await client.GetAsync($"/fhir/{type}?_id={id}")).ReadAs<Bundle>();
                bundle.Total.ShouldBe(read ? 1 : 0, label);
                bundle.Entry.Any(e => e.Resource?.Id == id).ShouldBe(read, label);
                var count = await (await client.GetAsync($"/fhir/{type}?_id={id}&_summary=count")).ReadAs<Bundle>();
                count.Total.ShouldBe(read ? 1 : 0, label);
                break;
            }
            case "include":
            {
                var bundle = await (await client.GetAsync("/fhir/Linkage?_id=mx-hub&_include=Linkage:item")).ReadAs<Bundle>();
                // The hub is a directory resource: visible to every token that may read Linkage (not to patient/Goal.rs).
                var hubVisible = MatrixFamily.Roles[role].Scopes.Contains("/*.", StringComparison.Ordinal);
                bundle.Total.ShouldBe(hubVisible ? 1 : 0, label);
                bundle.Entry.Any(e => e.Resource?.TypeName == type && e.Resource.Id == id).ShouldBe(read && hubVisible, label);
                break;
            }
            case "revinclude":
            {
                var url = section == "profiel" ? "/fhir/Patient?_id=mx-client" : $"/fhir/Patient?_id=mx-client&_revinclude={type}:patient";
                var bundle = await (await client.GetAsync(url)).ReadAs<Bundle>();
                var profiel = Matrix.Cell(role, "profiel").Read;
                bundle.Entry.Any(e => e.Resource?.TypeName == type && e.Resource.Id == id).ShouldBe(read && profiel, label);
                bundle.Total.ShouldBe(profiel ? 1 : 0, label);
                break;
            }
            case "history":
            {
                var response = await client.GetAsync($"/fhir/{type}/{id}/_history");
                response.StatusCode.ShouldBe(read ? HttpStatusCode.OK : HttpStatusCode.NotFound, label);
                break;
            }
            case "everything":
            {
                var response = await client.GetAsync($"/fhir/Patient/{MatrixFamily.Client}/$everything");
                if (!Matrix.Cell(role, "profiel").Read)
                {
                    response.StatusCode.ShouldBe(HttpStatusCode.NotFound, label);
                    break;
                }
                var bundle = await response.ReadAs<Bundle>();
                bundle.Entry.Any(e => e.Resource?.TypeName == type && e.Resource.Id == id).ShouldBe(read, label);
                break;
            }
            case "create":
            {
                var resource = MatrixFamily.NewResource(section);
                var response = await client.PostAsync($"/fhir/{resource.TypeName}", resource);
                var expected = write ? HttpStatusCode.Created : Matrix.AnyRead(role) ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound;
                response.StatusCode.ShouldBe(expected, label + " " + await response.Content.ReadAsStringAsync());
                break;
            }
            case "update":
            {
                var current = await (await system.GetAsync($"/fhir/{type}/{id}")).ReadAs<Resource>();
                var response = await client.PutAsync($"/fhir/{type}/{id}", current);
                var expected = write ? HttpStatusCode.OK : read ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound;
                response.StatusCode.ShouldBe(expected, label + " " + await response.Content.ReadAsStringAsync());
                break;
            }
            case "delete":
            {
                if (write)
                {
                    var copy = MatrixFamily.NewResource(section);
                    var created = await (await system.PostAsync($"/fhir/{copy.TypeName}", copy)).ReadAs<Resource>();
                    (await client.DeleteAsync($"/fhir/{created.TypeName}/{created.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent, label);
                    (await system.GetAsync($"/fhir/{created.TypeName}/{created.Id}")).StatusCode.ShouldBe(HttpStatusCode.Gone, label);
                }
                else
                {
                    var response = await client.DeleteAsync($"/fhir/{type}/{id}");
                    response.StatusCode.ShouldBe(read ? HttpStatusCode.Forbidden : HttpStatusCode.NoContent, label);
                    (await system.GetAsync($"/fhir/{type}/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK, label);
                }
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(interaction), interaction, null);
        }
    }
}
