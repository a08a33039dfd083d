using Hl7.Fhir.Model;
using Pgo.Fhir.Search;

namespace Pgo.Fhir.Rest;

/// <summary>
/// Builds /metadata from what the engine really does: the resource types and search parameters come
/// from the same <see cref="SearchParameterRegistry"/> the indexer and the parser use.
/// </summary>
public static class CapabilityStatementBuilder
{
    private static readonly SearchParamType[] SupportedKinds =
        [SearchParamType.String, SearchParamType.Token, SearchParamType.Reference, SearchParamType.Date, SearchParamType.Number, SearchParamType.Quantity, SearchParamType.Uri];

    public static CapabilityStatement Build(string baseUrl, string softwareVersion)
    {
        var registry = SearchParameterRegistry.Default;
        var resources = registry.ResourceTypes.Order(StringComparer.Ordinal).Select(type => new CapabilityStatement.ResourceComponent
        {
            Type = type,
            Versioning = CapabilityStatement.ResourceVersionPolicy.VersionedUpdate,
            ReadHistory = true,
            // Per caller: only the platform and system clients create with PUT; people get 404 (Documentation below).
            UpdateCreate = false,
            ConditionalCreate = true,
            ConditionalUpdate = true,
            ConditionalRead = CapabilityStatement.ConditionalReadStatus.NotSupported,
            ConditionalDelete = CapabilityStatement.ConditionalDeleteStatus.Single,
            Interaction =
            [
                .. new[]
                {
                    CapabilityStatement.TypeRestfulInteraction.Read, CapabilityStatement.TypeRestfulInteraction.Vread,
                    CapabilityStatement.TypeRestfulInteraction.Update, CapabilityStatement.TypeRestfulInteraction.Delete,
                    CapabilityStatement.TypeRestfulInteraction.HistoryInstance, CapabilityStatement.TypeRestfulInteraction.HistoryType,
                    CapabilityStatement.TypeRestfulInteraction.Create, CapabilityStatement.TypeRestfulInteraction.SearchType,
                }.Select(i => new CapabilityStatement.ResourceInteractionComponent { Code = i }),
            ],
            SearchInclude = [.. registry.For(type).Where(p => p.Type == SearchParamType.Reference).Select(p => $"{type}:{p.Name}").Order(StringComparer.Ordinal)],
            SearchRevInclude = ["*"],
            SearchParam =
            [
                .. registry.For(type).Where(p => SupportedKinds.Contains(p.Type)).OrderBy(p => p.Name, StringComparer.Ordinal)
                    .Select(p => new CapabilityStatement.SearchParamComponent { Name = p.Name, Type = p.Type, Definition = p.Url }),
            ],
            Documentation = type == "Subscription"
                ? "Alleen zichtbaar voor wie het abonnement aanmaakte (en systeemclients). Criteria: Type?zoekparameters; kanaal rest-hook (https naar een adres op de lijst van de beheerder, alleen toegestane headers; payload leeg of application/fhir+json) of websocket (/ws/subscriptions: bind <id>, bound <id>, ping <id>). Meldingen alleen van wijzigingen die de eigenaar mag zien."
                : null,
            Operation = type == "Patient"
                ? [new CapabilityStatement.OperationComponent { Name = "everything", Definition = "http://hl7.org/fhir/OperationDefinition/Patient-everything" }]
                : [],
        }).ToList();

        return new CapabilityStatement
        {
            Status = PublicationStatus.Active,
            Date = "2026-11-22",
            Kind = CapabilityStatementKind.Instance,
            Software = new CapabilityStatement.SoftwareComponent { Name = "PGO FHIR-repository", Version = softwareVersion },
            Implementation = new CapabilityStatement.ImplementationComponent { Description = "PGO: gedeeld dossier voor gezinnen", Url = baseUrl },
            FhirVersion = FHIRVersion.N4_0_1,
            Format = ["application/fhir+json", "json"],
            Rest =
            [
                new CapabilityStatement.RestComponent
                {
                    // R4's way to name the websocket endpoint of Subscriptions with channel type websocket.
                    Extension = [new Extension("http://hl7.org/fhir/StructureDefinition/capabilitystatement-websocket", new FhirUri(WebsocketUrl(baseUrl)))],
                    Mode = CapabilityStatement.RestfulCapabilityMode.Server,
                    Documentation = "Zoeken: string (:exact, :contains), token (system|code, :not, :text), reference (ook één niveau chaining), date/number/quantity met alle prefixen, uri; _id, _lastUpdated, _count, _offset, _sort, _include, _revinclude, _summary, _elements, _total. Onbekende parameters worden genegeerd met een waarschuwing, of geweigerd bij Prefer: handling=strict. " +
                        "Aanmaken met PUT (update-as-create, ook een voorwaardelijke PUT zonder treffer met een id) kan alleen het platform en een systeemclient (system/-scopes); " +
                        "voor personen geeft PUT op een id die niet bestaat, verwijderd is of niet zichtbaar is hetzelfde 404 als lezen: zij maken aan met POST. " +
                        "Een verwijderde id blijft bij zijn dossier. Elke versie houdt haar eigen onderdeel en dossier: vread en history beoordelen elke versie daarop.",
                    Resource = resources,
                    Interaction =
                    [
                        new CapabilityStatement.SystemInteractionComponent { Code = CapabilityStatement.SystemRestfulInteraction.Transaction },
                        new CapabilityStatement.SystemInteractionComponent { Code = CapabilityStatement.SystemRestfulInteraction.Batch },
                        new CapabilityStatement.SystemInteractionComponent { Code = CapabilityStatement.SystemRestfulInteraction.HistorySystem },
                        new CapabilityStatement.SystemInteractionComponent { Code = CapabilityStatement.SystemRestfulInteraction.SearchSystem },
                    ],
                    SearchParam =
                    [
                        new CapabilityStatement.SearchParamComponent { Name = "_id", Type = SearchParamType.Token },
                        new CapabilityStatement.SearchParamComponent { Name = "_lastUpdated", Type = SearchParamType.Date },
                    ],
                },
            ],
        };
    }

    private static string WebsocketUrl(string baseUrl)
    {
        var root = baseUrl.TrimEnd('/');
        if (root.EndsWith("/fhir", StringComparison.Ordinal)) root = root[..^"/fhir".Length];
        if (root.StartsWith("https://", StringComparison.Ordinal)) root = "wss://" + root["https://".Length..];
        else if (root.StartsWith("http://", StringComparison.Ordinal)) root = "ws://" + root["http://".Length..];
        return root + "/ws/subscriptions";
    }
}
