using Pgo.Api.Practice;
using static Pgo.Api.Practice.ReferralRules;

namespace Pgo.Api.Tests.Practice;

/// <summary>The rules of a referral (<see cref="ReferralRules"/>), without storage or HTTP: who stands how to a referral and
/// what each may see and do, what a referral must hold (the family's consent above all), and the waiting days.</summary>
public sealed class ReferralRulesTests
{
    private static readonly DateOnly Today = new(2026, 12, 4);
    private const long Noord = 1, Zuid = 2;
    private const string Sanne = "sub:sanne", Marieke = "Person/coach-smit", Ricardo = "Person/bondgenoot-ricardo", Khadija = "Person/bondgenoot-khadija";

    private static ReferralRelation Relation(string caller, IReadOnlySet<long>? coached = null, string? assigned = Ricardo) =>
        RelationOf(caller, coached ?? new HashSet<long>(), Noord, Sanne, assigned);

    [Fact]
    public void The_referrer_the_coach_of_its_team_and_the_assigned_supporter_see_it_and_nobody_else()
    {
        Relation(Sanne).ShouldBe(ReferralRelation.Referrer);
        Relation(Marieke, new HashSet<long> { Noord }).ShouldBe(ReferralRelation.TeamCoach);
        Relation(Ricardo).ShouldBe(ReferralRelation.AssignedSupporter);
        // Another team's coach, a teammate who was not assigned, and a supporter before assignment: no relation (404).
        Relation("Person/coach-verbeek", new HashSet<long> { Zuid }).ShouldBe(ReferralRelation.None);
        Relation(Khadija).ShouldBe(ReferralRelation.None);
        Relation(Ricardo, assigned: null).ShouldBe(ReferralRelation.None);
        Sees(ReferralRelation.None).ShouldBeFalse();
        Sees(ReferralRelation.Referrer).ShouldBeTrue();
    }

    [Fact]
    public void The_referrer_sees_the_status_only_not_the_supporter_or_the_intake_note()
    {
        SeesDetails(ReferralRelation.Referrer).ShouldBeFalse();
        SeesDetails(ReferralRelation.TeamCoach).ShouldBeTrue();
        SeesDetails(ReferralRelation.AssignedSupporter).ShouldBeTrue();
    }

    [Fact]
    public void Only_the_coach_assigns_and_closes_and_only_the_assigned_supporter_records_the_intake_once()
    {
        MayAssign(ReferralRelation.TeamCoach, Status.New).ShouldBeTrue();
        MayAssign(ReferralRelation.TeamCoach, Status.Assigned).ShouldBeTrue();
        MayAssign(ReferralRelation.TeamCoach, Status.Intake).ShouldBeFalse();
        MayAssign(ReferralRelation.AssignedSupporter, Status.New).ShouldBeFalse();
        MayAssign(ReferralRelation.Referrer, Status.New).ShouldBeFalse();
        MayRecordIntake(ReferralRelation.AssignedSupporter, Status.Assigned).ShouldBeTrue();
        MayRecordIntake(ReferralRelation.AssignedSupporter, Status.Intake).ShouldBeFalse();
        MayRecordIntake(ReferralRelation.TeamCoach, Status.Assigned).ShouldBeFalse();
        MayClose(ReferralRelation.TeamCoach, Status.Intake).ShouldBeTrue();
        MayClose(ReferralRelation.TeamCoach, Status.Closed).ShouldBeFalse();
        MayClose(ReferralRelation.Referrer, Status.New).ShouldBeFalse();
        MayBeAssigned("supporter").ShouldBeTrue();
        MayBeAssigned("coach").ShouldBeTrue();
        MayBeAssigned("guest").ShouldBeFalse();
        MayBeAssigned("expert").ShouldBeFalse();
        MayBeAssigned(null).ShouldBeFalse();
    }

    [Fact]
    public void Only_the_parent_with_that_confirmed_address_answers_the_request()
    {
        IsTheParent("gulan@bilic.example", "Gulan@Bilic.example", callerEmailVerified: true).ShouldBeTrue();
        IsTheParent("gulan@bilic.example", "gulan@bilic.example", callerEmailVerified: false).ShouldBeFalse();
        IsTheParent("gulan@bilic.example", "tessa@strikwerda.example", callerEmailVerified: true).ShouldBeFalse();
        IsTheParent(null, "gulan@bilic.example", callerEmailVerified: true).ShouldBeFalse();
        MayAnswer(Status.Intake).ShouldBeTrue();
        MayAnswer(Status.Assigned).ShouldBeFalse();
        MayAnswer(Status.InSupport).ShouldBeFalse();
    }

    private static string? Check(string? reason = "Moeder loopt vast met school en zorg.", string? how = ConsentHow.Oral, DateOnly? consent = null,
        string? email = "ouder@gezin.example", string? phone = null, int? year = 2015, string? name = "Mila") =>
        CheckReferral(name, year, "Gulan", email, phone, reason, "schoolmaatschappelijk werker, OBS De Linde", how, consent ?? Today, Today);

    [Fact]
    public void A_referral_needs_the_familys_consent_how_and_when_not_in_the_future()
    {
        Check().ShouldBeNull();
        Check(how: null).ShouldNotBeNull().ShouldContain("toestemming");
        Check(how: "via-de-buurvrouw").ShouldNotBeNull().ShouldContain("toestemming");
        Check(consent: Today.AddDays(1)).ShouldNotBeNull().ShouldContain("toekomst");
        CheckReferral("Mila", 2015, "Gulan", "o@g.example", null, "Reden.", "functie", ConsentHow.Written, null, Today).ShouldNotBeNull();
    }

    [Fact]
    public void A_referral_names_the_client_a_parent_with_a_way_to_reach_them_and_a_reason_without_a_BSN()
    {
        Check(name: " ").ShouldNotBeNull();
        Check(year: Today.Year + 1).ShouldNotBeNull();
        Check(year: null).ShouldNotBeNull();
        Check(email: null, phone: null).ShouldNotBeNull();
        Check(email: null, phone: "06-12345678").ShouldBeNull();
        Check(email: "geen-adres").ShouldNotBeNull();
        Check(reason: "").ShouldNotBeNull();
        Check(reason: new string('a', MaxReasonLength + 1)).ShouldNotBeNull();
        Check(reason: "BSN van Mila is 111222333.").ShouldNotBeNull().ShouldContain("BSN");
        Check(reason: "Zie <script>alert(1)</script>").ShouldNotBeNull();
        // Nine digits that fail the elfproef are no BSN (a phone number's digits, a case number).
        ContainsBsn("dossiernummer 123456789").ShouldBeFalse();
        ContainsBsn("111 222 333").ShouldBeTrue();
        BirthYear(null, 11, Today).ShouldBe(2015);
        BirthYear(2014, 11, Today).ShouldBe(2014);
    }

    [Fact]
    public void The_intake_is_dated_between_the_referral_and_today()
    {
        CheckIntake(Today, "Kennismaking thuis.", Today.AddDays(-5), Today).ShouldBeNull();
        CheckIntake(Today.AddDays(1), null, Today.AddDays(-5), Today).ShouldNotBeNull();
        CheckIntake(Today.AddDays(-6), null, Today.AddDays(-5), Today).ShouldNotBeNull();
        CheckIntake(null, null, Today, Today).ShouldNotBeNull();
    }

    [Fact]
    public void Waiting_days_count_Amsterdam_dates_and_average_only_the_steps_taken()
    {
        var referred = new DateTimeOffset(2026, 12, 1, 22, 30, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(); // 1 Dec 23:30 in Amsterdam
        var assigned = new DateTimeOffset(2026, 12, 1, 23, 30, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(); // 2 Dec 00:30 in Amsterdam
        WaitingDays(referred, assigned).ShouldBe(1);
        WaitingDays(referred, null).ShouldBeNull();
        Average([2, 5, null]).ShouldBe(3.5);
        Average([null]).ShouldBeNull();
    }

    [Fact]
    public void The_family_gives_the_supporter_the_demos_bondgenoot_sections()
    {
        SupporterSections.ShouldBe(Pgo.Api.Demo.DemoGrants.BondgenootSections, ignoreOrder: true);
    }
}
