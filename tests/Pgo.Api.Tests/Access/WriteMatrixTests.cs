using System.Net;
using Hl7.Fhir.Model;
using Pgo.Api.Tests.Fhir;
using Pgo.Fhir.Access;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;
using static Pgo.Fhir.Access.PgoCodes;
using Task = System.Threading.Tasks.Task;

namespace Pgo.Api.Tests.Access;

public sealed class WriteMatrixOnSqlite(SqliteWriteMatrixFamily f) : WriteMatrixTests(f), IClassFixture<SqliteWriteMatrixFamily>;
public sealed class WriteMatrixOnPostgres(PostgresWriteMatrixFamily f) : WriteMatrixTests(f), IClassFixture<PostgresWriteMatrixFamily>;

/// <summary>
/// Every cell of the write side of docs/authorization-matrix.md (tables write-sections and write): allowed writes
/// are applied, refused ones answer 403/404 as the table says and change nothing (reread as the platform).
/// </summary>
public abstract class WriteMatrixTests(WriteMatrixFamily family)
{
    public static TheoryData<string, string, string> SectionCells() => WriteMatrix.SectionCellsData();
    public static TheoryData<string, string> OtherCells() => WriteMatrix.OtherCellsData();

    [Fact]
    public void The_write_tables_rows_for_the_read_matrix_roles_are_the_read_matrix()
    {
        foreach (var role in Matrix.Roles)
            foreach (var section in Matrix.Sections)
                WriteMatrix.Cell(role, section).ShouldBe(Matrix.Cell(role, section), $"{role} × {section}");
    }

    [Theory, MemberData(nameof(SectionCells))]
    public async Task Section_write(string role, string section, string kind)
    {
        var (read, write) = WriteMatrix.Cell(role, section);
        var any = WriteMatrix.AnyRead(role);
        var label = section == "plan" ? "doelen" : "plan";
        var labelAllowed = section == "toegang" ? write : write && WriteMatrix.Cell(role, label).Write;
        var client = family.As(role);
        var cell = $"{family.Provider}: {role} × {section} × {kind}";
        var refusedCreate = any ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound;
        var refusedChange = read ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound;

        switch (kind)
        {
            case "create" or "conditional-create" or "label-create":
            {
                var (resource, key) = WriteMatrixFamily.New(section);
                if (kind == "label-create") WriteMatrixFamily.Label(resource, label);
                var allowed = kind == "label-create" ? labelAllowed : write;
                var response = kind == "conditional-create"
                    ? await client.PostAsync($"/fhir/{resource.TypeName}", resource, ("If-None-Exist", $"identifier={WriteMatrixFamily.KeySystem}|{key}"))
                    : await client.PostAsync($"/fhir/{resource.TypeName}", resource);
                var stored = await family.CountAsync(resource.TypeName, key);
                if (!allowed && stored > 0) await family.RemoveAsync(resource.TypeName, key);
                response.StatusCode.ShouldBe(allowed ? HttpStatusCode.Created : refusedCreate, $"{cell} {await response.Content.ReadAsStringAsync()}");
                stored.ShouldBe(allowed ? 1 : 0, $"{cell}: stored");
                if (allowed && kind == "label-create" && section == "toegang")
                    await ConsentStaysInToegangAsync(await response.ReadAs<Resource>(), cell);
                break;
            }
            case "update" or "conditional-update" or "label-change":
            {
                var allowed = kind == "label-change" ? labelAllowed : write;
                var target = await TargetAsync(section, allowed);
                var before = await family.StateAsync(target.TypeName, target.Id);
                var countBefore = await family.System.CountAsync(target.TypeName);
                var changed = (Resource)before.Resource!.DeepCopy();
                changed.Meta = null;
                if (kind == "label-change") WriteMatrixFamily.Label(changed, label);
                else (changed.Meta = new Meta()).Tag.Add(new Coding(WriteMatrixFamily.KeySystem, "changed"));
                var response = kind == "conditional-update"
                    ? await client.PutAsync($"/fhir/{target.TypeName}?_id={target.Id}", changed)
                    : await client.PutAsync($"/fhir/{target.TypeName}/{target.Id}", changed);
                var after = await family.StateAsync(target.TypeName, target.Id);
                var body = $"{cell} {await response.Content.ReadAsStringAsync()}";
                if (allowed)
                {
                    response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
                    after.Version.ShouldNotBe(before.Version, cell);
                    if (kind == "label-change" && section == "toegang") await ConsentStaysInToegangAsync(after.Resource!, cell);
                    break;
                }
                if (after.Version != before.Version) await family.RestoreAsync(before.Resource!);
                if (kind == "conditional-update" && !read) new[] { HttpStatusCode.Forbidden, HttpStatusCode.NotFound }.ShouldContain(response.StatusCode, body);
                else response.StatusCode.ShouldBe(refusedChange, body);
                after.Version.ShouldBe(before.Version, $"{cell}: changed anyway");
                (await family.System.CountAsync(target.TypeName)).ShouldBe(countBefore, $"{cell}: a refused update created a resource");
                break;
            }
            case "delete":
            {
                var target = await TargetAsync(section, write);
                var before = await family.StateAsync(target.TypeName, target.Id);
                var response = await client.DeleteAsync($"/fhir/{target.TypeName}/{target.Id}");
                var after = await family.StateAsync(target.TypeName, target.Id);
                if (write)
                {
                    response.StatusCode.ShouldBe(HttpStatusCode.NoContent, cell);
                    after.Status.ShouldBe(HttpStatusCode.Gone, cell);
                    break;
                }
                if (after.Status != HttpStatusCode.OK) await family.RestoreAsync(before.Resource!);
                if (read) response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, cell);
                else new[] { HttpStatusCode.NoContent, HttpStatusCode.NotFound }.ShouldContain(response.StatusCode, cell);
                after.Status.ShouldBe(HttpStatusCode.OK, $"{cell}: deleted anyway");
                after.Version.ShouldBe(before.Version, cell);
                break;
            }
            case "bundle":
            {
                // A harmless entry the role may write, then the entry the cell is about: all or nothing.
                var companionSection = WriteMatrix.Sections.FirstOrDefault(s => s is not ("verborgen" or "toegang") && WriteMatrix.Cell(role, s).Write);
                var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
                (Resource Resource, string Key)? companion = companionSection is null ? null : WriteMatrixFamily.New(companionSection);
                if (companion is { } c)
                    bundle.Entry.Add(new Bundle.EntryComponent { Resource = c.Resource, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = c.Resource.TypeName } });
                var target = await TargetAsync(section, write);
                var before = await family.StateAsync(target.TypeName, target.Id);
                var changed = (Resource)before.Resource!.DeepCopy();
                (changed.Meta = new Meta()).Tag.Add(new Coding(WriteMatrixFamily.KeySystem, "changed"));
                bundle.Entry.Add(new Bundle.EntryComponent { Resource = changed, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"{target.TypeName}/{target.Id}" } });
                var response = await client.PostAsync("/fhir", bundle);
                var after = await family.StateAsync(target.TypeName, target.Id);
                var companions = companion is { } k ? await family.CountAsync(k.Resource.TypeName, k.Key) : 0;
                var body = $"{cell} {await response.Content.ReadAsStringAsync()}";
                if (write)
                {
                    response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
                    after.Version.ShouldNotBe(before.Version, cell);
                    companions.ShouldBe(companion is null ? 0 : 1, cell);
                    break;
                }
                if (after.Version != before.Version) await family.RestoreAsync(before.Resource!);
                if (companions > 0) await family.RemoveAsync(companion!.Value.Resource.TypeName, companion.Value.Key);
                new[] { HttpStatusCode.Forbidden, HttpStatusCode.NotFound }.ShouldContain(response.StatusCode, body);
                after.Version.ShouldBe(before.Version, $"{cell}: the refused entry was applied");
                companions.ShouldBe(0, $"{cell}: half a transaction was stored");
                break;
            }
            case "import":
            {
                // POST /fhir/$import (ADR 15) of one new resource of the section, with its own id: only a system client
                // imports, so every person is refused with 403, whatever they may write, and nothing is stored.
                var (resource, key) = WriteMatrixFamily.New(section);
                resource.Id = "mx-imp-" + key[..20];
                var response = await BulkImportTests.ImportAsync(client, [resource]);
                var stored = await family.CountAsync(resource.TypeName, key);
                var state = await family.StateAsync(resource.TypeName, resource.Id);
                if (stored > 0) await family.RemoveAsync(resource.TypeName, key);
                response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, $"{cell} {await response.Content.ReadAsStringAsync()}");
                stored.ShouldBe(0, $"{cell}: stored");
                state.Status.ShouldBe(HttpStatusCode.NotFound, $"{cell}: {resource.TypeName}/{resource.Id} exists");
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    /// <summary>What a changing cell writes to: a fresh copy where the write is allowed (so the world stays as the
    /// table describes it), else the section's own item of the read matrix (the hidden item for verborgen; a share
    /// package may cover that one item only).</summary>
    private async Task<Resource> TargetAsync(string section, bool allowed)
    {
        if (allowed) return await family.FreshAsync(WriteMatrixFamily.New(section).Resource);
        var (type, id) = MatrixFamily.Main[section];
        return (await family.StateAsync(type, id)).Resource!;
    }

    /// <summary>A Consent labelled plan is still in toegang: the supporter, who reads plan, does not see it.</summary>
    private async Task ConsentStaysInToegangAsync(Resource consent, string cell) =>
        (await family.As("supporter").GetAsync($"/fhir/Consent/{consent.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, $"{cell}: a labelled Consent left toegang");

    [Theory, MemberData(nameof(OtherCells))]
    public async Task Grant_identity_and_cross_dossier_write(string role, string kind)
    {
        var expected = WriteMatrix.Expected(role, kind);
        var client = family.As(role);
        var cell = $"{family.Provider}: {role} × {kind} (expected {expected})";
        var me = WriteMatrixFamily.Identity[role];

        switch (kind)
        {
            case "regie":
            {
                var consent = Grants.Regie(null, MatrixFamily.Client, [me]);
                WriteMatrixFamily.Label(consent, Section.Logboek);
                await CreateAsync(client, consent, expected, cell);
                break;
            }
            case "stand-in":
                await CreateAsync(client, Grants.StandIn(null, MatrixFamily.Client, "mx-grant-supporter", "Practitioner/mx-helper",
                    DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7)), expected, cell);
                break;
            case "grant-within":
                await CreateAsync(client, Grants.Grant(null, MatrixFamily.Client, "Practitioner/mx-helper", GrantRole.Ondersteuner, [Section.Doelen]), expected, cell);
                break;
            case "grant-wider":
                await CreateAsync(client, Grants.Grant(null, MatrixFamily.Client, "Practitioner/mx-helper", GrantRole.Ondersteuner, [Section.Financien], write: true), expected, cell);
                break;
            case "grant-manage":
                await CreateAsync(client, Grants.Grant(null, MatrixFamily.Client, "Practitioner/mx-helper", GrantRole.Ondersteuner, [Section.Doelen], manage: true), expected, cell);
                break;
            case "legal-no-document":
                await CreateAsync(client, Grants.Regie(null, MatrixFamily.Client, ["Practitioner/mx-helper"], LegalRepresentation.Mentor), expected, cell);
                break;
            case "legal-with-document":
            {
                var consent = Grants.Regie(null, MatrixFamily.Client, ["Practitioner/mx-helper"], LegalRepresentation.Mentor);
                consent.Source = new ResourceReference("DocumentReference/mx-documenten");
                await CreateAsync(client, consent, expected, cell);
                break;
            }
            case "end-other-regie" or "lift-other-hide":
            {
                // Regiehouder-2 writes it himself (the server records him as its performer), then the role ends it.
                Consent consent;
                if (kind == "end-other-regie")
                {
                    consent = Grants.Regie(null, MatrixFamily.Client, ["RelatedPerson/mx-father"]);
                }
                else
                {
                    var item = await family.FreshAsync(WriteMatrixFamily.New("logboek").Resource);
                    consent = Grants.Hide(null, MatrixFamily.Client, $"DocumentReference/{item.Id}", "RelatedPerson/mx-sister");
                }
                WriteMatrixFamily.Tag(consent, Guid.NewGuid().ToString("N"));
                var made = await family.As("regiehouder-2").PostAsync("/fhir/Consent", consent);
                made.StatusCode.ShouldBe(HttpStatusCode.Created, $"{cell}: regiehouder-2 could not write his own Consent {await made.Content.ReadAsStringAsync()}");
                var id = (await made.ReadAs<Consent>()).Id;
                await ChangeAsync(client, "Consent", id, r => ((Consent)r).Status = Consent.ConsentState.Inactive, expected, cell);
                break;
            }
            case "person-link":
            {
                var personId = WriteMatrixFamily.PersonOf(role)["Person/".Length..];
                var other = role == "stranger" ? "RelatedPerson/mx-mother" : "RelatedPerson/mx-stranger";
                await ChangeAsync(client, "Person", personId, r => ((Person)r).Link.Add(new Person.LinkComponent { Target = new ResourceReference(other) }), expected, cell);
                break;
            }
            case "person-create":
                await CreateAsync(client, new Person { Link = [new Person.LinkComponent { Target = new ResourceReference("RelatedPerson/mx-mother") }] }, expected, cell);
                break;
            case "practitioner-role":
                await CreateAsync(client, new PractitionerRole
                {
                    Practitioner = new ResourceReference("Practitioner/mx-helper"), Organization = new ResourceReference("Organization/mx-gemeente"),
                }, expected, cell);
                break;
            case "organization-update":
                await ChangeAsync(client, "Organization", "mx-gemeente", r => ((Organization)r).Name = "Overgenomen", expected, cell);
                break;
            case "group-two-families":
                await CreateAsync(client, new Group
                {
                    Type = Group.GroupType.Person, Actual = true,
                    Member = [new Group.MemberComponent { Entity = new ResourceReference($"Patient/{MatrixFamily.Client}") }, new Group.MemberComponent { Entity = new ResourceReference($"Patient/{WriteMatrixFamily.Other}") }],
                }, expected, cell);
                break;
            case "care-team-two-families":
                await CreateAsync(client, new CareTeam
                {
                    Status = CareTeam.CareTeamStatus.Active, Subject = new ResourceReference($"Patient/{MatrixFamily.Client}"),
                    Participant = [new CareTeam.ParticipantComponent { Member = new ResourceReference($"Patient/{WriteMatrixFamily.Other}") }],
                }, expected, cell);
                break;
            case "move-out" or "move-in":
            {
                var (from, to) = kind == "move-out" ? (MatrixFamily.Client, WriteMatrixFamily.Other) : (WriteMatrixFamily.Other, MatrixFamily.Client);
                var goal = await family.FreshAsync(WriteMatrixFamily.New("doelen", from).Resource);
                await ChangeAsync(client, "Goal", goal.Id, r => WriteMatrixFamily.Retarget(r, to), expected, cell);
                break;
            }
            case "put-create" or "recreate-deleted":
            {
                var id = "mx-w-" + Guid.NewGuid().ToString("N")[..16];
                if (kind == "recreate-deleted")
                {
                    var (theirs, _) = WriteMatrixFamily.New("doelen", WriteMatrixFamily.Other);
                    theirs.Id = id;
                    (await System.PutAsync($"/fhir/Goal/{id}", theirs)).StatusCode.ShouldBe(HttpStatusCode.Created, cell);
                    (await System.DeleteAsync($"/fhir/Goal/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent, cell);
                }
                var (mine, _) = WriteMatrixFamily.New("doelen");
                mine.Id = id;
                var response = await client.PutAsync($"/fhir/Goal/{id}", mine);
                var after = await family.StateAsync("Goal", id);
                var wanted = kind == "recreate-deleted" ? HttpStatusCode.Gone : HttpStatusCode.NotFound;
                if (after.Status != wanted) await System.DeleteAsync($"/fhir/Goal/{id}");
                await ShouldBeAsync(response, expected, cell);
                after.Status.ShouldBe(wanted, $"{cell}: the id now holds the caller's resource");
                break;
            }
            case "if-match-invisible":
            {
                var goal = await family.FreshAsync(WriteMatrixFamily.New("doelen", WriteMatrixFamily.Other).Resource);
                var response = await client.PutAsync($"/fhir/Goal/{goal.Id}", goal, "W/\"7\"");
                await ShouldBeAsync(response, expected, cell);
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    // The very answer for an id that does not exist: no version number, nothing that tells them apart.
                    var missing = "mx-w-missing-" + Guid.NewGuid().ToString("N")[..8];
                    var theirs = goal.Id;
                    goal.Id = missing;
                    var none = await client.PutAsync($"/fhir/Goal/{missing}", goal, "W/\"7\"");
                    (await family.StateAsync("Goal", missing)).Status.ShouldBe(HttpStatusCode.NotFound, $"{cell}: a PUT with If-Match created {missing}");
                    (await response.Content.ReadAsStringAsync()).Replace(theirs, "X").ShouldBe((await none.Content.ReadAsStringAsync()).Replace(missing, "X"), cell);
                    none.StatusCode.ShouldBe(HttpStatusCode.NotFound, $"{cell}: If-Match on a missing id");
                }
                break;
            }
            case "message-other-sender":
            {
                var message = new Communication
                {
                    Status = EventStatus.Completed, Subject = new ResourceReference($"Patient/{MatrixFamily.Client}"),
                    Sender = new ResourceReference("RelatedPerson/mx-nobody"), Recipient = [new ResourceReference("RelatedPerson/mx-mother")],
                    Payload = [new Communication.PayloadComponent { Content = new FhirString("Namens een ander") }],
                };
                await CreateAsync(client, message, expected, cell);
                break;
            }
            case "old-version-after-move":
            {
                // The regiehouder files a financien document under plan; its first version stays financien (W5).
                var doc = await family.FreshAsync(WriteMatrixFamily.New("financien").Resource);
                var moved = (Resource)doc.DeepCopy();
                moved.Meta = null;
                WriteMatrixFamily.Label(moved, Section.Plan);
                var put = await family.As("regiehouder").PutAsync($"/fhir/{doc.TypeName}/{doc.Id}", moved);
                put.StatusCode.ShouldBe(HttpStatusCode.OK, $"{cell}: the regiehouder could not move it {await put.Content.ReadAsStringAsync()}");
                var old = await client.GetAsync($"/fhir/{doc.TypeName}/{doc.Id}/_history/1");
                await ShouldBeAsync(old, expected, cell);
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    private HttpClient System => family.System;

    /// <summary>POST a new resource (carrying a fresh key); refused: nothing with the key is stored.</summary>
    private async Task CreateAsync(HttpClient client, Resource resource, string expected, string cell)
    {
        var key = Guid.NewGuid().ToString("N");
        WriteMatrixFamily.Tag(resource, key);
        var response = await client.PostAsync($"/fhir/{resource.TypeName}", resource);
        var stored = await family.CountAsync(resource.TypeName, key);
        // Grants the cells make are removed again, so that the world stays the one the table describes.
        if (stored > 0) await family.RemoveAsync(resource.TypeName, key);
        await ShouldBeAsync(response, expected, cell);
        stored.ShouldBe(expected == "ok" ? 1 : 0, $"{cell}: stored");
    }

    /// <summary>PUT a changed copy of an existing resource; refused: the version is unchanged.</summary>
    private async Task ChangeAsync(HttpClient client, string type, string id, Action<Resource> change, string expected, string cell)
    {
        var before = await family.StateAsync(type, id);
        before.Status.ShouldBe(HttpStatusCode.OK, $"{cell}: {type}/{id} is not there to change");
        var changed = (Resource)before.Resource!.DeepCopy();
        changed.Meta = null;
        change(changed);
        var response = await client.PutAsync($"/fhir/{type}/{id}", changed);
        var after = await family.StateAsync(type, id);
        if (expected != "ok" && after.Version != before.Version) await family.RestoreAsync(before.Resource!);
        await ShouldBeAsync(response, expected, cell);
        if (expected == "ok") after.Version.ShouldNotBe(before.Version, cell);
        else after.Version.ShouldBe(before.Version, $"{cell}: changed anyway");
    }

    private static async Task ShouldBeAsync(HttpResponseMessage response, string expected, string cell)
    {
        var body = $"{cell}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
        switch (expected)
        {
            case "ok":
                new[] { HttpStatusCode.OK, HttpStatusCode.Created }.ShouldContain(response.StatusCode, body);
                break;
            case "no":
                new[] { HttpStatusCode.Forbidden, HttpStatusCode.NotFound }.ShouldContain(response.StatusCode, body);
                break;
            case "4xx":
                ((int)response.StatusCode).ShouldBeInRange(400, 499, body);
                break;
            default:
                ((int)response.StatusCode).ShouldBe(int.Parse(expected, global::System.Globalization.CultureInfo.InvariantCulture), body);
                break;
        }
    }
}
