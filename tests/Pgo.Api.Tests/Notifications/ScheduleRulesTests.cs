using Hl7.Fhir.Model;
using Pgo.Api.Notifications.Schedule;
using Pgo.Fhir.Access;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Tests.Notifications;

/// <summary>What is due when (Api/Notifications/Schedule/ScheduleRules): pure, on Dutch days, with the overview's rule of
/// open and overdue agreements; and who may be told, decided on hand-compiled access as for a read.</summary>
public class ScheduleRulesTests
{
    private const string Child = "sr-child";
    private const string Owner = "RelatedPerson/sr-parent";

    // Friday 4 December 2026, 12:00 in Amsterdam (winter time, UTC+1).
    private static readonly DateTimeOffset Noon = new(2026, 12, 4, 11, 0, 0, TimeSpan.Zero);

    private static Hl7.Fhir.Model.Task Agreement(string? due, string status = "requested", string? owner = Owner) => new()
    {
        Id = "sr-task",
        Status = Enum.Parse<Hl7.Fhir.Model.Task.TaskStatus>(status, ignoreCase: true),
        Intent = Hl7.Fhir.Model.Task.TaskIntent.Plan,
        For = new ResourceReference($"Patient/{Child}"),
        Owner = owner is null ? null : new ResourceReference(owner),
        Description = "Geheime afspraaktekst",
        Restriction = due is null ? null : new Hl7.Fhir.Model.Task.RestrictionComponent { Period = new Period { End = due } },
    };

    // ---------------------------------------------------------------- agreements

    [Fact]
    public void An_open_agreement_due_tomorrow_is_told_to_its_owner_once_per_due_day()
    {
        var notice = ScheduleRules.Agreement(Agreement("2026-12-05"), Noon).ShouldHaveSingleItem();
        (notice.Kind, notice.PatientId, notice.Section, notice.Subject, notice.Item, notice.To).ShouldBe(("afspraak-morgen", Child, Section.Afspraken, "Task/sr-task", "Task/sr-task", ScheduleAudience.Owner));
        notice.Records.ShouldBe([Owner]);
        notice.Key.ShouldBe("afspraak-morgen:Task/sr-task:2026-12-05");
        // A later sweep the same day gives the same key: the store adds it once.
        ScheduleRules.Agreement(Agreement("2026-12-05"), Noon.AddHours(10)).ShouldHaveSingleItem().Key.ShouldBe(notice.Key);
        // Moved to another day: a new notice.
        ScheduleRules.Agreement(Agreement("2026-12-06"), Noon.AddDays(1)).ShouldHaveSingleItem().Key.ShouldBe("afspraak-morgen:Task/sr-task:2026-12-06");
    }

    [Fact]
    public void Tomorrow_is_the_Dutch_tomorrow_not_the_UTC_one()
    {
        // 00:30 on Saturday in Amsterdam is still Friday in UTC: due tomorrow for the family.
        var notice = ScheduleRules.Agreement(Agreement("2026-12-04T23:30:00Z"), Noon).ShouldHaveSingleItem();
        notice.Kind.ShouldBe("afspraak-morgen");
        notice.Key.ShouldBe("afspraak-morgen:Task/sr-task:2026-12-05");
        // 23:30 on Friday in Amsterdam is today, not tomorrow.
        ScheduleRules.Agreement(Agreement("2026-12-04T22:30:00Z"), Noon).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("completed")]
    [InlineData("cancelled")]
    [InlineData("rejected")]
    public void A_finished_agreement_is_never_due_nor_late(string status)
    {
        ScheduleRules.Agreement(Agreement("2026-12-05", status), Noon).ShouldBeEmpty();
        ScheduleRules.Agreement(Agreement("2026-12-03", status), Noon).ShouldBeEmpty();
    }

    [Fact]
    public void An_agreement_without_owner_or_due_date_brings_nothing()
    {
        ScheduleRules.Agreement(Agreement("2026-12-05", owner: null), Noon).ShouldBeEmpty();
        ScheduleRules.Agreement(Agreement(null), Noon).ShouldBeEmpty();
    }

    [Fact]
    public void An_overdue_agreement_is_told_the_day_after_its_due_day_with_one_key()
    {
        // Due Thursday (a whole day): on Friday it is overdue by the overview's rule and told.
        var late = ScheduleRules.Agreement(Agreement("2026-12-03"), Noon).ShouldHaveSingleItem();
        (late.Kind, late.Key, late.To).ShouldBe(("afspraak-te-laat", "afspraak-te-laat:Task/sr-task:2026-12-03", ScheduleAudience.Owner));
        // On Saturday the same key: once.
        ScheduleRules.Agreement(Agreement("2026-12-03"), Noon.AddDays(1)).ShouldHaveSingleItem().Key.ShouldBe(late.Key);
        // Due today at 09:00 (Amsterdam): overdue since this morning, told tomorrow, not today.
        ScheduleRules.Agreement(Agreement("2026-12-04T08:00:00Z"), Noon).ShouldBeEmpty();
        ScheduleRules.Agreement(Agreement("2026-12-04T08:00:00Z"), Noon.AddDays(1)).ShouldHaveSingleItem().Kind.ShouldBe("afspraak-te-laat");
    }

    [Fact]
    public void An_agreement_late_for_long_is_not_told_on_a_first_start()
    {
        ScheduleRules.Agreement(Agreement("2026-10-01"), Noon).ShouldBeEmpty();
        var today = new DateOnly(2026, 12, 4);
        string Day(int daysAgo) => today.AddDays(-daysAgo).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        // Still told a week after the day it was due (the Api may have been down), not later.
        ScheduleRules.Agreement(Agreement(Day(ScheduleRules.CatchUpDays + 1)), Noon).ShouldHaveSingleItem().Kind.ShouldBe("afspraak-te-laat");
        ScheduleRules.Agreement(Agreement(Day(ScheduleRules.CatchUpDays + 2)), Noon).ShouldBeEmpty();
    }

    // ---------------------------------------------------------------- grants

    private static ConsentGrant Grant(DateTimeOffset? until, string role = GrantRole.Ondersteuner, string id = "sr-grant", DateTimeOffset? from = null) =>
        ConsentGrant.Of(Grants.Grant(id, Child, "Practitioner/sr-bondgenoot", role, [Section.Logboek], write: true, from: from, until: until));

    [Fact]
    public void A_grant_ending_within_a_week_is_told_to_its_holder_and_again_after_an_extension()
    {
        var until = Noon.AddDays(6);
        var notice = ScheduleRules.Grant(Grant(until), Noon).ShouldHaveSingleItem();
        (notice.Kind, notice.Subject, notice.Item, notice.Section, notice.To).ShouldBe(("toegang-eindigt", "Consent/sr-grant", null, Section.Toegang, ScheduleAudience.Holder));
        notice.Records.ShouldBe(["Practitioner/sr-bondgenoot"]);
        notice.Key.ShouldBe("toegang-eindigt:Consent/sr-grant:2026-12-10T11:00:00Z");
        ScheduleRules.Grant(Grant(until), Noon.AddDays(3)).ShouldHaveSingleItem().Key.ShouldBe(notice.Key);
        // Extended by a day, then within the week again: told of the new end.
        ScheduleRules.Grant(Grant(until.AddDays(1)), Noon.AddDays(3)).ShouldHaveSingleItem().Key.ShouldNotBe(notice.Key);
        // Eight days ahead, or no end at all: nothing yet.
        ScheduleRules.Grant(Grant(Noon.AddDays(8)), Noon).ShouldBeEmpty();
        ScheduleRules.Grant(Grant(null), Noon).ShouldBeEmpty();
    }

    [Fact]
    public void A_grant_that_ended_by_its_date_is_told_once_and_a_revoked_one_is_left_to_the_rules()
    {
        var ended = Grant(Noon.AddHours(-2));
        var notice = ScheduleRules.Grant(ended, Noon).ShouldHaveSingleItem();
        (notice.Kind, notice.To, notice.Item, notice.Key).ShouldBe(("toegang-beeindigd", ScheduleAudience.Holder, "Consent/sr-grant", "toegang-beeindigd:Consent/sr-grant:2026-12-04T09:00:00Z"));

        var revoked = Grants.Grant("sr-grant", Child, "Practitioner/sr-bondgenoot", GrantRole.Ondersteuner, [Section.Logboek], until: Noon.AddHours(-2));
        revoked.Status = Consent.ConsentState.Inactive;
        ScheduleRules.Grant(ConsentGrant.Of(revoked), Noon).ShouldBeEmpty();
        // Long ago: not told on a first start.
        ScheduleRules.Grant(Grant(Noon.AddDays(-ScheduleRules.CatchUpDays - 1)), Noon).ShouldBeEmpty();
        // A grant that never started (its end before its start) ended for nobody.
        ScheduleRules.Grant(Grant(Noon.AddHours(-2), from: Noon.AddHours(-1)), Noon).ShouldBeEmpty();
    }

    [Fact]
    public void A_share_package_ending_within_two_days_goes_to_the_family_and_the_agency_not_as_access_ending()
    {
        var package = ConsentGrant.Of(Grants.SharePackage("sr-package", Child, "Organization/sr-gemeente", "Aanvraag Wmo", Noon.AddDays(1), ["DocumentReference/sr-doc"]));
        var notice = ScheduleRules.Grant(package, Noon).ShouldHaveSingleItem();
        (notice.Kind, notice.To, notice.Subject, notice.Item, notice.Section).ShouldBe(("deelpakket-verloopt", ScheduleAudience.RegiehoudersAndAgency, "Consent/sr-package", null, Section.Toegang));
        notice.Records.ShouldBe(["Organization/sr-gemeente"]);
        var later = ConsentGrant.Of(Grants.SharePackage("sr-package", Child, "Organization/sr-gemeente", "Aanvraag Wmo", Noon.AddDays(3), ["DocumentReference/sr-doc"]));
        ScheduleRules.Grant(later, Noon).ShouldBeEmpty();
    }

    [Fact]
    public void A_hidden_item_is_no_grant_to_tell_of()
    {
        var hide = Grants.Hide("sr-hide", Child, "Task/sr-task", "Practitioner/sr-bondgenoot");
        hide.Provision!.Period = new Period { End = Noon.AddDays(1).ToString("o", System.Globalization.CultureInfo.InvariantCulture) };
        ScheduleRules.Grant(ConsentGrant.Of(hide), Noon).ShouldBeEmpty();
    }

    // ---------------------------------------------------------------- turning 18

    [Fact]
    public void Turning_18_is_told_once_from_six_months_ahead_and_once_on_the_day()
    {
        var birth = new DateOnly(2009, 3, 1); // 18 on 1 March 2027, within six months of 4 December 2026
        var ahead = ScheduleRules.Birthday(Child, birth, Noon).ShouldHaveSingleItem();
        (ahead.Kind, ahead.Subject, ahead.Item, ahead.Section, ahead.To, ahead.Key)
            .ShouldBe(("wordt-18", $"Patient/{Child}", null, null, ScheduleAudience.RegiehoudersAndSupporters, $"wordt-18:Patient/{Child}:2027-03-01:vooraf"));
        ScheduleRules.Birthday(Child, birth, Noon.AddDays(40)).ShouldHaveSingleItem().Key.ShouldBe(ahead.Key);

        // On the day in Amsterdam (23:30 UTC the evening before is already 1 March there).
        var onTheDay = ScheduleRules.Birthday(Child, birth, new DateTimeOffset(2027, 2, 28, 23, 30, 0, TimeSpan.Zero)).ShouldHaveSingleItem();
        onTheDay.Key.ShouldBe($"wordt-18:Patient/{Child}:2027-03-01:vandaag");

        // Seven months ahead, or long after: nothing.
        ScheduleRules.Birthday(Child, new DateOnly(2009, 7, 10), Noon).ShouldBeEmpty();
        ScheduleRules.Birthday(Child, new DateOnly(2008, 6, 1), Noon).ShouldBeEmpty();
    }

    [Fact]
    public void The_birth_window_holds_exactly_the_clients_with_a_notice_now()
    {
        var (from, to) = ScheduleRules.BirthWindow(Noon);
        foreach (var birth in new[] { from, to, from.AddDays(1), to.AddDays(-1) })
            ScheduleRules.Birthday(Child, birth, Noon).ShouldNotBeEmpty($"{birth}");
        ScheduleRules.Birthday(Child, from.AddDays(-1), Noon).ShouldBeEmpty();
        ScheduleRules.Birthday(Child, to.AddDays(1), Noon).ShouldBeEmpty();
    }

    // ---------------------------------------------------------------- who may be told

    private static AccessScope Scope(string person, string[] identities, params Consent[] consents) => ScopeAt(Noon, person, identities, consents);

    private static AccessScope ScopeAt(DateTimeOffset now, string person, string[] identities, params Consent[] consents) =>
        ScopeAt(now, person, identities, clientHasAccount: true, consents);

    /// <param name="clientHasAccount">Whether the client acts through an account of their own (after 18 a parent's regie
    /// without a legal basis holds, provisionally, only while they do not: issue 18).</param>
    private static AccessScope ScopeAt(DateTimeOffset now, string person, string[] identities, bool clientHasAccount, params Consent[] consents) =>
        ConsentAccessPolicy.Compile(new CallerContext(person, person, ["user/*.cruds"], false),
            new GrantFacts(identities.Append(person).ToHashSet(StringComparer.Ordinal), consents.Select(ConsentGrant.Of).ToList(),
                new Dictionary<string, DateOnly> { [Child] = new(2009, 3, 1) }, new Dictionary<string, ConsentGrant>(), [],
                clientHasAccount ? new HashSet<string>(StringComparer.Ordinal) { Child } : null), now);

    private static readonly Consent Regie = Grants.Regie("sr-regie", Child, [Owner]);

    [Fact]
    public void An_agreement_is_told_only_to_an_owner_who_may_read_it()
    {
        var notice = ScheduleRules.Agreement(Agreement("2026-12-05"), Noon).Single();
        ScheduleRules.MayBeTold(notice, Scope("Person/sr-parent", [Owner], Regie)).ShouldBeTrue();
        // The owner without afspraken among the sections, or with the agreement hidden, or without any grant: not told.
        var logboekOnly = Grants.Grant("sr-g", Child, Owner, GrantRole.Gezinslid, [Section.Logboek]);
        ScheduleRules.MayBeTold(notice, Scope("Person/sr-parent", [Owner], logboekOnly)).ShouldBeFalse();
        var all = Grants.Grant("sr-g", Child, Owner, GrantRole.Gezinslid, null);
        ScheduleRules.MayBeTold(notice, Scope("Person/sr-parent", [Owner], all)).ShouldBeTrue();
        ScheduleRules.MayBeTold(notice, Scope("Person/sr-parent", [Owner], all, Grants.Hide("sr-hide", Child, "Task/sr-task", Owner))).ShouldBeFalse();
        ScheduleRules.MayBeTold(notice, Scope("Person/sr-parent", [Owner])).ShouldBeFalse();
        // Someone else who reads the agreements is not its owner.
        ScheduleRules.MayBeTold(notice, Scope("Person/sr-other", ["RelatedPerson/sr-other"], Grants.Regie("sr-regie2", Child, ["RelatedPerson/sr-other"]))).ShouldBeFalse();
    }

    [Fact]
    public void Access_ending_is_told_while_the_grant_still_gives_access_and_ended_access_to_its_holder_only()
    {
        var consent = Grants.Grant("sr-grant", Child, "Practitioner/sr-bondgenoot", GrantRole.Ondersteuner, [Section.Logboek], until: Noon.AddDays(2));
        var ending = ScheduleRules.Grant(ConsentGrant.Of(consent), Noon).Single();
        ScheduleRules.MayBeTold(ending, Scope("Person/sr-bondgenoot", ["Practitioner/sr-bondgenoot"], consent)).ShouldBeTrue();
        ScheduleRules.MayBeTold(ending, Scope("Person/sr-parent", [Owner], Regie)).ShouldBeFalse();

        var ended = Grants.Grant("sr-grant", Child, "Practitioner/sr-bondgenoot", GrantRole.Ondersteuner, [Section.Logboek], until: Noon.AddHours(-1));
        var told = ScheduleRules.Grant(ConsentGrant.Of(ended), Noon).Single();
        told.Kind.ShouldBe("toegang-beeindigd");
        ScheduleRules.MayBeTold(told, Scope("Person/sr-bondgenoot", ["Practitioner/sr-bondgenoot"], ended)).ShouldBeTrue();
        ScheduleRules.MayBeTold(told, Scope("Person/sr-parent", [Owner], Regie)).ShouldBeFalse();
    }

    [Fact]
    public void A_share_package_ending_is_told_to_regiehouders_and_the_agency_not_to_other_family()
    {
        var package = Grants.SharePackage("sr-package", Child, "Organization/sr-gemeente", "Aanvraag Wmo", Noon.AddDays(1), ["DocumentReference/sr-doc"]);
        var notice = ScheduleRules.Grant(ConsentGrant.Of(package), Noon).Single();
        ScheduleRules.MayBeTold(notice, Scope("Person/sr-parent", [Owner], Regie)).ShouldBeTrue();
        ScheduleRules.MayBeTold(notice, Scope("Person/sr-wmo", ["Practitioner/sr-wmo", "Organization/sr-gemeente"], package)).ShouldBeTrue();
        // A family member who reads everything but does not manage access; another agency.
        ScheduleRules.MayBeTold(notice, Scope("Person/sr-oma", ["RelatedPerson/sr-oma"], Grants.Grant("sr-oma", Child, "RelatedPerson/sr-oma", GrantRole.Gezinslid, null))).ShouldBeFalse();
        ScheduleRules.MayBeTold(notice, Scope("Person/sr-zk", ["Practitioner/sr-zk", "Organization/sr-zorgkantoor"], package)).ShouldBeFalse();
    }

    [Fact]
    public void Turning_18_is_told_to_regiehouders_and_supporters_not_to_other_professionals()
    {
        var notice = ScheduleRules.Birthday(Child, new DateOnly(2009, 3, 1), Noon).Single();
        ScheduleRules.MayBeTold(notice, Scope("Person/sr-parent", [Owner], Regie)).ShouldBeTrue();
        var supporter = Grants.Grant("sr-b", Child, "Practitioner/sr-bondgenoot", GrantRole.Ondersteuner, [Section.Logboek]);
        ScheduleRules.MayBeTold(notice, Scope("Person/sr-bondgenoot", ["Practitioner/sr-bondgenoot"], supporter)).ShouldBeTrue();
        var therapist = Grants.Grant("sr-t", Child, "Practitioner/sr-therapeut", GrantRole.Zorgverlener, [Section.Logboek]);
        ScheduleRules.MayBeTold(notice, Scope("Person/sr-therapeut", ["Practitioner/sr-therapeut"], therapist)).ShouldBeFalse();
        // A supporter whose grant ended is told nothing.
        var ended = Grants.Grant("sr-b", Child, "Practitioner/sr-bondgenoot", GrantRole.Ondersteuner, [Section.Logboek], until: Noon.AddHours(-1));
        ScheduleRules.MayBeTold(notice, Scope("Person/sr-bondgenoot", ["Practitioner/sr-bondgenoot"], ended)).ShouldBeFalse();
    }

    [Fact]
    public void On_the_18th_birthday_a_parent_is_told_only_with_a_mentorship_or_curatele_and_the_client_is()
    {
        // The day itself: a parent's regie ends (AgeRules) unless a legal representation is recorded; the client holds it.
        var birthday = new DateTimeOffset(2027, 3, 1, 11, 0, 0, TimeSpan.Zero);
        var notice = ScheduleRules.Birthday(Child, new DateOnly(2009, 3, 1), birthday).Single();
        ScheduleRules.MayBeTold(notice, ScopeAt(birthday, "Person/sr-parent", [Owner], Regie)).ShouldBeFalse();
        ScheduleRules.MayBeTold(notice, ScopeAt(birthday, "Person/sr-parent", [Owner], Grants.Regie("sr-regie", Child, [Owner], LegalRepresentation.Mentor))).ShouldBeTrue();
        ScheduleRules.MayBeTold(notice, ScopeAt(birthday, "Person/sr-client", [$"Patient/{Child}"])).ShouldBeTrue();
        // While the client has no account, the parent's regie holds provisionally (never an orphaned dossier): told.
        ScheduleRules.MayBeTold(notice, ScopeAt(birthday, "Person/sr-parent", [Owner], clientHasAccount: false, Regie)).ShouldBeTrue();
        // Six months ahead the parent still holds regie and is told; so is the client, who holds their own regie from 16.
        var ahead = ScheduleRules.Birthday(Child, new DateOnly(2009, 3, 1), Noon).Single();
        ScheduleRules.MayBeTold(ahead, Scope("Person/sr-parent", [Owner], Regie)).ShouldBeTrue();
        ScheduleRules.MayBeTold(ahead, Scope("Person/sr-client", [$"Patient/{Child}"])).ShouldBeTrue();
    }
}
