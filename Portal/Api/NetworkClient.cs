using Pgo.Shared.Codes;
using Pgo.Shared.Text;
using FM = Hl7.Fhir.Model;

namespace Pgo.Portal.Api;

/// <summary>One person in the dossier's network as the network screen shows it: a participant of the dossier's CareTeam
/// (what <c>DossierOverview.Network</c> reads), with the contact details of their RelatedPerson when they have one.</summary>
/// <param name="Member">The reference (RelatedPerson/..., Practitioner/..., Patient/...); null when only a name was recorded.</param>
/// <param name="Editable">People without an account (a RelatedPerson, or only a name): their details are the family's to keep.
/// Someone with an account (a Practitioner, the client) keeps their own name; only the role and organisation are the dossier's.</param>
public sealed record NetworkEntry(string? Member, string Name, string? Role, string? RoleText, string? Organization, string? Phone, string? Email,
    FM.CareTeam? Team, int Index, FM.RelatedPerson? Person)
{
    public bool Editable => Member is null || Member.StartsWith("RelatedPerson/", StringComparison.Ordinal);
}

/// <summary>What the network form holds (Network.razor): name, a netwerkrol code, contact details and organisation.</summary>
public sealed class NetworkForm
{
    public string? Name { get; set; }
    public string? Role { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }
    public string? Organization { get; set; }
}

/// <summary>What the agenda form holds for a rota (Agenda.razor): the same appointment every week, for a number of weeks.</summary>
/// <param name="FirstStart">The first occurrence, on the clock of <paramref name="Zone"/>.</param>
public sealed record RotaRequest(string Description, string? Place, IReadOnlyList<FM.ResourceReference> Participants, DateTime FirstStart,
    TimeSpan Duration, int Weeks, TimeZoneInfo Zone);

/// <summary>
/// The network (CareTeam + RelatedPerson) and the agenda's series (Appointment) of one dossier, written as the person
/// through /fhir: each change is one transaction, so a member is never stored without their place in the CareTeam, nor
/// half a rota. The Api decides (WriteDecision): write in netwerk or agenda is needed, and none of these writes gives
/// anyone access: a participant is named, never granted.
/// </summary>
public sealed class NetworkClient(PgoApi api)
{
    /// <summary>Marks the Appointments of one rota ("opa Jan haalt Jesse elke dinsdag op"): the same identifier value on every
    /// occurrence (docs/adr/0005-dossier-mapping.md, Agenda).</summary>
    public const string RotaSystem = CodeBase.Url + "/NamingSystem/agenda-reeks";

    private static string Esc(string value) => PgoApi.Esc(value);

    public Task<List<FM.CareTeam>> CareTeamsAsync(string patientId, CancellationToken cancel = default) =>
        api.SearchAsync<FM.CareTeam>($"CareTeam?patient=Patient/{Esc(patientId)}&_count=20", cancel);

    /// <summary>The network: every participant of the dossier's CareTeams, then the family members (RelatedPerson with a name)
    /// who are in none yet.</summary>
    public async Task<(List<NetworkEntry> Entries, FM.CareTeam? Team)> NetworkAsync(string patientId, CancellationToken cancel = default)
    {
        var teams = await CareTeamsAsync(patientId, cancel);
        var people = (await api.SearchAsync<FM.RelatedPerson>($"RelatedPerson?patient=Patient/{Esc(patientId)}&_count=200", cancel))
            .Where(p => p.Id is not null).ToDictionary(p => "RelatedPerson/" + p.Id, StringComparer.Ordinal);
        var entries = new List<NetworkEntry>();
        foreach (var team in teams)
            for (var i = 0; i < team.Participant.Count; i++)
            {
                var p = team.Participant[i];
                var member = p.Member?.Reference;
                var person = member is not null && people.TryGetValue(member, out var rp) ? rp : null;
                var coding = p.Role.SelectMany(r => r.Coding).FirstOrDefault(c => c.System == NetworkRoles.System);
                var name = DisplayNames.Of(person?.Name) ?? p.Member?.Display ?? p.Role.FirstOrDefault()?.Text ?? "";
                entries.Add(new NetworkEntry(member, name, coding?.Code, coding is null ? p.Role.FirstOrDefault()?.Text : null, p.OnBehalfOf?.Display,
                    Telecom(person, FM.ContactPoint.ContactPointSystem.Phone), Telecom(person, FM.ContactPoint.ContactPointSystem.Email), team, i, person));
            }
        var listed = entries.Select(e => e.Member).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var (reference, person) in people)
        {
            if (listed.Contains(reference) || DisplayNames.Of(person.Name) is not { } name) continue;
            var role = person.Relationship.SelectMany(r => r.Coding).FirstOrDefault(c => c.System == NetworkRoles.System)?.Code;
            entries.Add(new NetworkEntry(reference, name, role, role is null ? person.Relationship.FirstOrDefault()?.Text : null, null,
                Telecom(person, FM.ContactPoint.ContactPointSystem.Phone), Telecom(person, FM.ContactPoint.ContactPointSystem.Email), null, -1, person));
        }
        return (entries, teams.FirstOrDefault(t => t.Status is null or FM.CareTeam.CareTeamStatus.Active) ?? teams.FirstOrDefault());
    }

    private static string? Telecom(FM.RelatedPerson? person, FM.ContactPoint.ContactPointSystem system) =>
        person?.Telecom.FirstOrDefault(t => t.System == system)?.Value;

    /// <summary>Adds (<paramref name="existing"/> null) or changes a member without an account: their RelatedPerson and their
    /// participant in the dossier's CareTeam (created when the dossier has none), in one transaction. For someone with an
    /// account only the role and organisation in the CareTeam change.</summary>
    public async Task SaveMemberAsync(string patientId, string dossierName, NetworkEntry? existing, FM.CareTeam? team, NetworkForm form, CancellationToken cancel = default)
    {
        var name = form.Name?.Trim() ?? "";
        var role = form.Role!;
        var roleConcept = new FM.CodeableConcept(NetworkRoles.System, role, NetworkRoles.Display[role], null);
        var bundle = new FM.Bundle { Type = FM.Bundle.BundleType.Transaction };
        FM.ResourceReference member;
        if (existing is null || existing.Editable)
        {
            var person = existing?.Person is { } p ? PgoApi.Copy(p) : new FM.RelatedPerson
            {
                Active = true,
                Patient = new FM.ResourceReference($"Patient/{patientId}"),
            };
            person.Name = [new FM.HumanName { Text = name }];
            person.Relationship = [roleConcept];
            person.Telecom.RemoveAll(t => t.System is FM.ContactPoint.ContactPointSystem.Phone or FM.ContactPoint.ContactPointSystem.Email);
            if (!string.IsNullOrWhiteSpace(form.Phone))
                person.Telecom.Add(new FM.ContactPoint(FM.ContactPoint.ContactPointSystem.Phone, null, form.Phone.Trim()));
            if (!string.IsNullOrWhiteSpace(form.Email))
                person.Telecom.Add(new FM.ContactPoint(FM.ContactPoint.ContactPointSystem.Email, null, form.Email.Trim()));
            var fullUrl = person.Id is null ? "urn:uuid:" + Guid.NewGuid().ToString("D") : null;
            bundle.Entry.Add(Entry(person, fullUrl));
            member = new FM.ResourceReference(fullUrl ?? $"RelatedPerson/{person.Id}", name);
        }
        else
        {
            member = new FM.ResourceReference(existing.Member, existing.Name);
        }

        var careTeam = existing?.Team ?? team;
        var next = careTeam is null ? new FM.CareTeam
        {
            Status = FM.CareTeam.CareTeamStatus.Active,
            Name = $"Netwerk rond {dossierName}",
            Subject = new FM.ResourceReference($"Patient/{patientId}"),
        } : PgoApi.Copy(careTeam);
        var participant = existing is { Team: not null, Index: >= 0 } && existing.Index < next.Participant.Count
            ? next.Participant[existing.Index]
            : Add(next);
        participant.Member = member;
        participant.Role = [roleConcept];
        participant.OnBehalfOf = string.IsNullOrWhiteSpace(form.Organization) ? null : new FM.ResourceReference { Display = form.Organization.Trim() };
        bundle.Entry.Add(Entry(next, next.Id is null ? "urn:uuid:" + Guid.NewGuid().ToString("D") : null));
        await api.TransactionAsync(bundle, cancel);

        static FM.CareTeam.ParticipantComponent Add(FM.CareTeam t)
        {
            var p = new FM.CareTeam.ParticipantComponent();
            t.Participant.Add(p);
            return p;
        }
    }

    /// <summary>A create (POST, with a fullUrl other entries may point to) or an update at the version read (If-Match: a
    /// change by someone else in between refuses the whole transaction).</summary>
    private static FM.Bundle.EntryComponent Entry(FM.Resource resource, string? fullUrl) => resource.Id is null
        ? new FM.Bundle.EntryComponent
        {
            FullUrl = fullUrl,
            Resource = resource,
            Request = new FM.Bundle.RequestComponent { Method = FM.Bundle.HTTPVerb.POST, Url = resource.TypeName },
        }
        : new FM.Bundle.EntryComponent
        {
            Resource = resource,
            Request = new FM.Bundle.RequestComponent
            {
                Method = FM.Bundle.HTTPVerb.PUT, Url = $"{resource.TypeName}/{resource.Id}",
                IfMatch = resource.Meta?.VersionId is { } v ? $"W/\"{v}\"" : null,
            },
        };

    // ---------------------------------------------------------------- the agenda's rota (a series of Appointments)

    /// <summary>Plans a rota: one booked Appointment per week, all with the same series identifier, in one transaction.</summary>
    public async Task PlanRotaAsync(RotaRequest rota, CancellationToken cancel = default)
    {
        var series = Guid.NewGuid().ToString("D");
        var bundle = new FM.Bundle { Type = FM.Bundle.BundleType.Transaction };
        for (var week = 0; week < rota.Weeks; week++)
        {
            // Each week at the same hour on the family's clock, also across the change to and from summer time.
            var start = Pgo.Shared.Text.DutchTime.FromWallClock(rota.FirstStart.AddDays(7 * week), rota.Zone);
            var appointment = new FM.Appointment
            {
                Status = FM.Appointment.AppointmentStatus.Booked,
                Description = rota.Description,
                Start = start,
                End = start + rota.Duration,
                Identifier = [new FM.Identifier(RotaSystem, series)],
                Participant = [.. rota.Participants.Select(p => new FM.Appointment.ParticipantComponent { Actor = p, Status = FM.ParticipationStatus.Accepted })],
            };
            SetPlace(appointment, rota.Place);
            bundle.Entry.Add(Entry(appointment, null));
        }
        await api.TransactionAsync(bundle, cancel);
    }

    /// <summary>Cancels every appointment given (the rest of a series) in one transaction: status cancelled, kept in the agenda.</summary>
    public async Task CancelAsync(IEnumerable<FM.Appointment> appointments, CancellationToken cancel = default)
    {
        var bundle = new FM.Bundle { Type = FM.Bundle.BundleType.Transaction };
        foreach (var a in appointments)
        {
            var copy = PgoApi.Copy(a);
            copy.Status = FM.Appointment.AppointmentStatus.Cancelled;
            bundle.Entry.Add(Entry(copy, null));
        }
        if (bundle.Entry.Count > 0) await api.TransactionAsync(bundle, cancel);
    }

    /// <summary>The series an appointment belongs to (null when it stands alone).</summary>
    public static string? SeriesOf(FM.Appointment a) => a.Identifier.FirstOrDefault(i => i.System == RotaSystem)?.Value;

    /// <summary>Where: R4's Appointment has no place of its own, so the place is a participant of type Location, by name.</summary>
    public static string? PlaceOf(FM.Appointment a) => a.Participant.FirstOrDefault(IsPlace)?.Actor?.Display;

    public static bool IsPlace(FM.Appointment.ParticipantComponent p) => p.Actor?.Type == "Location";

    public static void SetPlace(FM.Appointment a, string? place)
    {
        a.Participant.RemoveAll(IsPlace);
        if (!string.IsNullOrWhiteSpace(place))
            a.Participant.Add(new FM.Appointment.ParticipantComponent
            {
                Actor = new FM.ResourceReference { Type = "Location", Display = place.Trim() },
                Status = FM.ParticipationStatus.Accepted,
            });
    }
}
