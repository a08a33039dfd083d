using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using Pgo.Fhir.Storage;

namespace Pgo.Api.Realtime;

/// <summary>
/// Who may hear of a change to a message: its participants (docs/adr/0003-consent-model.md, "Berichten: alleen voor
/// deelnemers"). The feed announces a change in berichten only to connections whose caller takes part in the message
/// (or holds an item grant on it), judged by the version the event is about; a deletion by the version before it.
/// </summary>
internal static class MessageAudience
{
    /// <summary>The participants of the message the event is about; null when the event is not in berichten.</summary>
    public static async Task<IReadOnlyList<string>?> ParticipantsAsync(PlatformReader platform, ChangeEvent e, CancellationToken ct)
    {
        if (!MessageRules.ForParticipantsOnly(e.Section)) return null;
        for (var version = e.Version; version >= Math.Max(1, e.Version - 1); version--)
        {
            var stored = await platform.ReadVersionAsync(e.Type, e.Id, version, ct);
            if (stored is { Deleted: false } && !string.IsNullOrEmpty(stored.Json))
                return MessageRules.Participants(FhirJson.Parse(stored.Json));
        }
        return [];
    }
}
