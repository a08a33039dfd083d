using System.Globalization;
using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using Pgo.Fhir.Storage;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Fhir.Tests.Access;

public class SectionClassifierTests
{
    [Theory]
    [InlineData("Patient", Section.Profiel)]
    [InlineData("CarePlan", Section.Plan)]
    [InlineData("Goal", Section.Doelen)]
    [InlineData("Task", Section.Afspraken)]
    [InlineData("DocumentReference", Section.Documenten)]
    [InlineData("Communication", Section.Berichten)]
    [InlineData("CareTeam", Section.Netwerk)]
    [InlineData("RelatedPerson", Section.Netwerk)]
    [InlineData("Appointment", Section.Agenda)]
    [InlineData("Condition", Section.Medisch)]
    [InlineData("MedicationStatement", Section.Medisch)]
    [InlineData("QuestionnaireResponse", Section.Metingen)]
    [InlineData("Consent", Section.Toegang)]
    [InlineData("Procedure", Section.Medisch)]
    public void Each_dossier_type_has_its_section(string type, string section)
    {
        var resource = (Resource)Hl7.Fhir.Model.ModelInfo.ModelInspector.FindClassMapping(type)!.CreateInstance();
        SectionClassifier.Classify(resource).ShouldBe(section);
    }

    [Theory]
    [InlineData("Practitioner")]
    [InlineData("Organization")]
    [InlineData("CodeSystem")]
    [InlineData("Questionnaire")]
    [InlineData("Linkage")]
    public void Types_outside_every_patient_compartment_are_the_directory(string type)
    {
        var resource = (Resource)Hl7.Fhir.Model.ModelInfo.ModelInspector.FindClassMapping(type)!.CreateInstance();
        SectionClassifier.Classify(resource).ShouldBeNull();
    }

    [Fact]
    public void A_document_category_and_a_security_label_choose_the_section()
    {
        var doc = new DocumentReference { Category = [new CodeableConcept(Section.System, Section.Financien)] };
        SectionClassifier.Classify(doc).ShouldBe(Section.Financien);
        var goal = new Goal { Meta = new Meta { Security = [new Coding(Section.System, Section.Financien)] } };
        SectionClassifier.Classify(goal).ShouldBe(Section.Financien);
        doc.Meta = new Meta { Security = [new Coding(Section.System, Section.Logboek)] };
        SectionClassifier.Classify(doc).ShouldBe(Section.Logboek);
        new Goal { Meta = new Meta { Security = [new Coding(Section.System, "onbekend")] } }.Apply(SectionClassifier.Classify).ShouldBe(Section.Doelen);
    }
}

internal static class Extensions
{
    public static TOut Apply<TIn, TOut>(this TIn value, Func<TIn, TOut> f) => f(value);
}

public class AgeRulesTests
{
    [Theory]
    [InlineData("2015-01-01", "2026-12-31", AgeStage.Child)]
    [InlineData("2014-06-01", "2026-06-01", AgeStage.YoungTeen)]
    [InlineData("2010-06-02", "2026-06-01", AgeStage.YoungTeen)]
    [InlineData("2010-06-01", "2026-06-01", AgeStage.Adolescent)]
    [InlineData("2008-06-02", "2026-06-01", AgeStage.Adolescent)]
    [InlineData("2008-06-01", "2026-06-01", AgeStage.Adult)]
    public void Stages_follow_the_birthday(string birth, string today, AgeStage stage) =>
        AgeRules.StageOf(DateOnly.Parse(birth, CultureInfo.InvariantCulture), DateOnly.Parse(today, CultureInfo.InvariantCulture)).ShouldBe(stage);

    [Fact]
    public void Without_a_birth_date_no_age_rule_applies() => AgeRules.StageOf(null, new DateOnly(2026, 1, 1)).ShouldBe(AgeStage.Unknown);

    [Theory]
    [InlineData("2026-02-28", false)]
    [InlineData("2026-03-01", true)]
    [InlineData("2026-05-31", true)]
    [InlineData("2026-06-01", false)]
    public void The_reminder_is_due_from_three_months_before_the_18th_birthday(string today, bool due) =>
        AgeRules.ReminderDue(new DateOnly(2008, 6, 1), DateOnly.Parse(today, CultureInfo.InvariantCulture)).ShouldBe(due);

    [Fact]
    public void A_representatives_regie_ends_at_18_unless_a_legal_basis_is_recorded_or_the_client_has_no_account_yet()
    {
        AgeRules.RepresentativeKeepsRegie(AgeStage.Adolescent, byLaw: false, clientHasAccount: true).ShouldBeTrue();
        AgeRules.RepresentativeKeepsRegie(AgeStage.Adult, byLaw: false, clientHasAccount: true).ShouldBeFalse();
        AgeRules.RepresentativeKeepsRegie(AgeStage.Adult, byLaw: true, clientHasAccount: true).ShouldBeTrue();
        // Never an orphaned dossier: without an account of the client's own, the parents' regie continues provisionally.
        AgeRules.RepresentativeKeepsRegie(AgeStage.Adult, byLaw: false, clientHasAccount: false).ShouldBeTrue();
        AgeRules.ProvisionalRegie(AgeStage.Adult, byLaw: false, clientHasAccount: false).ShouldBeTrue();
        AgeRules.ProvisionalRegie(AgeStage.Adult, byLaw: true, clientHasAccount: false).ShouldBeFalse();
        AgeRules.OwnAccess(AgeStage.Child).ShouldBe((false, false, false));
        AgeRules.OwnAccess(AgeStage.YoungTeen).ShouldBe((true, true, false));
        AgeRules.OwnAccess(AgeStage.Adolescent).ShouldBe((true, true, true));
    }
}

public class ScopeAndPredicateTests
{
    [Fact]
    public void Token_scopes_narrow_per_type_and_letter()
    {
        var goalOnly = TypePermissions.FromScopes(["patient/Goal.rs", "system/*.cruds"], "patient", "user");
        goalOnly.Allows('r', "Goal").ShouldBeTrue();
        goalOnly.Allows('c', "Goal").ShouldBeFalse();
        goalOnly.Allows('r', "Patient").ShouldBeFalse();
        goalOnly.ReadTypes.ShouldBe(["Goal"]);
        TypePermissions.FromScopes(["user/*.cruds"], "patient", "user").IsAll.ShouldBeTrue();
        TypePermissions.FromScopes(["openid", "fhirUser"], "patient", "user").IsEmpty.ShouldBeTrue();
        TypePermissions.FromScopes(["system/*.rs"], "patient", "user").IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void The_predicate_puts_patients_sections_items_denies_and_types_into_the_sql()
    {
        var scope = new AccessScope
        {
            Types = TypePermissions.FromScopes(["user/Goal.rs"], "user"),
            Directory = true,
            Patients = new Dictionary<string, PatientAccess>
            {
                ["p1"] = new("p1", [new GrantRule(["c1"], "ondersteuner", new HashSet<string> { "doelen" }, true, false, false)]),
                ["p2"] = new("p2", [new GrantRule(["c2"], "instantie", new HashSet<string>(), true, false, false, new HashSet<(string, string)> { ("Goal", "g9") })]),
            },
            Denied = new HashSet<(string, string)> { ("Goal", "g1") },
        };
        var bag = new SqlParameterBag();
        var sql = scope.Predicate("r", bag);
        sql.ShouldContain("r.section IS NULL");
        sql.ShouldContain("EXISTS (SELECT 1 FROM resource_compartment ac");
        sql.ShouldContain("AND NOT ((r.res_type =");
        sql.ShouldContain("r.res_type IN (");
        bag.Values.Select(v => v.Value).ShouldContain("p1");
        bag.Values.Select(v => v.Value).ShouldContain("g9");
        AccessScope.Nothing("test").Predicate("r", new SqlParameterBag()).ShouldBe("1=0");
        AccessScope.Unrestricted.Predicate("r", new SqlParameterBag()).ShouldBe("1=1");
        scope.CanRead("Goal", "g2", "doelen", ["p1"]).ShouldBeTrue();
        scope.CanRead("Goal", "g1", "doelen", ["p1"]).ShouldBeFalse();
        scope.CanRead("Condition", "c", "doelen", ["p1"]).ShouldBeFalse();
        scope.CanWrite('u', "Goal", "g2", "doelen", ["p1"]).ShouldBeFalse();
        scope.GrantsFor("p2", "doelen", "Goal", "g9").ShouldBe(["c2"]);
    }
}
