using Hl7.Fhir.Model;
using Pgo.Api.Notifications.Schedule;
using Pgo.Fhir.Access;
using Pgo.Shared.Codes;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Tests.Regie;

/// <summary>The pure rules of Fhir/Access/RegieStatus.cs and the age-step schedule (ScheduleRules.AgeSteps, Provisional):
/// who holds regie at each age, with and without a legal basis or an account, and when each step is told.</summary>
public class RegieStatusTests
{
    private const string P = "rs-child";
    private static readonly DateOnly Birth = new(2009, 6, 15);
    private static readonly ConsentGrant Parents = ConsentGrant.Of(Grants.Regie("rs-regie", P, ["RelatedPerson/rs-mother", "RelatedPerson/rs-father"]));

    private static DateTimeOffset At(int year, int month, int day) => new(year, month, day, 10, 0, 0, TimeSpan.Zero);

    private static ConsentGrant Mentor(string? until = null)
    {
        var consent = Grants.Regie("rs-mentor", P, ["RelatedPerson/rs-mother"], LegalRepresentation.Mentor);
        consent.SetExtension(Extensions.RepresentationPeriod, new Period { Start = "2027-06-15", End = until });
        return ConsentGrant.Of(consent);
    }

    private static ConsentGrant Choice(string code)
    {
        var consent = Grants.Regie("rs-choice", P, [$"Patient/{P}"], from: new DateTimeOffset(2027, 6, 15, 0, 0, 0, TimeSpan.Zero));
        consent.SetExtension(Extensions.RegieAfter18, new Code(code));
        return ConsentGrant.Of(consent);
    }

    [Fact]
    public void Before_18_the_parents_hold_regie_and_from_16_the_client_too()
    {
        var at15 = RegieStatus.Of(P, [Parents], Birth, clientHasAccount: true, At(2024, 7, 1));
        (at15.State, at15.Stage, at15.Age).ShouldBe(("ouders", "12-16", 15));
        at15.Regiehouders.ShouldBe(["RelatedPerson/rs-mother", "RelatedPerson/rs-father"]);
        at15.TransitionOpen.ShouldBeTrue();
        at15.ChoiceNeeded.ShouldBeTrue();
        RegieStatus.Of(P, [Parents], Birth, true, At(2026, 7, 1)).Regiehouders.ShouldContain($"Patient/{P}");
        // Before the start age nothing is asked yet; with another start age it is.
        RegieStatus.Of(P, [Parents], Birth, true, At(2023, 7, 1)).ChoiceNeeded.ShouldBeFalse();
        RegieStatus.Of(P, [Parents], Birth, true, At(2023, 7, 1), transitionStartAge: 14).ChoiceNeeded.ShouldBeTrue();
    }

    [Fact]
    public void At_18_without_a_legal_basis_the_parents_keep_regie_only_while_the_client_has_no_account()
    {
        var provisional = RegieStatus.Of(P, [Parents], Birth, clientHasAccount: false, At(2027, 6, 15));
        (provisional.State, provisional.Stage, provisional.ChoiceNeeded).ShouldBe(("voorlopig", "volwassen", true));
        provisional.Regiehouders.ShouldContain("RelatedPerson/rs-mother");
        var own = RegieStatus.Of(P, [Parents], Birth, clientHasAccount: true, At(2027, 6, 15));
        (own.State, own.ChoiceNeeded).ShouldBe(("client", false));
        own.Regiehouders.ShouldBe([$"Patient/{P}"]);
        RegieStatus.MayBecomeProvisional(P, [Parents], At(2027, 6, 15)).ShouldBeTrue();
        RegieStatus.MayBecomeProvisional(P, [Mentor()], At(2027, 6, 15)).ShouldBeFalse();
    }

    [Fact]
    public void A_mentor_keeps_regie_within_the_period_of_the_court_decision_and_the_client_yields()
    {
        var mentor = Mentor(until: "2030-01-01");
        var within = RegieStatus.Of(P, [Parents, mentor], Birth, clientHasAccount: true, At(2027, 7, 1));
        (within.State, within.ChoiceNeeded).ShouldBe(("vertegenwoordiger", false));
        within.Regiehouders.ShouldBe(["RelatedPerson/rs-mother"]);
        within.Representations.ShouldHaveSingleItem().Id.ShouldBe("rs-mentor");
        // After its period: the mentorship no longer holds; the client (with an account) holds regie.
        var after = RegieStatus.Of(P, [Parents, mentor], Birth, clientHasAccount: true, At(2030, 2, 1));
        after.State.ShouldBe("client");
        after.Regiehouders.ShouldBe([$"Patient/{P}"]);
        RegieStatus.Of(P, [Parents, mentor], Birth, clientHasAccount: false, At(2030, 2, 1)).State.ShouldBe("voorlopig");
    }

    [Fact]
    public void Bewind_is_a_representation_but_never_regie_and_a_recorded_choice_answers_the_question()
    {
        var bewind = Grants.Grant("rs-bewind", P, "RelatedPerson/rs-father", GrantRole.Bewindvoerder, [Section.Financien], write: true);
        bewind.Provision!.Actor[0].Role.Coding.Add(new Coding(LegalRepresentation.System, LegalRepresentation.Bewind));
        var status = RegieStatus.Of(P, [Parents, ConsentGrant.Of(bewind)], Birth, clientHasAccount: true, At(2027, 7, 1));
        status.State.ShouldBe("client");
        status.Representations.ShouldHaveSingleItem().Id.ShouldBe("rs-bewind");

        var chosen = RegieStatus.Of(P, [Parents, Choice(RegieCodes.After18.Client)], Birth, clientHasAccount: false, At(2027, 1, 1));
        chosen.Choice.ShouldNotBeNull().After18.ShouldBe("client");
        (chosen.State, chosen.ChoiceNeeded).ShouldBe(("ouders", false));
        // The choice is no legal basis: after 18 without an account the parents' regie is still only provisional.
        RegieStatus.Of(P, [Parents, Choice(RegieCodes.After18.Client)], Birth, clientHasAccount: false, At(2027, 7, 1)).State.ShouldBe("voorlopig");
    }

    [Fact]
    public void Each_age_step_is_due_on_its_day_for_a_week_and_voorlopig_each_month()
    {
        ScheduleRules.AgeSteps(P, Birth, At(2021, 6, 14)).ShouldBeEmpty();
        var twelve = ScheduleRules.AgeSteps(P, Birth, At(2021, 6, 15)).ShouldHaveSingleItem();
        (twelve.Kind, twelve.Step, twelve.To, twelve.Key).ShouldBe((NotificationKinds.AgeStep, "12", ScheduleAudience.ClientAndRegiehouders, $"leeftijdsstap:Patient/{P}:12:2021-06-15"));
        ScheduleRules.AgeSteps(P, Birth, At(2021, 6, 22)).ShouldHaveSingleItem().Key.ShouldBe(twelve.Key);
        ScheduleRules.AgeSteps(P, Birth, At(2021, 6, 23)).ShouldBeEmpty();
        ScheduleRules.AgeSteps(P, Birth, At(2024, 6, 15)).ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            n => n.Step.ShouldBe("15"), n => n.To.ShouldBe(ScheduleAudience.RegiehoudersAndSupporters));
        ScheduleRules.AgeSteps(P, Birth, At(2024, 6, 15), transitionStartAge: 14).ShouldBeEmpty();
        ScheduleRules.AgeSteps(P, Birth, At(2027, 3, 15)).ShouldHaveSingleItem().Step.ShouldBe("18-3m");

        ScheduleRules.Provisional(P, Birth, At(2027, 7, 14)).ShouldBeEmpty();
        var month = ScheduleRules.Provisional(P, Birth, At(2027, 7, 15)).ShouldHaveSingleItem();
        month.Key.ShouldBe($"leeftijdsstap:Patient/{P}:voorlopig:2027-07-15");
        ScheduleRules.Provisional(P, Birth, At(2027, 8, 1)).ShouldBeEmpty();
        ScheduleRules.Provisional(P, Birth, At(2028, 1, 16)).ShouldHaveSingleItem().Key.ShouldEndWith("2028-01-15");
    }
}
