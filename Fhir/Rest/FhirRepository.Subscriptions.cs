using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using Pgo.Fhir.Search.Query;
using Pgo.Fhir.Messages;

namespace Pgo.Fhir.Rest;

// Subscription: the server records the owner, checks criteria and channel, and sets the status (docs/adr/0007-subscriptions.md).
public sealed partial class FhirRepository
{
    /// <summary>
    /// Before every Subscription write: the owner is the creator (kept on update; never taken from the body), criteria
    /// must be a search this server understands, the channel rest-hook (where <see cref="RestHookRules"/> allows: in
    /// production https to an allow-listed host, allow-listed headers only) or websocket.
    /// The owner's own writes set status <c>active</c> (or keep <c>off</c>) and clear <c>error</c>; the platform's writes
    /// (the notifier reporting <c>error</c> or <c>off</c>) are kept as they are.
    /// </summary>
    private void PrepareSubscription(CallerContext caller, Subscription incoming, Resource? current)
    {
        var callerKey = SubscriptionOwner.Of(caller);
        var owner = current is not null ? SubscriptionOwner.Recorded(current) ?? callerKey : callerKey;
        var byOwner = owner == callerKey;
        SubscriptionOwner.Stamp(incoming, owner, byOwner ? caller.Scopes : current is not null ? SubscriptionOwner.RecordedScopes(current) : [],
            byOwner ? caller.LaunchPatient : current is not null ? SubscriptionOwner.RecordedLaunchPatient(current) : null);

        CriteriaOf(incoming);
        var channel = incoming.Channel ?? throw FhirException.Unprocessable(FhirText.SubscriptionChannelMissing);
        switch (channel.Type)
        {
            case Subscription.SubscriptionChannelType.RestHook:
                // The platform recording status error/off on a channel it did not change is not judged again: the
                // notifier reports exactly that a channel is no longer allowed.
                var hooks = options.RestHooks();
                var recordingStatus = !byOwner && current is Subscription { Channel: { } stored } && stored.Endpoint == channel.Endpoint
                                      && stored.Header.SequenceEqual(channel.Header);
                if (!recordingStatus && RestHookRules.CheckEndpoint(channel.Endpoint, hooks) is { } endpointRefused)
                    throw FhirException.Unprocessable(endpointRefused);
                if (!recordingStatus && RestHookRules.CheckHeaders(channel.Header, hooks) is { } headerRefused)
                    throw FhirException.Unprocessable(headerRefused);
                if (channel.Payload is { Length: > 0 } payload && payload is not ("application/fhir+json" or "application/json"))
                    throw FhirException.Unprocessable(Text.Format(FhirText.SubscriptionPayloadNotSupported, payload));
                break;
            case Subscription.SubscriptionChannelType.Websocket:
                break;
            default:
                throw FhirException.Unprocessable(Text.Format(FhirText.SubscriptionChannelTypeNotSupported, channel.TypeElement?.JsonValue));
        }
        if (byOwner)
        {
            incoming.Status = incoming.Status == Subscription.SubscriptionStatus.Off ? Subscription.SubscriptionStatus.Off : Subscription.SubscriptionStatus.Active;
            incoming.Error = null;
        }
        else if (incoming.Status is null) incoming.Status = Subscription.SubscriptionStatus.Active;
    }

    /// <summary>The criteria's resource type and parsed search; 422 when it is not <c>Type?params</c> this server understands.</summary>
    public (string Type, SearchRequest Search) CriteriaOf(Subscription subscription)
    {
        var criteria = subscription.Criteria;
        if (string.IsNullOrWhiteSpace(criteria)) throw FhirException.Unprocessable(FhirText.SubscriptionCriteriaMissing);
        var q = criteria.IndexOf('?', StringComparison.Ordinal);
        var type = q < 0 ? criteria : criteria[..q];
        if (!ModelInfo.IsKnownResource(type) || type is "Subscription" or "AuditEvent")
            throw FhirException.Unprocessable(Text.Format(FhirText.SubscriptionCriteriaNoType, criteria));
        try
        {
            return (type, _searchParser.ParseQueryString(type, q < 0 ? "" : criteria[(q + 1)..], SearchHandling.Strict));
        }
        catch (FhirException e)
        {
            throw FhirException.Unprocessable(Text.Format(FhirText.SubscriptionCriteriaInvalid, criteria, e.Message));
        }
    }
}
