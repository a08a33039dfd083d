using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Pgo.Api.Errors;
using Pgo.Api.Fhir;
using Pgo.Fhir.Access;
using Pgo.Fhir.Audit;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Storage;

namespace Pgo.Api.Realtime;

/// <summary>
/// <c>/hubs/dossier</c>: a client joins a patient's dossier (<see cref="JoinDossier"/>, optionally with the last cursor
/// it saw) and receives <see cref="LiveEvents.Change"/> for every change in the sections it may see, nothing else;
/// <see cref="LiveEvents.AccessRevoked"/> when its grant ends (it has then left the feed); and
/// <see cref="LiveEvents.Presence"/> for the notes and plans it shows (<see cref="SetPresence"/>).
/// Joining is an access decision of ConsentAccessPolicy, audited like a read.
/// Token: the Authorization header, or <c>access_token</c> in the query string (WebSockets cannot send headers).
/// </summary>
[Authorize]
public sealed class DossierHub(
    LiveConnections connections,
    ChangeDispatcher dispatcher,
    IAccessPolicy policy,
    IOutboxStore store,
    FhirRepository repo,
    AuditLog audit,
    PresenceBoard presence,
    RealtimeOptions options,
    IHubContext<DossierHub> hubContext,
    TimeProvider clock,
    PersonNames names) : Hub
{
    private static string NotShared => ApiText.HubDossierNotShared;

    public override Task OnConnectedAsync()
    {
        connections.Connected(Context.ConnectionId, FhirHttp.Caller(Context.GetHttpContext()!), Context.User?.FindFirst("name")?.Value);
        return Task.CompletedTask;
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        if (connections.Get(Context.ConnectionId) is { } c)
            await presence.LeaveDossierAsync(c, null, hubContext, CancellationToken.None);
        connections.Disconnected(Context.ConnectionId);
    }

    /// <summary>
    /// Joins the dossier's feed. With <paramref name="after"/> (the last cursor the client saw) it first receives what it
    /// missed, still filtered by its access now; then live changes. Returns the cursor to continue from.
    /// </summary>
    public async Task<JoinResult> JoinDossier(string patientId, long? after = null)
    {
        var c = connections.Get(Context.ConnectionId) ?? throw new HubException(ApiText.HubNotSignedIn);
        var ct = Context.ConnectionAborted;
        var scope = await policy.CompileAsync(c.Caller, ct);
        var allowed = DossierOperations.Allows(scope, patientId, DossierOperation.ReadOverview);
        Audit(scope, patientId, allowed ? 200 : 404);
        if (!allowed) throw new HubException(NotShared);
        await dispatcher.Ready;

        await c.Gate.WaitAsync(ct);
        try
        {
            c.Scope = scope;
            // Registered before reading what was missed: the dispatcher waits at the gate and then skips what the replay sent.
            // Without a cursor the feed starts now: at the newest stored change, not at the dispatcher's position, which
            // may lag behind and would replay changes made before the join.
            var bounds = await store.ChangeBoundsAsync(ct);
            var last = after ?? bounds.Latest;
            // Pruned rows below the oldest kept one (a rolled-back write's gap can make this say "reload" needlessly).
            var complete = !(after is { } from && bounds.Oldest is { } oldest && from < oldest - 1);
            c.SetLast(patientId, last);
            connections.Index(patientId, c);
            var replayed = 0;
            // Who takes part in a message is read past the caller's grants (to hide it from non-participants), logged for this connection's account.
            var audience = repo.AsPlatform(PlatformPurpose.MessageAudience, FhirHttp.Context(Context.GetHttpContext()!), scope);
            while (true)
            {
                var batch = await store.ReadChangesAsync(last, 500, patientId, ct);
                if (batch.Count == 0) break;
                foreach (var e in batch)
                {
                    if (replayed >= options.ReplayLimit) { complete = false; break; }
                    last = e.Cursor;
                    if (!scope.CanRead(e.Type, e.Id, e.Section, [patientId], await MessageAudience.ParticipantsAsync(audience, e, ct))) continue;
                    await Clients.Caller.SendAsync(LiveEvents.Change, ChangeMessage.From(e, patientId, await names.NameAsync(e.Who, ct)), ct);
                    replayed++;
                }
                if (!complete) break;
            }
            c.SetLast(patientId, last);
            // A grant of this connection may end sooner than the re-check loop's next round.
            dispatcher.RescheduleRechecks();
            return new JoinResult(patientId, last, replayed, complete);
        }
        finally
        {
            c.Gate.Release();
        }
    }

    public async Task LeaveDossier(string patientId)
    {
        if (connections.Get(Context.ConnectionId) is not { } c) return;
        await c.Gate.WaitAsync(Context.ConnectionAborted);
        try
        {
            c.Leave(patientId);
            connections.Unindex(patientId, c.Id);
        }
        finally
        {
            c.Gate.Release();
        }
        await presence.LeaveDossierAsync(c, patientId, hubContext, Context.ConnectionAborted);
    }

    /// <summary>Shows that the caller views (<c>viewing</c>), edits (<c>editing</c>) or left (<c>null</c>) an item of a
    /// joined dossier, e.g. <c>DocumentReference/123</c>; everyone showing the item receives the new list.</summary>
    public async Task SetPresence(string patientId, string item, string? state)
    {
        var c = connections.Get(Context.ConnectionId) ?? throw new HubException(ApiText.HubNotSignedIn);
        if (state is not (null or PresenceBoard.Viewing or PresenceBoard.Editing))
            throw new HubException(ApiText.HubPresenceChoose);
        if (!c.TryGetLast(patientId, out _)) throw new HubException(ApiText.HubOpenDossierFirst);
        var parts = item.Split('/');
        if (parts.Length != 2) throw new HubException(ApiText.HubItemFormat);
        if (state is not null)
        {
            var place = (await audit.PlaceAsync([(parts[0], parts[1])], Context.ConnectionAborted)).FirstOrDefault();
            if (place is null || !place.Patients.Contains(patientId) || !c.Scope.CanRead(parts[0], parts[1], place.Section, [patientId]))
                throw new HubException(ApiText.HubItemNotShared);
        }
        await presence.ChangeAsync(c, patientId, item, state, hubContext, Context.ConnectionAborted);
    }

    private void Audit(AccessScope scope, string patientId, int status)
    {
        var ctx = FhirHttp.Context(Context.GetHttpContext()!);
        audit.Enqueue(new PendingAudit(ctx, scope, "live-join", status, [("Patient", patientId, null)], "/hubs/dossier", clock.GetUtcNow(), PerPatient: false));
    }
}
