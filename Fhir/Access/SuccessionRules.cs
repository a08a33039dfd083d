using System.Globalization;
using Hl7.Fhir.Model;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Fhir.Access;

/// <summary>Where a named successor stands: named (sees nothing), asked (confirmations are gathered), taken over, withdrawn.</summary>
public enum SuccessionState { Genoemd, Aangevraagd, Overgenomen, Ingetrokken }

/// <summary>The take-over asked: why (overleden, kan-niet-meer), on what evidence, by whom, when.</summary>
public sealed record SuccessionRequest(string Reason, string? Document, string? RequestedBy, DateTimeOffset RequestedAt);

/// <summary>One confirmation of a take-over: by whom (their record, or an administrator's Person), in what role, when.</summary>
public sealed record SuccessionConfirmation(string By, string Role, DateTimeOffset At);

/// <summary>
/// A successor (opvolger) Consent as read: who is named, for which regiehouder (the Consent's grantor), the take-over
/// asked and its confirmations (extensions <see cref="Extensions.Succession"/> and <see cref="Extensions.SuccessionConfirmation"/>).
/// </summary>
public sealed record Succession(string ConsentId, string PatientId, int? Version, string Successor, string? ForRegiehouder, bool Active,
    SuccessionRequest? Request, IReadOnlyList<SuccessionConfirmation> Confirmations, DateTimeOffset? CompletedAt, string? RegieConsentId)
{
    public SuccessionState State => CompletedAt is not null ? SuccessionState.Overgenomen
        : !Active ? SuccessionState.Ingetrokken
        : Request is not null ? SuccessionState.Aangevraagd
        : SuccessionState.Genoemd;

    /// <summary>The successor Consent's reading, or null when <paramref name="consent"/> names no successor.</summary>
    public static Succession? Of(Consent consent)
    {
        var grant = ConsentGrant.Of(consent);
        if (grant.PatientId is not { } patient || grant.IsDeny) return null;
        var successor = grant.Actors.FirstOrDefault(a => a.Roles.Contains(GrantRole.Opvolger))?.Reference;
        if (successor is null) return null;
        var request = consent.GetExtension(Extensions.Succession);
        SuccessionRequest? asked = null;
        DateTimeOffset? completed = null;
        string? regie = null;
        if (request is not null && Sub<Code>(request, "reason")?.Value is { Length: > 0 } reason)
        {
            asked = new SuccessionRequest(reason, Sub<ResourceReference>(request, "document")?.Reference,
                Sub<ResourceReference>(request, "requestedBy")?.Reference, Instant(Sub<FhirDateTime>(request, "requestedAt")) ?? DateTimeOffset.MinValue);
            completed = Instant(Sub<FhirDateTime>(request, "completedAt"));
            regie = Sub<ResourceReference>(request, "regie")?.Reference is { } r && r.StartsWith("Consent/", StringComparison.Ordinal) ? r["Consent/".Length..] : null;
        }
        var confirmations = consent.Extension.Where(e => e.Url == Extensions.SuccessionConfirmation)
            .Select(e => (By: Sub<ResourceReference>(e, "by")?.Reference, Role: Sub<Code>(e, "role")?.Value, At: Instant(Sub<FhirDateTime>(e, "at"))))
            .Where(c => c.By is not null && c.Role is not null && c.At is not null)
            .Select(c => new SuccessionConfirmation(c.By!, c.Role!, c.At!.Value)).ToList();
        var performer = consent.Performer.Select(p => p.Reference).FirstOrDefault(r => r is not null);
        return new Succession(consent.Id ?? "", patient, int.TryParse(consent.Meta?.VersionId, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null,
            successor, performer, grant.Active, asked, confirmations, completed, regie);
    }

    private static T? Sub<T>(Extension parent, string url) where T : DataType => parent.Extension.FirstOrDefault(e => e.Url == url)?.Value as T;

    private static DateTimeOffset? Instant(FhirDateTime? value) =>
        value?.Value is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}

/// <summary>What still stands between a successor and the take-over (the Api words it in Dutch).</summary>
/// <param name="Kind">aanvraag (no take-over asked yet), regiehouder (that regiehouder must confirm), ondersteuner (a supporter
/// of the family must confirm), beheerder (no supporter: an administrator confirms), document (the evidence is missing).</param>
public sealed record SuccessionNeed(string Kind, string? Who = null);

/// <summary>
/// The rules of succession ("als ik er niet meer ben", issue 18), pure: a regiehouder names a successor, a person of the
/// family's network (a RelatedPerson of this dossier); the successor sees nothing until the take-over is complete (the
/// policy grants nothing for role opvolger). A take-over is asked (by the successor, a regiehouder or a supporter) with
/// its reason and a document (a death certificate, a doctor's statement); it is complete when every other regiehouder in
/// force has confirmed, a supporter with a grant in force has (or, when the family has none, an administrator), and the
/// document is there. The successor may ask but never confirm. On completion the platform writes what
/// <see cref="Completion"/> returns: a regie Consent for the successor, the leaving regiehouder's regie ended (a new
/// version: the history keeps the old one), and the successor Consent closed as taken over.
/// </summary>
public static class SuccessionRules
{
    /// <summary>Why a take-over is asked.</summary>
    public static class Reasons
    {
        public const string Overleden = "overleden";
        public const string KanNietMeer = "kan-niet-meer";
        public static readonly IReadOnlyList<string> All = [Overleden, KanNietMeer];
    }

    /// <summary>In what role a confirmation was given.</summary>
    public static class ConfirmRoles
    {
        public const string Regiehouder = "regiehouder";
        public const string Ondersteuner = "ondersteuner";
        /// <summary>An administrator of the platform, only for a family without a supporter.</summary>
        public const string Beheerder = "beheerder";
    }

    public const string NeedRequest = "aanvraag";
    public const string NeedDocument = "document";

    /// <summary>Identity's account role of an administrator (Shared/Codes/AccountRoles).</summary>
    private const string AdminRole = Pgo.Shared.Codes.AccountRoles.Admin;

    /// <summary>
    /// The records that hold regie over the dossier now: regiehouder actors of grants in force, kept by the age rules
    /// (<see cref="AgeRules.RepresentativeKeepsRegie"/>), and the client when their age gives them regie, they are not
    /// represented by law, and they have an account (a client who cannot sign in cannot confirm anything).
    /// </summary>
    public static IReadOnlyList<string> RegiehoudersInForce(string patientId, IEnumerable<ConsentGrant> grants, AgeStage stage, bool clientHasAccount, DateTimeOffset now)
    {
        var self = $"Patient/{patientId}";
        var live = grants.Where(g => g.PatientId == patientId && !g.IsDeny && g.InForce(now)).ToList();
        var represented = live.Any(g => g.Actors.Any(a => a.Reference != self && a.Roles.Contains(GrantRole.Regiehouder) && g.KeepsRegieByLaw(a, now)));
        var holders = new List<string>();
        if (!represented && clientHasAccount && AgeRules.OwnAccess(stage).Manage) holders.Add(self);
        foreach (var g in live)
            foreach (var a in g.Actors.Where(a => a.Roles.Contains(GrantRole.Regiehouder)))
            {
                var holds = a.Reference == self ? !represented && clientHasAccount : AgeRules.RepresentativeKeepsRegie(stage, g.KeepsRegieByLaw(a, now), clientHasAccount);
                if (holds && !holders.Contains(a.Reference)) holders.Add(a.Reference);
            }
        return holders;
    }

    /// <summary>The family's supporters now: ondersteuner actors of grants in force.</summary>
    public static IReadOnlyList<string> SupportersInForce(string patientId, IEnumerable<ConsentGrant> grants, DateTimeOffset now) =>
        grants.Where(g => g.PatientId == patientId && !g.IsDeny && g.InForce(now))
            .SelectMany(g => g.Actors.Where(a => a.Roles.Contains(GrantRole.Ondersteuner)).Select(a => a.Reference))
            .Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The successors named in the dossier (every state), from its Consents.</summary>
    public static IReadOnlyList<Succession> Successions(IEnumerable<Consent> consents) =>
        consents.Select(Succession.Of).OfType<Succession>().ToList();

    /// <summary>Who may be named: a person of the family's network (a RelatedPerson; the write side checks it is of this
    /// dossier), never the one naming, nor a professional (a supporter does not take over a family's regie).</summary>
    public static bool MayBeNamed(string successor, IReadOnlyCollection<string> callerIdentities) =>
        successor.Split('/') is ["RelatedPerson", { Length: > 0 }] && !callerIdentities.Contains(successor);

    /// <summary>The Consent naming a successor: role opvolger, no actions (it grants nothing until the take-over).</summary>
    public static Consent NameSuccessor(string patientId, string successor, DateTimeOffset now)
    {
        var consent = Grants.Grant(null, patientId, successor, GrantRole.Opvolger, [Pgo.Shared.Codes.DossierSections.Zorgtestament], from: now);
        consent.Provision!.Action = [];
        return consent;
    }

    /// <summary>Who may ask the take-over: the successor themselves, a regiehouder in force (also the leaving one), or a
    /// supporter of the family; only while named or asked.</summary>
    public static bool MayRequest(AccessScope scope, Succession s, IReadOnlyCollection<string> regiehouders) =>
        s.State is SuccessionState.Genoemd or SuccessionState.Aangevraagd
        && (scope.Identities.Contains(s.Successor) || scope.Identities.Any(regiehouders.Contains) || DossierOperations.IsSupporter(scope, s.PatientId));

    /// <summary>
    /// In what role, and as which record, the caller may confirm the asked take-over; null when they may not. The successor
    /// never confirms (not even when also a regiehouder or a supporter); the leaving regiehouder is not asked; a supporter
    /// confirms as their Practitioner; an administrator only when the family has no supporter in force.
    /// </summary>
    public static (string Role, string By)? Confirmer(AccessScope scope, CallerContext caller, Succession s,
        IReadOnlyCollection<string> regiehouders, IReadOnlyCollection<string> supporters)
    {
        if (s.State != SuccessionState.Aangevraagd || scope.Identities.Contains(s.Successor)) return null;
        if (scope.Identities.FirstOrDefault(i => regiehouders.Contains(i) && i != s.ForRegiehouder) is { } regiehouder)
            return (ConfirmRoles.Regiehouder, regiehouder);
        if (DossierOperations.IsSupporter(scope, s.PatientId) && scope.Identities.FirstOrDefault(i => i.StartsWith("Practitioner/", StringComparison.Ordinal)) is { } supporter)
            return (ConfirmRoles.Ondersteuner, supporter);
        if (supporters.Count == 0 && (caller.Roles ?? []).Contains(AdminRole) && caller.FhirUser is { } admin)
            return (ConfirmRoles.Beheerder, admin);
        return null;
    }

    /// <summary>Whether a caller who sees no regie of the dossier may still have business with a successor entry: a
    /// person of a network (who may be named as successor) or an administrator (who confirms for a family without a supporter).</summary>
    /// <param name="named">False: only the administrator's way (a network member must first be found named).</param>
    public static bool MayActUnseen(AccessScope scope, CallerContext caller, bool named = true) =>
        (named && scope.Identities.Any(i => i.StartsWith("RelatedPerson/", StringComparison.Ordinal))) || (caller.Roles ?? []).Contains(AdminRole);

    /// <summary>Whether a caller without view-regie sees this entry: the successor their own; an administrator one that was
    /// asked in a family without a supporter in force (the administrator confirms in the supporter's place).</summary>
    public static bool MaySee(AccessScope scope, CallerContext caller, Succession s, IReadOnlyCollection<string> supporters) =>
        scope.Identities.Contains(s.Successor)
        || (supporters.Count == 0 && s.State == SuccessionState.Aangevraagd && (caller.Roles ?? []).Contains(AdminRole));

    /// <summary>Who may withdraw a named successor: the regiehouder who named them; when that one no longer holds regie,
    /// any regiehouder in force.</summary>
    public static bool MayWithdraw(AccessScope scope, Succession s, IReadOnlyCollection<string> regiehouders) =>
        s.ForRegiehouder is { } namer && regiehouders.Contains(namer)
            ? scope.Identities.Contains(namer)
            : scope.Identities.Any(regiehouders.Contains);

    /// <summary>What is still missing before the take-over is complete (empty: complete).</summary>
    public static IReadOnlyList<SuccessionNeed> StillNeeded(Succession s, IReadOnlyCollection<string> regiehouders, IReadOnlyCollection<string> supporters)
    {
        if (s.State is SuccessionState.Overgenomen or SuccessionState.Ingetrokken) return [];
        var needs = new List<SuccessionNeed>();
        if (s.Request is null) needs.Add(new SuccessionNeed(NeedRequest));
        foreach (var r in regiehouders.Where(r => r != s.ForRegiehouder && r != s.Successor))
            if (!s.Confirmations.Any(c => c.Role == ConfirmRoles.Regiehouder && c.By == r)) needs.Add(new SuccessionNeed(ConfirmRoles.Regiehouder, r));
        var professional = supporters.Count > 0 ? ConfirmRoles.Ondersteuner : ConfirmRoles.Beheerder;
        if (!s.Confirmations.Any(c => c.Role == professional && c.By != s.Successor)) needs.Add(new SuccessionNeed(professional));
        if (s.Request is not null && s.Request.Document is null) needs.Add(new SuccessionNeed(NeedDocument));
        return needs;
    }

    /// <summary>The take-over asked, on the successor Consent. Asking again with another document starts the confirmations
    /// over: each confirmer must have seen the evidence they confirm.</summary>
    public static Consent WithRequest(Consent successorConsent, SuccessionRequest request)
    {
        var consent = (Consent)successorConsent.DeepCopy();
        var before = Succession.Of(consent);
        if (before?.Request?.Document != request.Document) consent.Extension.RemoveAll(e => e.Url == Extensions.SuccessionConfirmation);
        consent.Extension.RemoveAll(e => e.Url == Extensions.Succession);
        var ext = new Extension { Url = Extensions.Succession };
        ext.Extension.Add(new Extension("reason", new Code(request.Reason)));
        if (request.Document is not null) ext.Extension.Add(new Extension("document", new ResourceReference(request.Document)));
        if (request.RequestedBy is not null) ext.Extension.Add(new Extension("requestedBy", new ResourceReference(request.RequestedBy)));
        ext.Extension.Add(new Extension("requestedAt", new FhirDateTime(request.RequestedAt)));
        consent.Extension.Add(ext);
        return consent;
    }

    /// <summary>One confirmation added to the successor Consent (a second one by the same record replaces the first).</summary>
    public static Consent WithConfirmation(Consent successorConsent, SuccessionConfirmation confirmation)
    {
        var consent = (Consent)successorConsent.DeepCopy();
        consent.Extension.RemoveAll(e => e.Url == Extensions.SuccessionConfirmation
            && e.Extension.FirstOrDefault(x => x.Url == "by")?.Value is ResourceReference { Reference: var by } && by == confirmation.By);
        var ext = new Extension { Url = Extensions.SuccessionConfirmation };
        ext.Extension.Add(new Extension("by", new ResourceReference(confirmation.By)));
        ext.Extension.Add(new Extension("role", new Code(confirmation.Role)));
        ext.Extension.Add(new Extension("at", new FhirDateTime(confirmation.At)));
        consent.Extension.Add(ext);
        return consent;
    }

    /// <summary>A named successor withdrawn by a regiehouder: the Consent ends now (the history keeps it).</summary>
    public static Consent Withdrawn(Consent successorConsent, DateTimeOffset now) => Ended((Consent)successorConsent.DeepCopy(), now);

    /// <summary>
    /// What the platform writes when the take-over is complete, in one transaction: a new regie Consent for the successor
    /// (from now, no legal basis: a court decision is personal and a mentor's successor asks the court anew), each regie
    /// Consent of the leaving regiehouder ended (alone on it: inactive with period end now; with others: a version without
    /// them), and the successor Consent closed (inactive, completedAt, a reference to the new regie).
    /// </summary>
    /// <param name="regieConsents">The dossier's Consents (current versions); only those giving the leaving regiehouder regie change.</param>
    public static (Consent NewRegie, IReadOnlyList<Consent> Ended, Consent Closed) Completion(Consent successorConsent, Succession s,
        IEnumerable<Consent> regieConsents, string newRegieId, DateTimeOffset now)
    {
        var regie = Grants.Regie(newRegieId, s.PatientId, [s.Successor], from: now);
        var ended = new List<Consent>();
        if (s.ForRegiehouder is { } leaving)
        {
            foreach (var c in regieConsents)
            {
                var g = ConsentGrant.Of(c);
                if (g.PatientId != s.PatientId || g.IsDeny || !g.Active
                    || !g.Actors.Any(a => a.Reference == leaving && a.Roles.Contains(GrantRole.Regiehouder))) continue;
                var copy = (Consent)c.DeepCopy();
                if (g.Actors.All(a => a.Reference == leaving)) ended.Add(Ended(copy, now));
                else
                {
                    copy.Provision!.Actor.RemoveAll(a => a.Reference?.Reference == leaving);
                    ended.Add(copy);
                }
            }
        }
        var closed = Ended((Consent)successorConsent.DeepCopy(), now);
        if (closed.GetExtension(Extensions.Succession) is { } ext)
        {
            ext.Extension.RemoveAll(e => e.Url is "completedAt" or "regie");
            ext.Extension.Add(new Extension("completedAt", new FhirDateTime(now)));
            ext.Extension.Add(new Extension("regie", new ResourceReference($"Consent/{newRegieId}")));
        }
        return (regie, ended, closed);
    }

    private static Consent Ended(Consent consent, DateTimeOffset now)
    {
        consent.Status = Consent.ConsentState.Inactive;
        var p = consent.Provision ??= new Consent.provisionComponent();
        p.Period ??= new Period();
        p.Period.End = now.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture);
        return consent;
    }
}
