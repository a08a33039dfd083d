using System.Collections.Concurrent;
using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Pgo.Api.Notifications;
using Pgo.Api.Notifications.Mail;
using Pgo.Fhir.Access;
using Pgo.Fhir.Storage;
using Pgo.Identity.Tests.Support;
using Pgo.Shared.Text;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;
using Task = System.Threading.Tasks.Task;

namespace Pgo.Api.Tests.Notifications;

/// <summary>
/// The Api with notification mail switched on, sending over real SMTP to an in-process listener, on a clock the test
/// moves, with a family whose items all hold <see cref="Canary"/>; addresses come from a stand-in for Identity. The
/// mail's loop does not run (its interval is a day): the test plans and sends itself, so each step is seen.
/// </summary>
internal sealed class MailFamily : IAsyncDisposable
{
    public const string Canary = "KANARIE-7f3a";
    public const string Child = "mail-child";
    public const string Parent = "Person/mail-parent";
    public const string Supporter = "Person/mail-supporter";
    public const string SupportGrant = "mail-support";

    private MailFamily(ApiFactory api, SmtpSink smtp, MutableClock clock)
    {
        Api = api;
        Smtp = smtp;
        Clock = clock;
    }

    public ApiFactory Api { get; }
    public SmtpSink Smtp { get; }
    public MutableClock Clock { get; }
    public StandInContacts Contacts { get; } = new();

    /// <summary>A wall-clock moment in Amsterdam.</summary>
    public static DateTimeOffset Amsterdam(int year, int month, int day, int hour, int minute = 0) =>
        DutchTime.FromWallClock(new DateTime(year, month, day, hour, minute, 0), DutchTime.Amsterdam);

    /// <summary>A Wednesday morning in June, outside quiet hours.</summary>
    public static readonly DateTimeOffset Start = Amsterdam(2026, 6, 10, 10);

    public static async Task<MailFamily> StartAsync(string provider, int? smtpPort = null, IDictionary<string, string?>? settings = null)
    {
        var smtp = new SmtpSink();
        var clock = new MutableClock(Start);
        var all = new Dictionary<string, string?>
        {
            ["Notifications:Mail:Host"] = "127.0.0.1",
            ["Notifications:Mail:Port"] = (smtpPort ?? smtp.Port).ToString(CultureInfo.InvariantCulture),
            ["Notifications:Mail:Security"] = "None",
            ["Notifications:Mail:PollInterval"] = "1.00:00:00",
            ["Notifications:PortalUrl"] = "https://portaal.pgo.test",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) all[k] = v;
        var family = new MailFamily(new ApiFactory(provider, clock: clock, settings: all), smtp, clock);
        // The mail tests add their notifications by hand: the producers would add their own for the family's writes.
        await family.Api.KeepOnlyNotificationProducersAsync();
        await family.SeedAsync();
        return family;
    }

    private async Task SeedAsync()
    {
        var system = Api.CreateClient();
        Resource[] resources =
        [
            new Patient
            {
                Id = Child, BirthDate = "2015-03-08",
                Name = [new HumanName { Use = HumanName.NameUse.Official, Given = ["Jesse"], Family = "Mailtest" }],
            },
            new RelatedPerson { Id = "mail-parent", Patient = new ResourceReference($"Patient/{Child}") },
            new Practitioner { Id = "mail-supporter" },
            Link("mail-parent", "RelatedPerson/mail-parent"), Link("mail-supporter", "Practitioner/mail-supporter"),
            Grants.Regie("mail-regie", Child, ["RelatedPerson/mail-parent"]),
            Grants.Grant(SupportGrant, Child, "Practitioner/mail-supporter", PgoCodes.GrantRole.Ondersteuner, [PgoCodes.Section.Doelen]),
            new Goal
            {
                Id = "mail-goal", LifecycleStatus = Goal.GoalLifecycleStatus.Active, Subject = new ResourceReference($"Patient/{Child}"),
                Description = new CodeableConcept { Text = $"Doel {Canary}" },
            },
            new DocumentReference
            {
                Id = "mail-note", Status = DocumentReferenceStatus.Current, Subject = new ResourceReference($"Patient/{Child}"),
                Description = $"Titel {Canary}",
                Category = [new CodeableConcept(PgoCodes.Section.System, PgoCodes.Section.Logboek)],
                Content = [new DocumentReference.ContentComponent { Attachment = new Attachment
                {
                    ContentType = "text/markdown", Title = $"Document {Canary}", Data = System.Text.Encoding.UTF8.GetBytes($"Bericht {Canary}"),
                } }],
            },
        ];
        foreach (var r in resources) (await system.PutAsync($"/fhir/{r.TypeName}/{r.Id}", r)).EnsureSuccessStatusCode();

        static Person Link(string id, string target) => new() { Id = id, Link = [new Person.LinkComponent { Target = new ResourceReference(target) }] };
    }

    public INotificationStore Notifications => Api.Services.GetRequiredService<INotificationStore>();
    public IMailDeliveryStore Deliveries => Api.Services.GetRequiredService<IMailDeliveryStore>();
    public MailPlanner Planner => Api.Services.GetRequiredService<MailPlanner>();

    /// <summary>A sender of its own (its own claimer), with the stand-in contacts: one per Api instance in the real thing.</summary>
    public MailDeliverer NewSender() => ActivatorUtilities.CreateInstance<MailDeliverer>(Api.Services, (IContactDirectory)Contacts);

    /// <summary>Adds a notification through the sink, as the rules, the schedule and the team forwarder do.</summary>
    public async Task<long> NotifyAsync(string recipient, string kind, string? item = "Goal/mail-goal", string? section = PgoCodes.Section.Doelen,
        string? patientId = Child, string? key = null) =>
        (await Api.Services.GetRequiredService<NotificationSink>().AddAsync(new NewNotification(recipient, key ?? Guid.NewGuid().ToString("N"),
            kind, patientId, section, item, "Person/mail-actor", $"Actor {Canary}", Clock.GetUtcNow())))!.Value;

    /// <summary>Plans, then sends until nothing is due: what one round of the mail's loop does.</summary>
    public async Task RoundAsync()
    {
        await Planner.PlanAsync(CancellationToken.None);
        var sender = NewSender();
        while (await sender.SendDueAsync(CancellationToken.None) > 0) { }
    }

    public Task SetPreferencesAsync(string recipient, Pgo.Shared.Contracts.NotificationPreferences preferences) =>
        Api.Services.GetRequiredService<MailPreferences>().SaveAsync(recipient, preferences, CancellationToken.None);

    public static string AddressOf(string recipient) => recipient.Replace("Person/", "", StringComparison.Ordinal) + "@mail.test";

    public int MailsTo(string recipient) => Smtp.CountTo(AddressOf(recipient));

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

/// <summary>Identity's contact answers, for the test: every Person has a confirmed address unless told otherwise.</summary>
internal sealed class StandInContacts : IContactDirectory
{
    public ConcurrentDictionary<string, MailContact?> Overrides { get; } = new(StringComparer.Ordinal);

    public Task<MailContact?> FindAsync(string recipient, CancellationToken ct) =>
        Task.FromResult(Overrides.TryGetValue(recipient, out var contact)
            ? contact
            : new MailContact(MailFamily.AddressOf(recipient), true, "nl", "Tessa Ouder"));
}
