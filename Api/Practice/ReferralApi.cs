using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Pgo.Api.Access;
using Pgo.Api.Errors;
using Pgo.Api.Fhir;
using Pgo.Api.Notifications;
using Pgo.Api.TeamSpace;
using Pgo.Api.TeamSpace.Teams;
using Pgo.Fhir.Access;
using Pgo.Fhir.Audit;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using Pgo.Fhir.Storage;
using Pgo.Shared.Codes;
using Pgo.Shared.Contracts;
using Pgo.Shared.Text;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Practice;

/// <summary>
/// Referral and intake (issue 20, docs/adr/0010-referrals.md). A professional refers a family to a team with the family's
/// consent recorded; the team's coach sees the team's referrals with the waiting days and assigns a supporter of the team
/// (seeing each one's caseload size); the assigned supporter records the intake; the family (the parent whose confirmed
/// e-mail address is on the referral) then gives the supporter the standard supporter sections in a dossier where they are
/// regiehouder, through the ordinary Consent write AS THE REGIEHOUDER, or answers "niet nu". The supporter never creates a
/// dossier nor grants itself anything. Who sees and does what is decided by <see cref="ReferralRules"/>; whoever has no
/// relation to a referral gets 404. Every read and write, refusals included, is in the audit log (type <c>Verwijzing</c>).
/// </summary>
public static class ReferralApi
{
    private const string AuditType = "Verwijzing";

    public static IEndpointRouteBuilder MapReferralApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/referrals").RequireAuthorization().WithApiErrors().WithTags("Verwijzingen");
        api.MapGet("/teams", Teams);
        api.MapGet("/coached", Coached);
        api.MapPost("", Create);
        api.MapGet("", OfTeam);
        api.MapGet("/mine", Mine);
        api.MapGet("/requests", Requests);
        api.MapPost("/requests/{referralId}/accept", Accept);
        api.MapPost("/requests/{referralId}/decline", Decline);
        api.MapGet("/{referralId}", One);
        api.MapPost("/{referralId}/assign", Assign);
        api.MapPost("/{referralId}/intake", Intake);
        api.MapPost("/{referralId}/close", Close);
        api.MapDelete("/{referralId}", NeverDeleted);
        return app;
    }

    /// <summary>The teams a professional can refer to (every team of the team space).</summary>
    private static async Task<Ok<ReferralTeam[]>> Teams(HttpContext http, ReferralStore store) =>
        TypedResults.Ok((await store.TeamsAsync(http.RequestAborted)).Select(t => new ReferralTeam(t.Id, t.Name)).ToArray());

    /// <summary>The teams the caller coaches (the Portal shows "Verwijzingen" only to them).</summary>
    private static async Task<Ok<ReferralTeam[]>> Coached(HttpContext http, TeamDirectory directory) =>
        TypedResults.Ok((await directory.TeamsOfAsync(Caller(http).Key, http.RequestAborted))
            .Where(t => ReferralRules.CoachesTeam(t.Member.Role)).Select(t => new ReferralTeam(t.Team.Id, t.Team.Name)).ToArray());

    private static async Task<Created<ReferralView>> Create(HttpContext http, ReferralStore store, TeamDirectory directory, AuditLog audit,
        TimeProvider clock, ReferralInput input)
    {
        var caller = Caller(http);
        if (!caller.Roles.Contains(AccountRoles.Professional))
        {
            Audit(http, audit, clock, "create", 403, null, "verwijzing");
            throw ApiProblem.Forbidden(ApiText.ReferralProfessionalOnly);
        }
        var today = DutchTime.Today(clock.GetUtcNow());
        if (input.ConsentDate is not null && ReferralRules.ParseDate(input.ConsentDate) is null) throw ApiProblem.BadRequest(ApiText.DateInvalid);
        var team = input.TeamId is { } teamId ? await directory.TeamAsync(teamId, http.RequestAborted) : null;
        if (team is null) throw Unprocessable(ApiText.ReferralTeamUnknown);
        var birthYear = ReferralRules.BirthYear(input.ClientBirthYear, input.ClientAge, today);
        if (ReferralRules.CheckReferral(input.ClientFirstName, birthYear, input.ParentName, input.ParentEmail, input.ParentPhone, input.Reason,
                input.ReferrerRole, input.ConsentHow, ReferralRules.ParseDate(input.ConsentDate), today) is { } problem)
            throw Unprocessable(problem);
        var row = await store.InsertAsync(new ReferralRow
        {
            TeamId = team.Id,
            ReferrerKey = caller.Key,
            ReferrerName = caller.Name,
            ReferrerRole = input.ReferrerRole!.Trim(),
            ClientFirstName = input.ClientFirstName!.Trim(),
            ClientBirthYear = birthYear,
            ParentName = input.ParentName!.Trim(),
            ParentEmail = string.IsNullOrWhiteSpace(input.ParentEmail) ? null : input.ParentEmail.Trim().ToLowerInvariant(),
            ParentPhone = string.IsNullOrWhiteSpace(input.ParentPhone) ? null : input.ParentPhone.Trim(),
            Reason = input.Reason!.Trim(),
            ConsentHow = input.ConsentHow!,
            ConsentDate = input.ConsentDate!,
            Status = ReferralRules.Status.New,
            CreatedMs = clock.GetUtcNow().ToUnixTimeMilliseconds(),
        }, caller.Name, http.RequestAborted);
        Audit(http, audit, clock, "create", 201, row.Id, "verwijzing");
        return TypedResults.Created($"/api/referrals/{row.Id}", View(row, ReferralRelation.Referrer, team.Name, null, clock));
    }

    /// <summary>The coach's list of a team: every referral with its waiting days, the team's averages, and the supporters to
    /// assign with their caseload sizes. 403 for whoever does not coach the team.</summary>
    private static async Task<Ok<TeamReferrals>> OfTeam(HttpContext http, ReferralStore store, TeamDirectory directory, FhirRepository repo,
        AuditLog audit, TimeProvider clock, string? team)
    {
        var caller = Caller(http);
        if (!long.TryParse(team, NumberStyles.None, CultureInfo.InvariantCulture, out var teamId)) throw ApiProblem.BadRequest(ApiText.ReferralTeamUnknown);
        var membership = await directory.MembershipAsync(teamId, caller.Key, http.RequestAborted);
        if (membership is null || !ReferralRules.CoachesTeam(membership.Role) || await directory.TeamAsync(teamId, http.RequestAborted) is not { } row)
        {
            Audit(http, audit, clock, "search", 403, null, $"verwijzingen?team={teamId}");
            throw ApiProblem.Forbidden(ApiText.ReferralCoachOnly);
        }
        var rows = await store.OfTeamAsync(teamId, http.RequestAborted);
        var views = rows.Select(r => View(r, ReferralRules.RelationOf(caller.Key, new HashSet<long> { teamId }, r.TeamId, r.ReferrerKey, r.AssignedKey),
            row.Name, null, clock)).ToArray();
        var supporters = await SupportersAsync(http, repo, directory, teamId, clock);
        Audit(http, audit, clock, "search", 200, null, $"verwijzingen?team={teamId}: {string.Join(",", rows.Select(r => r.Id))}");
        return TypedResults.Ok(new TeamReferrals(teamId, row.Name, views,
            ReferralRules.Average(views.Select(v => v.DaysToAssignment)), ReferralRules.Average(views.Select(v => v.DaysToIntake)),
            ReferralRules.Average(views.Select(v => v.DaysToAccess)), supporters));
    }

    /// <summary>The referrals the caller made (status only) and those assigned to them (everything).</summary>
    private static async Task<Ok<ReferralView[]>> Mine(HttpContext http, ReferralStore store, TeamDirectory directory, AuditLog audit, TimeProvider clock)
    {
        var caller = Caller(http);
        var coached = await CoachedAsync(http, directory, caller);
        var names = (await store.TeamsAsync(http.RequestAborted)).ToDictionary(t => t.Id, t => t.Name);
        var rows = await store.OfPersonAsync(caller.Key, http.RequestAborted);
        Audit(http, audit, clock, "search", 200, null, $"verwijzingen?mine: {string.Join(",", rows.Select(r => r.Id))}");
        return TypedResults.Ok(rows.Select(r => View(r, ReferralRules.RelationOf(caller.Key, coached, r.TeamId, r.ReferrerKey, r.AssignedKey),
            names.GetValueOrDefault(r.TeamId, ""), null, clock)).ToArray());
    }

    /// <summary>One referral with its history (for the coach and the assigned supporter); 404 for anyone without a relation.</summary>
    private static async Task<Ok<ReferralView>> One(HttpContext http, ReferralStore store, TeamDirectory directory, AuditLog audit, TimeProvider clock, string referralId)
    {
        var (row, relation, teamName) = await OpenAsync(http, store, directory, audit, clock, referralId, "read");
        var history = ReferralRules.SeesDetails(relation) ? await store.HistoryAsync(row.Id, http.RequestAborted) : null;
        Audit(http, audit, clock, "read", 200, row.Id, "verwijzing");
        return TypedResults.Ok(View(row, relation, teamName, history, clock));
    }

    private static async Task<Ok<ReferralView>> Assign(HttpContext http, ReferralStore store, TeamDirectory directory, NotificationSink notifications,
        AuditLog audit, TimeProvider clock, string referralId, ReferralAssign input)
    {
        var caller = Caller(http);
        var (row, relation, teamName) = await OpenAsync(http, store, directory, audit, clock, referralId, "update");
        if (relation != ReferralRelation.TeamCoach) throw Refused(http, audit, clock, row.Id, ApiText.ReferralCoachOnly);
        if (!ReferralRules.MayAssign(relation, row.Status)) throw Unprocessable(ApiText.ReferralNotAssignable);
        var member = string.IsNullOrWhiteSpace(input.Supporter) ? null : await directory.MembershipAsync(row.TeamId, input.Supporter, http.RequestAborted);
        if (member is null || !ReferralRules.MayBeAssigned(member.Role)) throw Unprocessable(ApiText.ReferralNotTeamMember);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (!await store.ChangeAsync(row.Id, [ReferralRules.Status.New, ReferralRules.Status.Assigned],
                "status = @status, assigned_key = @key, assigned_name = @name, assigned_ms = @now",
                new { status = ReferralRules.Status.Assigned, key = member.MemberKey, name = member.DisplayName, now },
                ReferralRules.Events.Assigned, caller.Key, caller.Name, member.DisplayName, now, http.RequestAborted))
            throw Unprocessable(ApiText.ReferralNotAssignable);
        Audit(http, audit, clock, "update", 200, row.Id, "verwijzing:toewijzen");
        if (member.MemberKey != caller.Key)
            await notifications.AddAsync(new NewNotification(member.MemberKey, $"referral:{row.Id}:{now}", NotificationKinds.ReferralAssigned, null, null,
                $"referral/{row.Id}", caller.Key, caller.Name, clock.GetUtcNow()), http.RequestAborted);
        return TypedResults.Ok(await ChangedViewAsync(http, store, row.Id, relation, teamName, clock));
    }

    /// <summary>The intake, by the assigned supporter only: date and a short note. The supporter's Practitioner (the actor of
    /// the grant the family may give) is taken from their own Person.</summary>
    private static async Task<Ok<ReferralView>> Intake(HttpContext http, ReferralStore store, TeamDirectory directory, FhirRepository repo,
        AuditLog audit, TimeProvider clock, string referralId, ReferralIntake input)
    {
        var caller = Caller(http);
        var (row, relation, teamName) = await OpenAsync(http, store, directory, audit, clock, referralId, "update");
        if (relation != ReferralRelation.AssignedSupporter) throw Refused(http, audit, clock, row.Id, ApiText.ReferralIntakeNotAllowed);
        if (!ReferralRules.MayRecordIntake(relation, row.Status)) throw Unprocessable(ApiText.ReferralIntakeNotAllowed);
        var date = ReferralRules.ParseDate(input.Date) ?? throw ApiProblem.BadRequest(ApiText.DateInvalid);
        var today = DutchTime.Today(clock.GetUtcNow());
        var referred = DutchTime.Today(DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedMs));
        if (ReferralRules.CheckIntake(date, input.Note, referred, today) is { } problem) throw Unprocessable(problem);
        var practitioner = await PractitionerOfAsync(http, repo, caller) ?? throw Unprocessable(ApiText.ReferralNoSupporterRecord);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim();
        if (!await store.ChangeAsync(row.Id, [ReferralRules.Status.Assigned],
                "status = @status, intake_date = @date, intake_note = @note, intake_ms = @now, assigned_ref = @practitioner",
                new { status = ReferralRules.Status.Intake, date = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), note, now, practitioner },
                ReferralRules.Events.Intake, caller.Key, caller.Name, null, now, http.RequestAborted))
            throw Unprocessable(ApiText.ReferralIntakeNotAllowed);
        Audit(http, audit, clock, "update", 200, row.Id, "verwijzing:intake");
        return TypedResults.Ok(await ChangedViewAsync(http, store, row.Id, relation, teamName, clock));
    }

    /// <summary>The coach closes a referral with a reason (declined, the family went elsewhere, ...). Never deleted.</summary>
    private static async Task<Ok<ReferralView>> Close(HttpContext http, ReferralStore store, TeamDirectory directory, AuditLog audit, TimeProvider clock,
        string referralId, ReferralClose input)
    {
        var caller = Caller(http);
        var (row, relation, teamName) = await OpenAsync(http, store, directory, audit, clock, referralId, "update");
        if (relation != ReferralRelation.TeamCoach) throw Refused(http, audit, clock, row.Id, ApiText.ReferralCoachOnly);
        if (!ReferralRules.MayClose(relation, row.Status)) throw Unprocessable(ApiText.ReferralCannotClose);
        if (ReferralRules.CheckCloseReason(input.Reason) is { } problem) throw Unprocessable(problem);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var open = ReferralRules.Status.Display.Keys.Where(s => s != ReferralRules.Status.Closed).ToList();
        if (!await store.ChangeAsync(row.Id, open, "status = @status, close_reason = @reason, closed_ms = @now",
                new { status = ReferralRules.Status.Closed, reason = input.Reason!.Trim(), now },
                ReferralRules.Events.Closed, caller.Key, caller.Name, input.Reason!.Trim(), now, http.RequestAborted))
            throw Unprocessable(ApiText.ReferralCannotClose);
        Audit(http, audit, clock, "update", 200, row.Id, "verwijzing:sluiten");
        return TypedResults.Ok(await ChangedViewAsync(http, store, row.Id, relation, teamName, clock));
    }

    /// <summary>The referral as stored after a change, with its history, as the caller sees it.</summary>
    private static async Task<ReferralView> ChangedViewAsync(HttpContext http, ReferralStore store, long id, ReferralRelation relation, string teamName, TimeProvider clock) =>
        View((await store.FindAsync(id, http.RequestAborted))!, relation, teamName, await store.HistoryAsync(id, http.RequestAborted), clock);

    private static ProblemHttpResult NeverDeleted() =>
        TypedResults.Problem(statusCode: StatusCodes.Status405MethodNotAllowed, title: ApiErrors.Title(StatusCodes.Status405MethodNotAllowed), detail: ApiText.ReferralCannotClose);

    /// <summary>The requests waiting for the caller as the family: referrals after the intake whose parent's address is the
    /// caller's confirmed address, with the dossiers in which the caller is regiehouder.</summary>
    private static async Task<Ok<ReferralAccessRequest[]>> Requests(HttpContext http, ReferralStore store, FhirRepository repo, AuditLog audit, TimeProvider clock)
    {
        if (ParentEmail(http) is not { } email) return TypedResults.Ok(Array.Empty<ReferralAccessRequest>());
        var rows = await store.ForParentAsync(email, [ReferralRules.Status.Intake, ReferralRules.Status.NotNow], http.RequestAborted);
        if (rows.Count == 0) return TypedResults.Ok(Array.Empty<ReferralAccessRequest>());
        var dossiers = await RegieDossiersAsync(http, repo);
        var names = (await store.TeamsAsync(http.RequestAborted)).ToDictionary(t => t.Id, t => t.Name);
        Audit(http, audit, clock, "search", 200, null, $"verwijzingen?gezin: {string.Join(",", rows.Select(r => r.Id))}");
        return TypedResults.Ok(rows.Select(r => new ReferralAccessRequest(r.Id, r.AssignedName ?? "", names.GetValueOrDefault(r.TeamId, ""), r.ClientFirstName,
            r.IntakeDate, r.Status, dossiers)).ToArray());
    }

    /// <summary>"Toegang geven": the parent grants the supporter the standard supporter sections in a dossier where they are
    /// regiehouder, through the ordinary Consent write as the caller (the repository's policy decides and audits it).</summary>
    private static async Task<Ok<ReferralView>> Accept(HttpContext http, ReferralStore store, FhirRepository repo, AuditLog audit, TimeProvider clock,
        Microsoft.Extensions.Options.IOptions<Pgo.Api.Dossier.MeasurementOptions> measurements, string referralId, ReferralAccept input)
    {
        var row = await RequestOfCallerAsync(http, store, audit, clock, referralId);
        if (string.IsNullOrWhiteSpace(input.PatientId)) throw ApiProblem.BadRequest(ApiText.ReferralNotRegiehouder);
        var scope = await repo.Access.CompileAsync(FhirHttp.Caller(http), http.RequestAborted);
        if (!scope.IsRegiehouder(input.PatientId)) throw ApiProblem.Forbidden(ApiText.ReferralNotRegiehouder);
        if (row.AssignedRef is null) throw Unprocessable(ApiText.ReferralNotWaiting);
        var now = clock.GetUtcNow();
        var consent = Grants.Grant(null, input.PatientId, row.AssignedRef, GrantRole.Ondersteuner, ReferralRules.SupporterSections, write: true, from: now);
        var grant = await AccessApi.WriteAsync(http, repo, c => repo.CreateAsync(FhirHttp.Context(http), "Consent", c, null, http.RequestAborted), consent);
        var caller = Caller(http);
        var at = now.ToUnixTimeMilliseconds();
        if (!await store.ChangeAsync(row.Id, [ReferralRules.Status.Intake, ReferralRules.Status.NotNow],
                "status = @status, patient_id = @patient, access_ms = @at",
                new { status = ReferralRules.Status.InSupport, patient = input.PatientId, at },
                ReferralRules.Events.AccessGiven, caller.Key, caller.Name, grant.Id, at, http.RequestAborted))
            throw Unprocessable(ApiText.ReferralNotWaiting);
        Audit(http, audit, clock, "update", 200, row.Id, "verwijzing:toegang-gegeven");
        await PlanMeasurementsAsync(http, repo, clock, measurements.Value, input.PatientId, row.AssignedRef, row.AssignedName);
        return TypedResults.Ok(View((await store.FindAsync(row.Id, http.RequestAborted))!, ReferralRelation.None, "", null, clock));
    }

    /// <summary>
    /// The measurement plan made at intake (issue 20): once the family gave the supporter access, the 0-meting (due today),
    /// the 1- and the 2-meting (<see cref="Pgo.Api.Dossier.MeasurementOptions"/>) per default instrument, owned by the
    /// supporter, written in one transaction AS THE REGIEHOUDER (who writes metingen). A dossier that has an open plan of an
    /// instrument keeps it; the supporter can still plan, move or cancel from Metingen.
    /// </summary>
    private static async System.Threading.Tasks.Task PlanMeasurementsAsync(HttpContext http, FhirRepository repo, TimeProvider clock,
        Pgo.Api.Dossier.MeasurementOptions options, string patientId, string supporter, string? supporterName)
    {
        var ctx = FhirHttp.Context(http);
        var existing = await repo.SearchAsync(ctx, "Task", [new("patient", $"Patient/{patientId}"),
            new("code", $"{MeasurementPlanCodes.System}|{MeasurementPlanCodes.Planned}"), new("status", string.Join(",", Pgo.Api.Dossier.DossierViews.OpenTaskStatuses))],
            http.RequestAborted);
        var planned = FhirJson.Parse<Bundle>(existing.Json!).Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.Task>()
            .Select(t => MeasurementPlanCodes.IdOf(MeasurementPlanCodes.QuestionnaireOf(t))).ToHashSet(StringComparer.Ordinal);
        var instruments = options.Instruments.Where(i => !planned.Contains(i)).ToList();
        if (instruments.Count == 0) return;
        var now = clock.GetUtcNow();
        var tasks = Pgo.Api.Dossier.MeasurementPlanApi.Build(patientId, instruments, DutchTime.Today(now), supporter, supporterName, now, options);
        await Pgo.Api.Dossier.MeasurementPlanApi.WriteAsync(repo, ctx, tasks, http.RequestAborted);
    }

    /// <summary>"Niet nu": nothing is granted; the coach sees the answer. The family may still say yes later.</summary>
    private static async Task<Ok<ReferralView>> Decline(HttpContext http, ReferralStore store, AuditLog audit, TimeProvider clock, string referralId)
    {
        var row = await RequestOfCallerAsync(http, store, audit, clock, referralId);
        var caller = Caller(http);
        var at = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (!await store.ChangeAsync(row.Id, [ReferralRules.Status.Intake], "status = @status", new { status = ReferralRules.Status.NotNow },
                ReferralRules.Events.NotNow, caller.Key, caller.Name, null, at, http.RequestAborted))
            throw Unprocessable(ApiText.ReferralNotWaiting);
        Audit(http, audit, clock, "update", 200, row.Id, "verwijzing:niet-nu");
        return TypedResults.Ok(View((await store.FindAsync(row.Id, http.RequestAborted))!, ReferralRelation.None, "", null, clock));
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>The referral and how the caller stands to it; 404 (audited) when it does not exist or the caller has no relation.</summary>
    private static async Task<(ReferralRow Row, ReferralRelation Relation, string TeamName)> OpenAsync(HttpContext http, ReferralStore store,
        TeamDirectory directory, AuditLog audit, TimeProvider clock, string referralId, string action)
    {
        var caller = Caller(http);
        ReferralRow? row = null;
        if (long.TryParse(referralId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) row = await store.FindAsync(id, http.RequestAborted);
        var relation = row is null ? ReferralRelation.None
            : ReferralRules.RelationOf(caller.Key, await CoachedAsync(http, directory, caller), row.TeamId, row.ReferrerKey, row.AssignedKey);
        if (row is null || !ReferralRules.Sees(relation))
        {
            Audit(http, audit, clock, action, 404, row?.Id, "verwijzing");
            throw ApiProblem.NotFound(ApiText.ReferralNotFound);
        }
        var team = await directory.TeamAsync(row.TeamId, http.RequestAborted);
        return (row, relation, team?.Name ?? "");
    }

    /// <summary>A request that waits for the caller as the parent; 404 (audited) for anyone else or when it does not wait.</summary>
    private static async Task<ReferralRow> RequestOfCallerAsync(HttpContext http, ReferralStore store, AuditLog audit, TimeProvider clock, string referralId)
    {
        ReferralRow? row = null;
        if (long.TryParse(referralId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) row = await store.FindAsync(id, http.RequestAborted);
        var email = ParentEmail(http);
        if (row is null || !ReferralRules.IsTheParent(row.ParentEmail, email, email is not null) || !ReferralRules.MayAnswer(row.Status))
        {
            Audit(http, audit, clock, "update", 404, row?.Id, "verwijzing:verzoek");
            throw ApiProblem.NotFound(ApiText.ReferralNotFound);
        }
        return row;
    }

    private static ApiProblem Refused(HttpContext http, AuditLog audit, TimeProvider clock, long id, string detail)
    {
        Audit(http, audit, clock, "update", 403, id, "verwijzing");
        return ApiProblem.Forbidden(detail);
    }

    private static async Task<IReadOnlySet<long>> CoachedAsync(HttpContext http, TeamDirectory directory, TeamCaller caller) =>
        (await directory.TeamsOfAsync(caller.Key, http.RequestAborted)).Where(t => ReferralRules.CoachesTeam(t.Member.Role)).Select(t => t.Team.Id).ToHashSet();

    /// <summary>The caller's confirmed e-mail address (lower case), or null when there is none or it is not confirmed.</summary>
    private static string? ParentEmail(HttpContext http)
    {
        var email = http.User.FindFirst("email")?.Value;
        var verified = string.Equals(http.User.FindFirst("email_verified")?.Value, "true", StringComparison.OrdinalIgnoreCase);
        return verified && !string.IsNullOrWhiteSpace(email) ? email.Trim().ToLowerInvariant() : null;
    }

    /// <summary>The dossiers in which the caller is regiehouder, by name (the caller's own "my dossiers").</summary>
    private static async Task<ReferralDossier[]> RegieDossiersAsync(HttpContext http, FhirRepository repo)
    {
        var scope = await repo.Access.CompileAsync(FhirHttp.Caller(http), http.RequestAborted);
        return (await AccessApi.DossiersOfCallerAsync(http, repo, scope)).Where(d => scope.IsRegiehouder(d.PatientId))
            .Select(d => new ReferralDossier(d.PatientId, d.Name)).ToArray();
    }

    /// <summary>The Practitioner the caller acts as (their own Person's link), read as "the account's own Person".</summary>
    private static async Task<string?> PractitionerOfAsync(HttpContext http, FhirRepository repo, TeamCaller caller)
    {
        if (!caller.Key.StartsWith("Person/", StringComparison.Ordinal)) return null;
        var person = await repo.AsPlatform(PlatformPurpose.AccountLink, FhirHttp.Context(http)).ReadAsync<Person>(caller.Key["Person/".Length..], http.RequestAborted);
        return person?.Link.Select(l => l.Target?.Reference).OfType<string>().FirstOrDefault(r => r.StartsWith("Practitioner/", StringComparison.Ordinal));
    }

    /// <summary>The team's supporters (and coaches) with their caseload size: the dossiers in which the Practitioner their
    /// Person acts as holds a supporter grant in force. One platform read (<see cref="PlatformPurpose.ReferralCaseloads"/>),
    /// audited; only counts leave it.</summary>
    private static async Task<ReferralSupporter[]> SupportersAsync(HttpContext http, FhirRepository repo, TeamDirectory directory, long teamId, TimeProvider clock)
    {
        var members = (await directory.MembersAsync(teamId, http.RequestAborted)).Where(m => ReferralRules.MayBeAssigned(m.Role)).ToList();
        var persons = members.Where(m => m.MemberKey.StartsWith("Person/", StringComparison.Ordinal)).ToList();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        if (persons.Count > 0)
        {
            var platform = repo.AsPlatform(PlatformPurpose.ReferralCaseloads, FhirHttp.Context(http));
            var stored = await platform.ReadManyAsync(persons.Select(m => ("Person", m.MemberKey["Person/".Length..])).ToList(), http.RequestAborted);
            var practitionerOf = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (member, person) in persons.Zip(stored))
            {
                if (person is not { Deleted: false }) continue;
                foreach (var target in FhirJson.Parse<Person>(person.Json).Link.Select(l => l.Target?.Reference).OfType<string>())
                    if (target.StartsWith("Practitioner/", StringComparison.Ordinal)) practitionerOf.TryAdd(target, member.MemberKey);
            }
            if (practitionerOf.Count > 0)
            {
                var now = clock.GetUtcNow();
                var families = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
                var grants = await platform.SearchAsync("Consent", [new("actor", string.Join(",", practitionerOf.Keys.Order(StringComparer.Ordinal))), new("_count", "1000")], http.RequestAborted);
                foreach (var g in grants.Where(s => !s.Deleted).Select(s => ConsentGrant.Of(FhirJson.Parse<Consent>(s.Json))))
                {
                    if (!SupporterRules.IsSupporterGrant(g) || !g.InForce(now) || g.PatientId is not { } patient) continue;
                    foreach (var actor in g.Actors.Select(a => a.Reference).Where(practitionerOf.ContainsKey))
                    {
                        var key = practitionerOf[actor];
                        if (!families.TryGetValue(key, out var set)) families[key] = set = new HashSet<string>(StringComparer.Ordinal);
                        set.Add(patient);
                    }
                }
                foreach (var (key, set) in families) counts[key] = set.Count;
            }
        }
        return members.Select(m => new ReferralSupporter(m.MemberKey, m.DisplayName, counts.GetValueOrDefault(m.MemberKey)))
            .OrderBy(s => s.Name, StringComparer.CurrentCulture).ToArray();
    }

    private static ReferralView View(ReferralRow r, ReferralRelation relation, string teamName, IReadOnlyList<ReferralEventRow>? history, TimeProvider clock)
    {
        var details = ReferralRules.SeesDetails(relation);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return new ReferralView(r.Id, r.TeamId, teamName, r.Status, ReferralRules.Status.Display.GetValueOrDefault(r.Status, r.Status), r.ClientFirstName,
            r.ClientBirthYear, r.ParentName, r.ParentEmail, r.ParentPhone, r.Reason, r.ReferrerName, r.ReferrerRole, r.ConsentHow, r.ConsentDate,
            Day(r.CreatedMs), details ? r.AssignedName : null, details ? r.AssignedKey : null, r.IntakeDate, details ? r.IntakeNote : null,
            r.AccessMs is { } a ? Day(a) : null, details ? r.CloseReason : null,
            details ? ReferralRules.WaitingDays(r.CreatedMs, r.AssignedMs) : null,
            details ? ReferralRules.WaitingDays(r.CreatedMs, r.IntakeMs) : null,
            details ? ReferralRules.WaitingDays(r.CreatedMs, r.AccessMs) : null,
            details && r.AssignedMs is null && r.ClosedMs is null ? ReferralRules.WaitingDays(r.CreatedMs, now) : null,
            details && history is not null
                ? history.Select(e => new ReferralEventView(e.Kind, e.ActorName, DateTimeOffset.FromUnixTimeMilliseconds(e.AtMs), e.Kind == ReferralRules.Events.Assigned ? e.Detail : null)).ToArray()
                : null,
            ReferralRules.MayAssign(relation, r.Status), ReferralRules.MayRecordIntake(relation, r.Status), ReferralRules.MayClose(relation, r.Status));
    }

    private static string Day(long ms) => DutchTime.Today(DateTimeOffset.FromUnixTimeMilliseconds(ms)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>One audit record: type Verwijzing and the referral's number (none for a list), the status, the detail.</summary>
    private static void Audit(HttpContext http, AuditLog audit, TimeProvider clock, string action, int status, long? id, string detail) =>
        audit.Enqueue(new PendingAudit(FhirHttp.Context(http), AccessScope.Nothing("verwijzing"), action, status,
            id is { } n ? [(AuditType, n.ToString(CultureInfo.InvariantCulture), null)] : [], detail, clock.GetUtcNow(), PerPatient: id is null));

    private static TeamCaller Caller(HttpContext http) =>
        TeamCaller.From(http.User) ?? throw new ApiProblem(StatusCodes.Status401Unauthorized, ApiErrors.Title(StatusCodes.Status401Unauthorized));

    private static ApiProblem Unprocessable(string detail) => new(StatusCodes.Status422UnprocessableEntity, detail);
}
