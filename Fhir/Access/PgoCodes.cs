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
        /// <summary>Events that count and procedures (issue 20).</summary>
        public const string Gebeurtenissen = DossierSections.Gebeurtenissen;
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
        /// <summary>Named successor of a regiehouder: grants nothing until the take-over (issue 18).</summary>
        public const string Opvolger = GrantRoles.Opvolger;
        /// <summary>Court-appointed for the finances only.</summary>
        public const string Bewindvoerder = GrantRoles.Bewindvoerder;

        public static IReadOnlyList<string> All => GrantRoles.All;

        public static IReadOnlyDictionary<string, string> Display => GrantRoles.Display;
    }

    /// <summary>
    /// The legal basis of a representative of an adult client, recorded as a second coding on the actor's role (codes
    /// and Dutch names in Shared/Codes/RegieCodes.cs). Mentor, curator and a WGBO representative keep regie after the
    /// client turns 18; bewind gives the finances only. Mentor, curator and bewind need the court decision (a
    /// document), a WGBO representative its reason; the representation holds within its period
    /// (<see cref="Extensions.RepresentationPeriod"/>, none = open).
    /// </summary>
    public static class LegalRepresentation
    {
        public const string System = RegieCodes.Representation.System;
        public const string Mentor = RegieCodes.Representation.Mentor;
        public const string Curator = RegieCodes.Representation.Curator;
        public const string Bewind = RegieCodes.Representation.Bewind;
        public const string Wgbo = RegieCodes.Representation.Wgbo;

        public static IReadOnlyList<string> All => RegieCodes.Representation.All;

        /// <summary>The bases that keep a representative's regie after 18 (bewind does not: finances only).</summary>
        public static IReadOnlyList<string> KeepRegie => RegieCodes.Representation.KeepRegie;

        /// <summary>The bases recorded with a court decision (a document); WGBO is recorded with its reason instead.</summary>
        public static bool NeedsCourtDecision(string? code) => code is Mentor or Curator or Bewind;
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
        /// <summary>Research consent (issue 21, docs/adr/0012): the dossier counts in the programme's pseudonymised
        /// aggregates. It is not access: the access compiler ignores it and it grants nothing to anyone.</summary>
        public const string Onderzoek = "onderzoek";
    }

    public const string ConsentScopeSystem = "http://terminology.hl7.org/CodeSystem/consentscope";
    public const string PatientPrivacy = "patient-privacy";
    /// <summary>Consent.scope of a research consent (R4 consentscope#research).</summary>
    public const string Research = "research";

    public static class Extensions
    {
        /// <summary>boolean on a grant: the actor may name a stand-in from the same team while away.</summary>
        public const string AllowStandIn = Base + "/StructureDefinition/allow-stand-in";
        /// <summary>string on a share package: the one purpose it was opened for.</summary>
        public const string Purpose = Base + "/StructureDefinition/share-purpose";
        /// <summary>Period on a Consent with legal representation: when the representation holds (court decision's dates).</summary>
        public const string RepresentationPeriod = Base + "/StructureDefinition/representation-period";
        /// <summary>string on a Consent with a WGBO representative: why the adult client cannot decide (WGBO art. 7:465).</summary>
        public const string RepresentationReason = Base + "/StructureDefinition/representation-reason";
        /// <summary>code (RegieCodes.ClientAccess) on a Consent with legal representation: what the client keeps of their own
        /// dossier while it holds (default: read and write, without managing access).</summary>
        public const string ClientAccess = Base + "/StructureDefinition/client-access";
        /// <summary>code (RegieCodes.After18) on the Consent recording the choice for after the 18th birthday.</summary>
        public const string RegieAfter18 = Base + "/StructureDefinition/regie-na-18";
        /// <summary>Reference(Consent) on a supporter's grant: the grant of the supporter it replaced (a change of supporter).</summary>
        public const string Replaces = Base + "/StructureDefinition/replaces";
        /// <summary>complex, on a successor (opvolger) Consent: the take-over asked (reason, document, who asked, when).</summary>
        public const string Succession = Base + "/StructureDefinition/succession";
        /// <summary>complex, repeated on a successor Consent: who confirmed the take-over and when.</summary>
        public const string SuccessionConfirmation = Base + "/StructureDefinition/succession-confirmation";
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
            "Grond waarop iemand een volwassen cliënt vertegenwoordigt (mentor, curator en WGBO-vertegenwoordiger houden de regie na 18; bewind alleen de financiën).",
            LegalRepresentation.All.Select(c => (c, RegieCodes.Representation.Display[c])));
        yield return Build("regie-na-18", RegieCodes.After18.System, "Regie na het 18e jaar",
            "De keuze die voor de 18e verjaardag wordt vastgelegd: wie houdt daarna de regie.",
            RegieCodes.After18.All.Select(c => (c, RegieCodes.After18.Display[c])));
        yield return Build("client-access", RegieCodes.ClientAccess.System, "Toegang van de cliënt bij vertegenwoordiging",
            "Wat de cliënt zelf in het eigen dossier houdt zolang een wettelijke vertegenwoordiging geldt.",
            RegieCodes.ClientAccess.All.Select(c => (c, RegieCodes.ClientAccess.Display[c])));
        yield return Build("checklist-18", RegieCodes.Checklist18.System, "Checklist 18 jaar",
            "De onderdelen van de overgang naar 18 (seed 004: mentorschap, curatele of bewind, Wlz, Wmo, Participatiewet, school, inkomen).",
            RegieCodes.Checklist18.Items.Select(i => (i.Code, i.Title)));
        yield return Build("consent-category", ConsentCategory.System, "Soorten toestemming", "Categorie van toestemmingen in het dossier.",
            [(ConsentCategory.Toegang, "Toegang tot het dossier"), (ConsentCategory.Onderzoek, "Deelnemen aan onderzoek (telt mee in geanonimiseerde cijfers; geeft niemand toegang)")]);
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
