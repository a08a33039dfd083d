using Pgo.Fhir.Access;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Fhir.Tests.Access;

/// <summary>The whole family (issue 18), the pure decisions of <see cref="FamilyRules"/> on hand-made grants: who may group
/// dossiers or start a naaste's own dossier, and who holds regie over it by the age rules.</summary>
public class FamilyRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    private static AccessScope ScopeOf(string person, string[] records, params Hl7.Fhir.Model.Consent[] consents) =>
        ConsentAccessPolicy.Compile(new CallerContext($"sub-{person}", $"Person/{person}", ["user/*.cruds"], IsSystem: false),
            new GrantFacts(records.Append($"Person/{person}").ToHashSet(StringComparer.Ordinal), consents.Select(ConsentGrant.Of).ToList(),
                new Dictionary<string, DateOnly>(), new Dictionary<string, ConsentGrant>(), []), Now);

    [Theory]
    [InlineData(AgeStage.Child, true, false)]
    [InlineData(AgeStage.YoungTeen, true, false)]   // a sibling of 14 with an account: the parents hold regie, he reads and writes
    [InlineData(AgeStage.Adolescent, true, true)]   // 16 or 17 with an account: their own
    [InlineData(AgeStage.Adolescent, false, false)]
    [InlineData(AgeStage.Adult, true, true)]        // a young carer of 19
    [InlineData(AgeStage.Unknown, true, false)]
    public void Regie_over_a_naaste_s_own_dossier_follows_the_age_rules(AgeStage stage, bool account, bool own)
    {
        FamilyRules.NaasteHoldsOwnRegie(stage, account).ShouldBe(own);
    }

    [Fact]
    public void An_adult_naaste_without_an_account_is_invited_first_and_nobody_else_takes_their_regie()
    {
        FamilyRules.AdultNeedsAccount(AgeStage.Adult, naasteHasAccount: false).ShouldBeTrue();
        FamilyRules.AdultNeedsAccount(AgeStage.Adult, naasteHasAccount: true).ShouldBeFalse();
        FamilyRules.AdultNeedsAccount(AgeStage.YoungTeen, naasteHasAccount: false).ShouldBeFalse();
    }

    [Fact]
    public void Grouping_needs_write_on_netwerk_in_every_dossier_of_the_family()
    {
        var mother = ScopeOf("mam", ["RelatedPerson/mam-a", "RelatedPerson/mam-b"],
            Grants.Regie("r-a", "a", ["RelatedPerson/mam-a"]),
            Grants.Grant("g-b", "b", "RelatedPerson/mam-b", GrantRole.Gezinslid, [Section.Netwerk, Section.Doelen]));
        FamilyRules.MayGroup(mother, "a").ShouldBeTrue();
        FamilyRules.MayGroup(mother, "b").ShouldBeFalse(); // reads the network of b, may not change it
        FamilyRules.CanOpen(mother, "b").ShouldBeTrue();
        FamilyRules.CanOpen(mother, "c").ShouldBeFalse();

        var caller = new CallerContext("sub-mam", "Person/mam", ["user/*.cruds"], IsSystem: false);
        FamilyRules.MemberDossier(caller, mother, "a", []).ShouldBeNull();
        FamilyRules.MemberDossier(caller, mother, "a", ["a", "b"]).ShouldBe(MemberDossierRefusal.NoNetworkWrite);
        FamilyRules.MemberDossier(caller, mother, "b", []).ShouldBe(MemberDossierRefusal.NoNetworkWrite);
        // An aunt who may change the network (and the family) but holds no regie does not start a sibling's dossier.
        var aunt = ScopeOf("tante", ["RelatedPerson/tante-a"], Grants.Grant("g-t", "a", "RelatedPerson/tante-a", GrantRole.Gezinslid, [Section.Netwerk], write: true));
        FamilyRules.MayGroup(aunt, "a").ShouldBeTrue();
        FamilyRules.MemberDossier(caller with { FhirUser = "Person/tante" }, aunt, "a", []).ShouldBe(MemberDossierRefusal.NoRegie);
        // A supporter account is invited by families and starts no dossier, whatever it may write.
        FamilyRules.MemberDossier(caller with { Roles = ["supporter"] }, mother, "a", []).ShouldBe(MemberDossierRefusal.NotFamily);
    }
}
