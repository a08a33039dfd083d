using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Tests.Notifications;

/// <summary>
/// A family for the notification rules: client nt-child (14, with an account of her own), the parent Tessa (regiehouder),
/// the bondgenoot Ricardo (supporter: doelen, afspraken, berichten, documenten, read and write), a coach with doelen only,
/// a municipality (Organization, its Wmo officer through a PractitionerRole) with a share package of one goal, and a
/// stranger without any grant. Written through /fhir with the system token.
/// </summary>
internal static class RulesFamily
{
    public const string Child = "nt-child";
    public const string Client = "Person/nt-client";
    public const string Parent = "Person/nt-parent";
    public const string Supporter = "Person/nt-supporter";
    public const string Coach = "Person/nt-coach";
    public const string Wmo = "Person/nt-wmo";
    public const string Stranger = "Person/nt-stranger";
    public const string SupportGrant = "nt-support";
    public const string CoachGrant = "nt-coach";
    public const string Package = "nt-package";

    public static async System.Threading.Tasks.Task SeedAsync(HttpClient system)
    {
        var birth = DateTime.UtcNow.AddYears(-14).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Resource[] resources =
        [
            new Patient { Id = Child, BirthDate = birth, Name = [new HumanName { Text = "Jesse Strikwerda" }] },
            new RelatedPerson { Id = "nt-parent", Patient = new ResourceReference($"Patient/{Child}"), Name = [new HumanName { Text = "Tessa Strikwerda" }] },
            new Practitioner { Id = "nt-supporter", Name = [new HumanName { Text = "Ricardo Bondgenoot" }] },
            new Practitioner { Id = "nt-coach", Name = [new HumanName { Text = "Carla Coach" }] },
            new Practitioner { Id = "nt-wmo", Name = [new HumanName { Text = "Willem Wmo" }] },
            new Practitioner { Id = "nt-stranger", Name = [new HumanName { Text = "Sjoerd Vreemd" }] },
            new Organization { Id = "nt-gemeente", Name = "Gemeente" },
            new PractitionerRole { Id = "nt-wmo-role", Practitioner = new("Practitioner/nt-wmo"), Organization = new("Organization/nt-gemeente") },
            Link("nt-client", $"Patient/{Child}"), Link("nt-parent", "RelatedPerson/nt-parent"), Link("nt-supporter", "Practitioner/nt-supporter"),
            Link("nt-coach", "Practitioner/nt-coach"), Link("nt-wmo", "Practitioner/nt-wmo"), Link("nt-stranger", "Practitioner/nt-stranger"),
            Grants.Regie("nt-regie", Child, ["RelatedPerson/nt-parent"]),
            Grants.Grant(SupportGrant, Child, "Practitioner/nt-supporter", GrantRole.Ondersteuner,
                [Section.Doelen, Section.Plan, Section.Afspraken, Section.Berichten, Section.Documenten], write: true),
            Grants.Grant(CoachGrant, Child, "Practitioner/nt-coach", GrantRole.Ondersteuner, [Section.Doelen], write: true),
            Goal("nt-goal", "Zelf naar school fietsen"),
            Goal("nt-goal-shared", "Een bijbaan vinden"),
            Grants.SharePackage(Package, Child, "Organization/nt-gemeente", "Aanvraag Wmo", DateTimeOffset.UtcNow.AddDays(30),
                items: ["Goal/nt-goal-shared"], from: DateTimeOffset.UtcNow.AddHours(-1)),
        ];
        foreach (var r in resources) await PutAsync(system, r);

        static Person Link(string id, string target) => new() { Id = id, Link = [new Person.LinkComponent { Target = new ResourceReference(target) }] };
    }

    public static Goal Goal(string id, string text) => new()
    {
        Id = id,
        LifecycleStatus = Hl7.Fhir.Model.Goal.GoalLifecycleStatus.Active,
        Subject = new ResourceReference($"Patient/{Child}"),
        Description = new CodeableConcept { Text = text },
        Category = [new CodeableConcept(LifeDomain.System, LifeDomain.Display.Keys.First())],
    };

    public static Hl7.Fhir.Model.Task Agreement(string id, string text, string? owner) => new()
    {
        Id = id,
        Status = Hl7.Fhir.Model.Task.TaskStatus.Requested,
        Intent = Hl7.Fhir.Model.Task.TaskIntent.Plan,
        For = new ResourceReference($"Patient/{Child}"),
        Description = text,
        Owner = owner is null ? null : new ResourceReference(owner),
    };

    public static Communication Message(string sender, params string[] recipients) => new()
    {
        Status = EventStatus.Completed,
        Subject = new ResourceReference($"Patient/{Child}"),
        Sender = new ResourceReference(sender),
        Recipient = recipients.Select(r => new ResourceReference(r)).ToList(),
        Payload = [new Communication.PayloadComponent { Content = new FhirString("Geheime berichttekst") }],
    };

    public static async System.Threading.Tasks.Task PutAsync(HttpClient client, Resource r)
    {
        var response = await client.PutAsync($"/fhir/{r.TypeName}/{r.Id}", r);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"PUT {r.TypeName}/{r.Id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
