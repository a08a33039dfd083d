using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Fhir.Tests.Access;

/// <summary>Stand-ins and a change of supporter as pure rules (Fhir/Access/SupporterRules.cs, issue 18); the whole path
/// runs on both providers in tests/Pgo.Api.Tests/Access/StandInAndTransferTests.cs.</summary>
public class SupporterRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static ConsentGrant Supporter(bool allowStandIn = true, bool active = true)
    {
        var c = Grants.Grant("g", "kim", "Practitioner/ricardo", GrantRole.Ondersteuner, [Section.Doelen], write: true, allowStandIn: allowStandIn);
        if (!active) c.Status = Consent.ConsentState.Inactive;
        return ConsentGrant.Of(c);
    }

    [Fact]
    public void A_stand_in_needs_a_supporters_grant_in_force_that_allows_it_and_a_period_ahead()
    {
        SupporterRules.StandInOn(Supporter(), Now, Now.AddDays(7), Now).ShouldBe(SupporterRefusal.None);
        SupporterRules.StandInOn(Supporter(allowStandIn: false), Now, Now.AddDays(7), Now).ShouldBe(SupporterRefusal.StandInsNotAllowed);
        SupporterRules.StandInOn(Supporter(active: false), Now, Now.AddDays(7), Now).ShouldBe(SupporterRefusal.NotASupporterGrant);
        SupporterRules.StandInOn(Supporter(), Now.AddDays(-7), Now.AddDays(-1), Now).ShouldBe(SupporterRefusal.Period);
        SupporterRules.StandInOn(Supporter(), Now.AddDays(2), Now.AddDays(1), Now).ShouldBe(SupporterRefusal.Period);
        var regie = ConsentGrant.Of(Grants.Regie("r", "kim", ["RelatedPerson/ilona"]));
        SupporterRules.StandInOn(regie, Now, Now.AddDays(7), Now).ShouldBe(SupporterRefusal.NotASupporterGrant);
    }

    [Fact]
    public void Only_the_coach_of_the_supporters_team_names_one_and_only_a_colleague_of_the_same_organisation()
    {
        SupporterRules.CoachMayNameStandIn(false, true, Supporter(), Now, Now.AddDays(7), Now).ShouldBeNull();
        SupporterRules.CoachMayNameStandIn(true, false, Supporter(), Now, Now.AddDays(7), Now).ShouldBe(SupporterRefusal.NotSameTeam);
        SupporterRules.CoachMayNameStandIn(true, true, Supporter(allowStandIn: false), Now, Now.AddDays(7), Now).ShouldBe(SupporterRefusal.StandInsNotAllowed);
        SupporterRules.CoachMayNameStandIn(true, true, Supporter(), Now, Now.AddDays(7), Now).ShouldBe(SupporterRefusal.None);
    }

    [Fact]
    public void A_supporters_grant_in_force_moves_to_someone_else()
    {
        SupporterRules.Transfer(Supporter(), "Practitioner/sven", Now).ShouldBe(SupporterRefusal.None);
        SupporterRules.Transfer(Supporter(), "Practitioner/ricardo", Now).ShouldBe(SupporterRefusal.SameSupporter);
        SupporterRules.Transfer(Supporter(active: false), "Practitioner/sven", Now).ShouldBe(SupporterRefusal.NotASupporterGrant);
        var standIn = ConsentGrant.Of(Grants.StandIn("s", "kim", "g", "Practitioner/sven", Now, Now.AddDays(1)));
        SupporterRules.IsStandIn(standIn).ShouldBeTrue();
        SupporterRules.Transfer(standIn, "Practitioner/khadija", Now).ShouldBe(SupporterRefusal.NotASupporterGrant);
    }
}
