using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using Pgo.Fhir.Storage;
using Task = System.Threading.Tasks.Task;

namespace Pgo.Fhir.Tests.Access;

/// <summary>
/// $import (docs/adr/0015-bulk-import.md) takes no record the access layer reads its facts from, except the Patient,
/// whose import moves the access stamp like any write of it. RandomizedWriteTests drives imports against the model;
/// these pin the two lists to each other.
/// </summary>
public class ImportRefusalTests
{
    [Fact]
    public void Import_refuses_every_type_the_access_facts_come_from_except_the_Patient()
    {
        // The access stamp's types are those the consent policy's facts are read from (SqlFhirStore.Grants); the identity
        // types are W1's. A type added to either without a place in the refusal list would let a migration client shape access.
        var shaping = SqlFhirStore.AccessStampTypes.Union(WriteDecision.IdentityTypes).Except(["Patient"]).Append("Subscription").Append("AuditEvent");
        foreach (var type in shaping) FhirRepository.ImportRefusedTypes.ShouldContain(type);
        FhirRepository.ImportRefusedTypes.ShouldNotContain("Patient");
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task An_imported_Patient_moves_the_access_stamp_and_an_import_without_one_does_not(string provider)
    {
        await using var db = await TestDatabases.CreateAsync(provider);
        await using var rig = new PolicyRig(db, new TestClock(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero)));
        var ctx = PolicyRig.System;
        var before = await rig.Store.AccessStampAsync(TestContext.Current.CancellationToken);
        var goal = new Goal { Id = "imp-goal", LifecycleStatus = Goal.GoalLifecycleStatus.Active, Description = new CodeableConcept { Text = "doel" }, Subject = new ResourceReference("Patient/imp-p") };
        await rig.Repository.ImportAsync(ctx, [FhirJson.Serialize(goal)], TestContext.Current.CancellationToken);
        (await rig.Store.AccessStampAsync(TestContext.Current.CancellationToken)).ShouldBe(before);
        await rig.Repository.ImportAsync(ctx, [FhirJson.Serialize(new Patient { Id = "imp-p", BirthDate = "2015-03-01" })], TestContext.Current.CancellationToken);
        (await rig.Store.AccessStampAsync(TestContext.Current.CancellationToken)).ShouldBeGreaterThan(before);
    }
}
