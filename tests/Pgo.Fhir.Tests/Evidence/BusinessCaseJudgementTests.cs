using Pgo.Fhir.Profiles;
using Pgo.Shared.Codes;
using Pgo.Shared.Evidence;

namespace Pgo.Fhir.Tests.Evidence;

/// <summary>A family's judgement of a business-case item (issue 21, Fhir/Profiles/BusinessCaseJudgement.cs) and the model's
/// mapping of the register's event types to items (model data): the rules, pure.</summary>
public class BusinessCaseJudgementTests
{
    private static readonly DateOnly Today = new(2026, 12, 5);

    private static Hl7.Fhir.Model.Basic Judgement(string judgement, string? reason, DateOnly? date = null, string item = "echtscheiding") =>
        BusinessCaseJudgement.New("dewit-kim", "Practitioner/bondgenoot-ilse", "Ilse", judgement, item, "seed-004", 1, 4, reason, date ?? Today);

    [Fact]
    public void Avoided_needs_a_reason_while_occurred_and_not_applicable_do_not()
    {
        BusinessCaseJudgement.Check(Judgement(BusinessCaseJudgements.Voorkomen, null), Today).ShouldHaveSingleItem().ShouldContain("waarom");
        BusinessCaseJudgement.Check(Judgement(BusinessCaseJudgements.Voorkomen, "ja"), Today).ShouldHaveSingleItem().ShouldContain("waarom");
        BusinessCaseJudgement.Check(Judgement(BusinessCaseJudgements.Voorkomen, "Met Ilse plannen zij weer tijd voor elkaar."), Today).ShouldBeEmpty();
        BusinessCaseJudgement.Check(Judgement(BusinessCaseJudgements.Opgetreden, null), Today).ShouldBeEmpty();
        BusinessCaseJudgement.Check(Judgement(BusinessCaseJudgements.NietVanToepassing, null), Today).ShouldBeEmpty();
    }

    [Fact]
    public void An_unknown_judgement_a_future_date_or_a_missing_item_is_refused_in_Dutch()
    {
        BusinessCaseJudgement.Check(Judgement("misschien", "Zomaar een reden."), Today).ShouldHaveSingleItem().ShouldContain("geen oordeel");
        BusinessCaseJudgement.Check(Judgement(BusinessCaseJudgements.Opgetreden, null, Today.AddDays(1)), Today).ShouldHaveSingleItem().ShouldContain("niet later dan vandaag");
        BusinessCaseJudgement.Check(Judgement(BusinessCaseJudgements.Opgetreden, null, item: ""), Today).ShouldHaveSingleItem().ShouldContain("post");
        BusinessCaseJudgement.Check(Judgement(BusinessCaseJudgements.Voorkomen, new string('x', BusinessCaseJudgements.MaxReasonLength + 1)), Today)
            .ShouldHaveSingleItem().ShouldContain("te lang");
    }

    [Fact]
    public void The_newest_judgement_of_an_item_comes_first()
    {
        var older = Judgement(BusinessCaseJudgements.Opgetreden, null, Today.AddDays(-3));
        older.Id = "a";
        var newer = Judgement(BusinessCaseJudgements.Voorkomen, "Toch voorkomen, achteraf bezien.", Today);
        newer.Id = "b";
        BusinessCaseJudgement.Newest([older, newer]).First().Id.ShouldBe("b");
    }

    [Fact]
    public void The_model_maps_the_registers_event_types_to_items_and_refuses_an_unknown_type()
    {
        var model = BusinessCaseModels.Seed004;
        model.FamilyType(4).Items.Single(i => i.Code == "echtscheiding").EventTypes.ShouldBe([EventCodes.Types.Scheiding]);
        model.FamilyType(3).Items.Single(i => i.Code == "verhuizing-instelling").EventTypes.ShouldBe([EventCodes.Types.ZorgplekWeg]);
        model.SupporterCost.LearningNetworkHoursPerYear.ShouldBe(40m);
        model.FamilyTypes.SelectMany(f => f.Items).SelectMany(i => i.EventTypes ?? []).ShouldAllBe(t => EventCodes.TypeDisplay.ContainsKey(t));

        var json = BusinessCaseModels.Serialize(model).Replace("\"scheiding\"", "\"ruzie\"", StringComparison.Ordinal);
        var (parsed, problems) = BusinessCaseModels.Parse(json);
        parsed.ShouldBeNull();
        problems.ShouldContain(p => p.Message.Contains("'ruzie' is geen soort gebeurtenis", StringComparison.Ordinal));
    }
}
