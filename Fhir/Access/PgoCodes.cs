using Hl7.Fhir.Model;
using Pgo.Shared.Codes;

namespace Pgo.Fhir.Access;

/// <summary>
/// Every code the platform itself defines, in one file. Canonical URLs live under one base,
/// <see cref="Base"/>; the CodeSystem resources served at /fhir/CodeSystem come from <see cref="CodeSystems"/>.
/// </summary>
public static partial class PgoCodes
{
    public const string Base = CodeBase.Url;

    /// <summary>Dossier sections (Dutch codes, the words families use). Every dossier resource is in exactly one.
    /// The list lives in Pgo.Shared (Shared/Codes), which the Portal reads too.</summary>
    public static class Section
    {
        public const string System = DossierSections.System;

        public const string Profiel = DossierSections.Profiel;
        public const string Plan = DossierSections.Plan;
        public const string Doelen = DossierSections.Doelen;
        public const string Afspraken = DossierSections.Afspraken;
        public const string Logboek = DossierSections.Logboek;
        public const string Berichten = DossierSections.Berichten;
        public const string Documenten = DossierSections.Documenten;
        public const string Netwerk = DossierSections.Netwerk;
        public const string Agenda = DossierSections.Agenda;
        public const string Medisch = DossierSections.Medisch;
        public const string Financien = DossierSections.Financien;
        public const string Metingen = DossierSections.Metingen;
        public const string Tijd = DossierSections.Tijd;
        /// <summary>The system section: grants (Consent) and logging. Only regiehouders and those with manage access.</summary>
        public const string Toegang = DossierSections.Toegang;

        /// <summary>The sections a person can be given (everything but <see cref="Toegang"/>).</summary>
        public static IReadOnlyList<string> Dossier => DossierSections.Dossier;

        public static IReadOnlyList<string> All => DossierSections.All;

        public static bool IsKnown(string? code) => DossierSections.IsKnown(code);

        public static IReadOnlyDictionary<string, string> Display => DossierSections.Display;
    }

    /// <summary>The role a grant gives its actor (Consent.provision.actor.role); the list lives in Shared/Codes.</summary>
    public static class GrantRole
    {
        public const string System = GrantRoles.System;

        /// <summary>Holds control over the dossier: everything, including managing access.</summary>
        public const string Regiehouder = GrantRoles.Regiehouder;
        public const string Gezinslid = GrantRoles.Gezinslid;
        /// <summary>Specialised client supporter (copiloot, bondgenoot, netwerkgids, ...).</summary>
        public const string Ondersteuner = GrantRoles.Ondersteuner;
        public const string Zorgverlener = GrantRoles.Zorgverlener;
        public const string Instantie = GrantRoles.Instantie;
        /// <summary>Stand-in: a colleague acting for a supporter while the supporter is away.</summary>
        public const string Invaller = GrantRoles.Invaller;

        public static IReadOnlyList<string> All => GrantRoles.All;

        public static IReadOnlyDictionary<string, string> Display => GrantRoles.Display;
    }

    /// <summary>
    /// The legal basis of a representative of an adult client, recorded as a second coding on the regiehouder
    /// actor's role. Without one, a parent's regie ends when the client turns 18.
    /// </summary>
    public static class LegalRepresentation
    {
        public const string System = Base + "/CodeSystem/legal-representation";
        public const string Mentor = "mentor";
        public const string Curator = "curator";

        public static readonly IReadOnlyList<string> All = [Mentor, Curator];
    }

    /// <summary>What a grant allows (Consent.provision.action). R4 consentaction codes are mapped by <see cref="FromCoding"/>.</summary>
    public static class Action
    {
        public const string System = Base + "/CodeSystem/grant-action";
        public const string R4System = "http://terminology.hl7.org/CodeSystem/consentaction";

        public const string Read = "read";
        public const string Write = "write";
        /// <summary>Grant, limit and revoke access (create or change Consent resources); read the audit log.</summary>
        public const string Manage = "manage";

        public static readonly IReadOnlyList<string> All = [Read, Write, Manage];

        /// <summary>Project codes as they are; R4 consentaction: access/use/disclose/collect → read, correct → write.</summary>
        public static string? FromCoding(Coding coding) => coding.System switch
        {
            System when All.Contains(coding.Code) => coding.Code,
            R4System => coding.Code switch
            {
                "access" or "use" or "disclose" or "collect" => Read,
                "correct" => Write,
                _ => null,
            },
            _ => null,
        };
    }

    /// <summary>Consent.category of every grant the platform writes.</summary>
    public static class ConsentCategory
    {
        public const string System = Base + "/CodeSystem/consent-category";
        public const string Toegang = "dossiertoegang";
    }

    public const string ConsentScopeSystem = "http://terminology.hl7.org/CodeSystem/consentscope";
    public const string PatientPrivacy = "patient-privacy";

    public static class Extensions
    {
        /// <summary>boolean on a grant: the actor may name a stand-in from the same team while away.</summary>
        public const string AllowStandIn = Base + "/StructureDefinition/allow-stand-in";
        /// <summary>string on a share package: the one purpose it was opened for.</summary>
        public const string Purpose = Base + "/StructureDefinition/share-purpose";
    }

    /// <summary>The project CodeSystems as FHIR resources (loaded at start-up by the Api, served read-only as directory resources).</summary>
    public static IEnumerable<CodeSystem> CodeSystems()
    {
        yield return Build("dossier-section", Section.System, "Dossieronderdelen", "De onderdelen van het gezinsdossier; elk record hoort bij precies één onderdeel.",
            Section.All.Select(c => (c, Section.Display[c])));
        yield return Build("grant-role", GrantRole.System, "Rollen bij toegang", "De rol die een toestemming (Consent) aan iemand geeft.",
            GrantRole.All.Select(c => (c, GrantRole.Display[c])));
        yield return Build("grant-action", Action.System, "Handelingen bij toegang", "Wat een toestemming toestaat.",
            [(Action.Read, "Lezen"), (Action.Write, "Schrijven"), (Action.Manage, "Toegang beheren")]);
        yield return Build("legal-representation", LegalRepresentation.System, "Wettelijke vertegenwoordiging",
            "Grond waarop iemand na het 18e jaar de regie houdt voor een volwassen cliënt.",
            [(LegalRepresentation.Mentor, "Mentor (mentorschap)"), (LegalRepresentation.Curator, "Curator (curatele)")]);
        yield return Build("consent-category", ConsentCategory.System, "Soorten toestemming", "Categorie van toestemmingen in het dossier.",
            [(ConsentCategory.Toegang, "Toegang tot het dossier")]);
        foreach (var cs in DossierCodeSystems()) yield return cs;
    }

    private static CodeSystem Build(string id, string url, string title, string description, IEnumerable<(string Code, string Display)> concepts) => new()
    {
        Id = "pgo-" + id,
        Url = url,
        Name = string.Concat(id.Split('-').Select(p => char.ToUpperInvariant(p[0]) + p[1..])),
        Title = title,
        Status = PublicationStatus.Active,
        Description = description,
        Content = CodeSystemContentMode.Complete,
        CaseSensitive = true,
        Concept = concepts.Select(c => new CodeSystem.ConceptDefinitionComponent { Code = c.Code, Display = c.Display }).ToList(),
    };
}
