using System.Net;
using Hl7.Fhir.Model;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;

namespace Pgo.Api.Tests.Fhir;

/// <summary>The FHIR R4 REST interactions through HTTP, on SQLite and on PostgreSQL.</summary>
public class FhirRestTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task Create_then_read_returns_the_resource_as_version_1(string provider)
    {
        await using var api = new ApiFactory(provider);
        var client = api.CreateClient();

        var created = await client.PostAsync("/fhir/Patient", Patient("de Wit", "Kim"));
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        created.Headers.ETag!.ToString().ShouldBe("W/\"1\"");
        created.Headers.Location!.ToString().ShouldContain("/fhir/Patient/");
        created.Headers.Location.ToString().ShouldEndWith("/_history/1");
        var patient = await created.ReadAs<Patient>();
        patient.Meta.VersionId.ShouldBe("1");

        var read = await client.GetAsync($"/fhir/Patient/{patient.Id}", Ct);
        read.StatusCode.ShouldBe(HttpStatusCode.OK);
        var again = await read.ReadAs<Patient>();
        again.Name[0].Family.ShouldBe("de Wit");
        again.Meta.LastUpdated.ShouldBe(patient.Meta.LastUpdated);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task Update_makes_a_new_version_and_vread_returns_each_version(string provider)
    {
        await using var api = new ApiFactory(provider);
        var client = api.CreateClient();
        var p = await (await client.PostAsync("/fhir/Patient", Patient("Sterk", "Johan"))).ReadAs<Patient>();

        p.Name[0].Given = ["Johan", "Willem"];
        var updated = await client.PutAsync($"/fhir/Patient/{p.Id}", p, ifMatch: "W/\"1\"");
        updated.StatusCode.ShouldBe(HttpStatusCode.OK);
        updated.Headers.ETag!.ToString().ShouldBe("W/\"2\"");

        (await (await client.GetAsync($"/fhir/Patient/{p.Id}/_history/1", Ct)).ReadAs<Patient>()).Name[0].Given.ShouldBe(["Johan"]);
        (await (await client.GetAsync($"/fhir/Patient/{p.Id}/_history/2", Ct)).ReadAs<Patient>()).Name[0].Given.ShouldBe(["Johan", "Willem"]);
        (await client.GetAsync($"/fhir/Patient/{p.Id}/_history/3", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task Update_with_a_stale_if_match_is_refused_with_412_and_nothing_changes(string provider)
    {
        await using var api = new ApiFactory(provider);
        var client = api.CreateClient();
        var p = await (await client.PostAsync("/fhir/Patient", Patient("Frank", "Leo"))).ReadAs<Patient>();
        p.Gender = AdministrativeGender.Male;
        (await client.PutAsync($"/fhir/Patient/{p.Id}", p, ifMatch: "W/\"1\"")).StatusCode.ShouldBe(HttpStatusCode.OK);

        p.Gender = AdministrativeGender.Other;
        var stale = await client.PutAsync($"/fhir/Patient/{p.Id}", p, ifMatch: "W/\"1\"");
        stale.StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
        (await stale.Outcome()).Issue[0].Diagnostics.ShouldContain("de huidige versie is 2");

        var current = await (await client.GetAsync($"/fhir/Patient/{p.Id}", Ct)).ReadAs<Patient>();
        current.Meta.VersionId.ShouldBe("2");
        current.Gender.ShouldBe(AdministrativeGender.Male);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task Search_finds_what_an_update_wrote_and_no_longer_what_it_replaced(string provider)
    {
        await using var api = new ApiFactory(provider);
        var client = api.CreateClient();
        var p = await (await client.PostAsync("/fhir/Patient", Patient("Oudenaam", "Rowena"))).ReadAs<Patient>();
        (await client.CountAsync("Patient", "family=oudenaam")).ShouldBe(1);

        p.Name[0].Family = "Nieuwenaam";
        (await client.PutAsync($"/fhir/Patient/{p.Id}", p)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.CountAsync("Patient", "family=oudenaam")).ShouldBe(0);
        (await client.CountAsync("Patient", "family=nieuwenaam")).ShouldBe(1);

        (await client.DeleteAsync($"/fhir/Patient/{p.Id}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await client.CountAsync("Patient", "family=nieuwenaam")).ShouldBe(0);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task Put_to_a_new_id_creates_the_resource_with_that_id(string provider)
    {
        await using var api = new ApiFactory(provider);
        var client = api.CreateClient();
        var response = await client.PutAsync("/fhir/Patient/bilic-atilla", Patient("Bilic", "Atilla", id: "bilic-atilla"));
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await client.GetAsync("/fhir/Patient/bilic-atilla", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task Delete_makes_read_answer_410_and_history_keeps_every_version(string provider)
    {
        await using var api = new ApiFactory(provider);
        var client = api.CreateClient();
        var p = await (await client.PostAsync("/fhir/Patient", Patient("van Assen", "Luc"))).ReadAs<Patient>();

        (await client.DeleteAsync($"/fhir/Patient/{p.Id}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var gone = await client.GetAsync($"/fhir/Patient/{p.Id}", Ct);
        gone.StatusCode.ShouldBe(HttpStatusCode.Gone);
        await gone.Outcome();

        var history = await (await client.GetAsync($"/fhir/Patient/{p.Id}/_history", Ct)).ReadAs<Bundle>();
        history.Type.ShouldBe(Bundle.BundleType.History);
        history.Total.ShouldBe(2);
        history.Entry[0].Request.Method.ShouldBe(Bundle.HTTPVerb.DELETE);
        history.Entry[0].Resource.ShouldBeNull();
        history.Entry[1].Request.Method.ShouldBe(Bundle.HTTPVerb.POST);
        (await client.CountAsync("Patient")).ShouldBe(0);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task Type_and_system_history_page_newest_first(string provider)
    {
        await using var api = new ApiFactory(provider);
        var client = api.CreateClient();
        for (var i = 0; i < 5; i++) await client.PostAsync("/fhir/Patient", Patient($"Familie{i}"));
        await client.PostAsync("/fhir/Practitioner", new Practitioner { Name = [new HumanName { Family = "Ricardo" }] });

        var page1 = await (await client.GetAsync("/fhir/Patient/_history?_count=2", Ct)).ReadAs<Bundle>();
        page1.Total.ShouldBe(5);
        page1.Entry.Count.ShouldBe(2);
        ((Patient)page1.Entry[0].Resource).Name[0].Family.ShouldBe("Familie4");
        var next = page1.Link.Single(l => l.Relation == "next").Url;
        var page2 = await (await client.GetAsync(new Uri(next).PathAndQuery, Ct)).ReadAs<Bundle>();
        ((Patient)page2.Entry[0].Resource).Name[0].Family.ShouldBe("Familie2");

        var system = await (await client.GetAsync("/fhir/_history", Ct)).ReadAs<Bundle>();
        system.Total.ShouldBe(6);
        system.Entry[0].Resource.ShouldBeOfType<Practitioner>();
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task Conditional_create_returns_the_existing_match_instead_of_a_duplicate(string provider)
    {
        await using var api = new ApiFactory(provider);
        var client = api.CreateClient();
        var p = Patient("Strikwerda", "Jesse");
        p.Identifier = [new Identifier("http://fhir.nl/fhir/NamingSystem/bsn", "999911120")];

        var first = await client.PostAsync("/fhir/Patient", p, ("If-None-Exist", "identifier=http://fhir.nl/fhir/NamingSystem/bsn|999911120"));
        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        var second = await client.PostAsync("/fhir/Patient", p, ("If-None-Exist", "identifier=http://fhir.nl/fhir/NamingSystem/bsn|999911120"));
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await second.ReadAs<Patient>()).Id.ShouldBe((await first.ReadAs<Patient>()).Id);
        (await client.CountAsync("Patient")).ShouldBe(1);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task Conditional_update_updates_the_single_match_and_creates_when_none(string provider)
    {
        await using var api = new ApiFactory(provider);
        var client = api.CreateClient();
        var p = Patient("Frank", "Wesley");
        p.Identifier = [new Identifier("urn:test", "w-13")];

        (await client.PutAsync("/fhir/Patient?identifier=urn:test|w-13", p)).StatusCode.ShouldBe(HttpStatusCode.Created);
        p.BirthDate = "2013-01-01";
        var updated = await client.PutAsync("/fhir/Patient?identifier=urn:test|w-13", p);
        updated.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await updated.ReadAs<Patient>()).Meta.VersionId.ShouldBe("2");
        (await client.CountAsync("Patient")).ShouldBe(1);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task Transaction_stores_all_entries_and_resolves_urn_uuid_references(string provider)
    {
        await using var api = new ApiFactory(provider);
        var client = api.CreateClient();
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            FullUrl = "urn:uuid:7f1c3a2e-0000-4000-8000-000000000001",
            Resource = Patient("de Wit", "Kim"),
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Patient" },
        });
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            Resource = new Goal
            {
                LifecycleStatus = Goal.GoalLifecycleStatus.Active,
                Description = new CodeableConcept { Text = "Kim slaapt twee nachten per maand in het logeerhuis" },
                Subject = new ResourceReference("urn:uuid:7f1c3a2e-0000-4000-8000-000000000001"),
            },
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Goal" },
        });

        var response = await client.PostAsync("/fhir", bundle);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var result = await response.ReadAs<Bundle>();
        result.Type.ShouldBe(Bundle.BundleType.TransactionResponse);
        result.Entry.Count.ShouldBe(2);
        result.Entry.ShouldAllBe(e => e.Response.Status.StartsWith("201"));
        var patientId = ((Patient)result.Entry[0].Resource).Id;
        ((Goal)result.Entry[1].Resource).Subject.Reference.ShouldBe($"Patient/{patientId}");
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task Transaction_with_one_failing_entry_stores_nothing(string provider)
    {
        await using var api = new ApiFactory(provider);
        var client = api.CreateClient();
        var existing = await (await client.PostAsync("/fhir/Patient", Patient("Bilic", "Ali"))).ReadAs<Patient>();
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        bundle.Entry.Add(new Bundle.EntryComponent { Resource = Patient("Nieuw", "Een"), Request = new() { Method = Bundle.HTTPVerb.POST, Url = "Patient" } });
        existing.Gender = AdministrativeGender.Male;
        // Stale If-Match: this entry fails, so the create above must be rolled back too.
        bundle.Entry.Add(new Bundle.EntryComponent { Resource = existing, Request = new() { Method = Bundle.HTTPVerb.PUT, Url = $"Patient/{existing.Id}", IfMatch = "W/\"7\"" } });

        var response = await client.PostAsync("/fhir", bundle);
        response.StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
        (await response.Outcome()).Issue[0].Diagnostics.ShouldContain("teruggedraaid");
        (await client.CountAsync("Patient")).ShouldBe(1);
        (await (await client.GetAsync($"/fhir/Patient/{existing.Id}", Ct)).ReadAs<Patient>()).Meta.VersionId.ShouldBe("1");
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task Batch_entries_succeed_or_fail_on_their_own(string provider)
    {
        await using var api = new ApiFactory(provider);
        var client = api.CreateClient();
        var bundle = new Bundle { Type = Bundle.BundleType.Batch };
        bundle.Entry.Add(new Bundle.EntryComponent { Resource = Patient("Goed"), Request = new() { Method = Bundle.HTTPVerb.POST, Url = "Patient" } });
        bundle.Entry.Add(new Bundle.EntryComponent { Request = new() { Method = Bundle.HTTPVerb.GET, Url = "Patient/bestaat-niet" } });
        bundle.Entry.Add(new Bundle.EntryComponent { Resource = Patient("Ook goed"), Request = new() { Method = Bundle.HTTPVerb.POST, Url = "Patient" } });

        var result = await (await client.PostAsync("/fhir", bundle)).ReadAs<Bundle>();
        result.Type.ShouldBe(Bundle.BundleType.BatchResponse);
        result.Entry[0].Response.Status.ShouldStartWith("201");
        result.Entry[1].Response.Status.ShouldStartWith("404");
        result.Entry[1].Response.Outcome.ShouldBeOfType<OperationOutcome>();
        result.Entry[2].Response.Status.ShouldStartWith("201");
        (await client.CountAsync("Patient")).ShouldBe(2);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task Everything_returns_the_patient_compartment_and_what_it_refers_to(string provider)
    {
        await using var api = new ApiFactory(provider);
        var client = api.CreateClient();
        var practitioner = await (await client.PostAsync("/fhir/Practitioner", new Practitioner { Name = [new HumanName { Family = "Huisarts" }] })).ReadAs<Practitioner>();
        var kim = Patient("de Wit", "Kim");
        kim.GeneralPractitioner = [new ResourceReference($"Practitioner/{practitioner.Id}")];
        var patient = await (await client.PostAsync("/fhir/Patient", kim)).ReadAs<Patient>();
        var other = await (await client.PostAsync("/fhir/Patient", Patient("Ander", "Kind"))).ReadAs<Patient>();
        await client.PostAsync("/fhir/Observation", Observation(patient.Id, "Aanvallen per week", 3));
        await client.PostAsync("/fhir/Observation", Observation(other.Id, "Aanvallen per week", 9));

        var everything = await (await client.GetAsync($"/fhir/Patient/{patient.Id}/$everything", Ct)).ReadAs<Bundle>();
        var types = everything.Entry.Select(e => e.Resource.TypeName).Order().ToList();
        types.ShouldBe(["Observation", "Patient", "Practitioner"]);
        everything.Entry.ShouldNotContain(e => e.Resource.Id == other.Id);
    }

    internal static Observation Observation(string patientId, string text, int value) => new()
    {
        Status = ObservationStatus.Final,
        Code = new CodeableConcept { Text = text },
        Subject = new ResourceReference($"Patient/{patientId}"),
        Effective = new FhirDateTime("2026-11-01"),
        Value = new Quantity(value, "/wk"),
    };
}
