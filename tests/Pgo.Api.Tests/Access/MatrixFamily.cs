using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Tests.Access;

/// <summary>
/// The family of docs/authorization-matrix.md, loaded once per provider: the client, the people around them,
/// one resource per section, the Consents, and a client per role.
/// </summary>
public abstract class MatrixFamily(string provider) : IAsyncLifetime
{
    public const string Client = "mx-client";
    private ApiFactory? _api;
    private readonly Dictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);

    public ApiFactory Api => _api!;
    public HttpClient System { get; private set; } = null!;
    public string Provider => provider;

    /// <summary>Per section: the resource the read-side cells look at.</summary>
    public static readonly IReadOnlyDictionary<string, (string Type, string Id)> Main = new Dictionary<string, (string, string)>
    {
        ["profiel"] = ("Patient", Client),
        ["plan"] = ("CarePlan", "mx-plan"),
        ["doelen"] = ("Goal", "mx-doelen"),
        ["afspraken"] = ("Task", "mx-afspraken"),
        ["logboek"] = ("DocumentReference", "mx-logboek"),
        ["verborgen"] = ("DocumentReference", "mx-verborgen"),
        ["berichten"] = ("Communication", "mx-berichten"),
        ["berichten-2"] = ("Communication", "mx-berichten-2"),
        ["documenten"] = ("DocumentReference", "mx-documenten"),
        ["netwerk"] = ("CareTeam", "mx-netwerk"),
        ["agenda"] = ("Appointment", "mx-agenda"),
        ["medisch"] = ("Condition", "mx-medisch"),
        ["financien"] = ("DocumentReference", "mx-financien"),
        ["metingen"] = ("QuestionnaireResponse", "mx-metingen"),
        ["tijd"] = ("Basic", "mx-tijd"),
        ["gebeurtenissen"] = ("Basic", "mx-gebeurtenissen"),
        ["toegang"] = ("Consent", "mx-toegang"),
    };

    /// <summary>Role → (Person it signs in as, token scopes).</summary>
    public static readonly IReadOnlyDictionary<string, (string Person, string Scopes)> Roles = new Dictionary<string, (string, string)>
    {
        ["regiehouder"] = ("Person/mx-mother", "openid fhirUser user/*.cruds"),
        ["regiehouder-2"] = ("Person/mx-father", "openid fhirUser user/*.cruds"),
        ["client"] = ("Person/mx-self", "openid fhirUser launch/patient patient/*.cruds"),
        ["sibling"] = ("Person/mx-sister", "openid fhirUser user/*.cruds"),
        ["supporter"] = ("Person/mx-supporter", "openid fhirUser user/*.cruds"),
        ["stand-in"] = ("Person/mx-colleague", "openid fhirUser user/*.cruds"),
        ["professional"] = ("Person/mx-doctor", "openid fhirUser user/*.cruds"),
        ["agency"] = ("Person/mx-wmo", "openid fhirUser user/*.cruds"),
        ["app"] = ("Person/mx-mother", "openid fhirUser launch/patient patient/Goal.rs"),
        ["stranger"] = ("Person/mx-stranger", "openid fhirUser user/*.cruds"),
        ["former-supporter"] = ("Person/mx-former", "openid fhirUser user/*.cruds"),
    };

    public HttpClient As(string role)
    {
        lock (_clients)
        {
            if (!_clients.TryGetValue(role, out var client))
            {
                var (person, scopes) = RoleOf(role);
                _clients[role] = client = Api.ClientFor(TestTokens.Person(person, scopes));
            }
            return client;
        }
    }

    public async ValueTask InitializeAsync()
    {
        _api = new ApiFactory(provider);
        System = _api.CreateClient();
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        foreach (var r in Resources().Concat(MoreResources()))
            bundle.Entry.Add(new Bundle.EntryComponent { Resource = r, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"{r.TypeName}/{r.Id}" } });
        var response = await System.PostAsync("/fhir", bundle);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Who a role signs in as; a derived family may add roles.</summary>
    protected virtual (string Person, string Scopes) RoleOf(string role) => Roles[role];

    /// <summary>Resources a derived family loads with the rest (the write matrix adds its manager).</summary>
    protected virtual IEnumerable<Resource> MoreResources() => [];

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (_api is not null) await _api.DisposeAsync();
    }

    private static IEnumerable<Resource> Resources()
    {
        var now = DateTimeOffset.UtcNow;
        yield return new Patient { Id = Client, BirthDate = "2000-05-05", Name = [new HumanName { Family = "Matrix", Given = ["Mila"] }] };
        yield return new Patient { Id = "mx-other", BirthDate = "2012-01-01", Name = [new HumanName { Family = "Anders" }] };
        foreach (var (id, patient) in new[] { ("mx-mother", Client), ("mx-father", Client), ("mx-sister", Client), ("mx-nobody", Client), ("mx-stranger", "mx-other") })
            yield return new RelatedPerson { Id = id, Patient = new ResourceReference($"Patient/{patient}") };
        foreach (var id in new[] { "mx-supporter", "mx-colleague", "mx-doctor", "mx-wmo", "mx-former" })
            yield return new Practitioner { Id = id, Name = [new HumanName { Family = id }] };
        yield return new Organization { Id = "mx-kdc", Name = "KDC" };
        yield return new Organization { Id = "mx-gemeente", Name = "Gemeente" };
        yield return new PractitionerRole { Id = "mx-doctor-kdc", Practitioner = new ResourceReference("Practitioner/mx-doctor"), Organization = new ResourceReference("Organization/mx-kdc") };
        yield return new PractitionerRole { Id = "mx-wmo-gemeente", Practitioner = new ResourceReference("Practitioner/mx-wmo"), Organization = new ResourceReference("Organization/mx-gemeente") };
        // The supporter's team (issue 18: a stand-in works in the supporter's organisation); no grant names it.
        yield return new Organization { Id = "mx-team", Name = "Team" };
        foreach (var id in new[] { "mx-supporter", "mx-colleague" })
            yield return new PractitionerRole { Id = $"{id}-team", Practitioner = new ResourceReference($"Practitioner/{id}"), Organization = new ResourceReference("Organization/mx-team") };

        foreach (var (person, target) in new[]
                 {
                     ("mx-mother", "RelatedPerson/mx-mother"), ("mx-father", "RelatedPerson/mx-father"), ("mx-self", $"Patient/{Client}"),
                     ("mx-sister", "RelatedPerson/mx-sister"), ("mx-supporter", "Practitioner/mx-supporter"), ("mx-colleague", "Practitioner/mx-colleague"),
                     ("mx-doctor", "Practitioner/mx-doctor"), ("mx-wmo", "Practitioner/mx-wmo"), ("mx-stranger", "RelatedPerson/mx-stranger"),
                     ("mx-former", "Practitioner/mx-former"),
                 })
            yield return new Person { Id = person, Link = [new Person.LinkComponent { Target = new ResourceReference(target) }] };

        foreach (var section in Main.Keys.Where(s => s != "profiel"))
        {
            var r = NewResource(section);
            r.Id = Main[section].Id;
            yield return r;
        }
        yield return new Linkage
        {
            Id = "mx-hub",
            Item = Main.Values.Select(m => new Linkage.ItemComponent { Type = Linkage.LinkageType.Source, Resource = new ResourceReference($"{m.Type}/{m.Id}") }).ToList(),
        };

        yield return Named("mx-regie-mother", Grants.Regie(null, Client, ["RelatedPerson/mx-mother"], LegalRepresentation.Mentor));
        yield return Named("mx-regie-father", Grants.Regie(null, Client, ["RelatedPerson/mx-father"], LegalRepresentation.Curator));
        yield return Named("mx-grant-sister", Grants.Grant(null, Client, "RelatedPerson/mx-sister", GrantRole.Gezinslid, [Section.Logboek, Section.Berichten, Section.Agenda]));
        yield return Named("mx-hide-sister", Grants.Hide(null, Client, "DocumentReference/mx-verborgen", "RelatedPerson/mx-sister"));
        yield return Named("mx-grant-supporter", Grants.Grant(null, Client, "Practitioner/mx-supporter", GrantRole.Ondersteuner,
            [Section.Plan, Section.Doelen, Section.Afspraken, Section.Logboek], write: true, allowStandIn: true));
        yield return Named("mx-hide-supporter", Grants.Hide(null, Client, "DocumentReference/mx-verborgen", "Practitioner/mx-supporter"));
        yield return Named("mx-standin", Grants.StandIn(null, Client, "mx-grant-supporter", "Practitioner/mx-colleague", now.AddDays(-1), now.AddDays(7)));
        yield return Named("mx-grant-doctor-agenda", Grants.Grant(null, Client, "Practitioner/mx-doctor", GrantRole.Zorgverlener, [Section.Agenda]));
        yield return Named("mx-grant-doctor-medisch", Grants.Grant(null, Client, "Practitioner/mx-doctor", GrantRole.Zorgverlener, [Section.Medisch], write: true));
        yield return Named("mx-share-gemeente", Grants.SharePackage(null, Client, "Organization/mx-gemeente", "Wmo-aanvraag", now.AddDays(30), items: ["DocumentReference/mx-documenten"]));
        yield return Named("mx-grant-former", Grants.Grant(null, Client, "Practitioner/mx-former", GrantRole.Ondersteuner,
            [Section.Plan, Section.Doelen, Section.Afspraken, Section.Logboek], write: true, from: now.AddDays(-60), until: now.AddDays(-1)));
        yield return Named("mx-regie-stranger", Grants.Regie(null, "mx-other", ["RelatedPerson/mx-stranger"]));
    }

    private static Consent Named(string id, Consent c)
    {
        c.Id = id;
        return c;
    }

    /// <summary>A new resource of the section, for the client (profiel: the "paspoort" document).</summary>
    public static Resource NewResource(string section)
    {
        var patient = new ResourceReference($"Patient/{Client}");
        return section switch
        {
            "profiel" => Doc(Section.Profiel, "Paspoort: wat Mila rustig maakt"),
            "plan" => new CarePlan { Status = RequestStatus.Active, Intent = CarePlan.CarePlanIntent.Plan, Subject = patient, Title = "Ondersteuningsplan" },
            "doelen" => new Goal { LifecycleStatus = Goal.GoalLifecycleStatus.Active, Subject = patient, Description = new CodeableConcept { Text = "Zelfstandig reizen" }, Category = [new CodeableConcept(Pgo.Fhir.Access.PgoCodes.LifeDomain.System, "vrije-tijd")] },
            "afspraken" => new Hl7.Fhir.Model.Task { Status = Hl7.Fhir.Model.Task.TaskStatus.Requested, Intent = Hl7.Fhir.Model.Task.TaskIntent.Order, For = patient, Owner = patient, Description = "Aanvraag indienen" },
            "logboek" or "verborgen" => Doc(Section.Logboek, "Logboek: goed gesprek gehad"),
            // Two conversations (W6: only their participants read them): the mother to the sister; the father to the client and the supporter.
            "berichten" => Message("RelatedPerson/mx-mother", "RelatedPerson/mx-sister"),
            "berichten-2" => Message("RelatedPerson/mx-father", $"Patient/{Client}", "Practitioner/mx-supporter"),
            "documenten" => Doc(null, "Beschikking"),
            "netwerk" => new CareTeam { Status = CareTeam.CareTeamStatus.Active, Subject = patient, Name = "Netwerk van Mila" },
            "agenda" => new Appointment
            {
                Status = Appointment.AppointmentStatus.Booked,
                Participant = [new Appointment.ParticipantComponent { Actor = patient, Status = ParticipationStatus.Accepted }],
            },
            "medisch" => new Condition { Subject = patient, Code = new CodeableConcept { Text = "Epilepsie" } },
            "financien" => Doc(Section.Financien, "PGB-overzicht"),
            "metingen" => new QuestionnaireResponse { Status = QuestionnaireResponse.QuestionnaireResponseStatus.Completed, Subject = patient },
            "tijd" => new Basic { Code = new CodeableConcept(Section.System, Section.Tijd), Subject = patient },
            "gebeurtenissen" => Pgo.Fhir.Profiles.CountableEvent.New(Client, null, null,
                new Pgo.Fhir.Profiles.CountableEvent.Fields(Pgo.Shared.Codes.EventCodes.Types.ContactInstantie, new DateOnly(2026, 1, 5), "Gebeld met de gemeente.", Instantie: "gemeente")),
            "toegang" => Grants.Grant(null, Client, "RelatedPerson/mx-nobody", GrantRole.Gezinslid, [Section.Agenda]),
            _ => throw new ArgumentOutOfRangeException(nameof(section), section, null),
        };

        Communication Message(string sender, params string[] recipients) => new()
        {
            Status = EventStatus.Completed,
            Subject = patient,
            Sender = new ResourceReference(sender),
            Recipient = recipients.Select(r => new ResourceReference(r)).ToList(),
            Payload = [new Communication.PayloadComponent { Content = new FhirString("Hoi!") }],
        };

        DocumentReference Doc(string? s, string text) => new()
        {
            Status = DocumentReferenceStatus.Current,
            Subject = patient,
            Category = s is null ? [] : [new CodeableConcept(Section.System, s)],
            Description = text,
            Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { ContentType = "text/plain", Title = text } }],
        };
    }
}

public sealed class SqliteMatrixFamily() : MatrixFamily("sqlite");
public sealed class PostgresMatrixFamily() : MatrixFamily("postgres");
