using Hl7.Fhir.Model;

namespace Pgo.Fhir.Access;

// The whole family (issue 18): a family is a FHIR Group (type person, actual) with the project code gezin; its members
// are the Patients of the family's own dossiers. The Group is in section netwerk of every member's dossier.
public static partial class PgoCodes
{
    /// <summary>Group.code of a family, and the role each member has in it (extension on Group.member).</summary>
    public static class Family
    {
        public const string System = Base + "/CodeSystem/groepsoort";
        public const string Gezin = "gezin";

        /// <summary>code on Group.member: the member's place in the family (<see cref="RoleSystem"/>).</summary>
        public const string RoleExtension = Base + "/StructureDefinition/family-role";
        public const string RoleSystem = Base + "/CodeSystem/gezinsrol";

        public const string Client = "client";
        public const string Naaste = "naaste";
        public const string BroerZus = "broer-zus";
        public const string JongeMantelzorger = "jonge-mantelzorger";
        public const string Ouder = "ouder";
        public const string Kind = "kind";
        public const string Partner = "partner";

        public static readonly IReadOnlyDictionary<string, string> RoleDisplay = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Client] = "Cliënt",
            [Naaste] = "Naaste",
            [BroerZus] = "Broer of zus",
            [JongeMantelzorger] = "Jonge mantelzorger",
            [Ouder] = "Ouder",
            [Kind] = "Kind",
            [Partner] = "Partner",
        };

        /// <summary>The family role of a naaste by their relationship in the client's network (netwerkrol), "naaste" otherwise.</summary>
        public static string RoleOf(string? networkRole) => networkRole switch
        {
            BroerZus or Ouder or Kind or Partner => networkRole,
            _ => Naaste,
        };

        internal static IEnumerable<CodeSystem> CodeSystems()
        {
            yield return Build("groepsoort", System, "Soorten groepen", "Een groep dossiers die bij elkaar horen (een gezin).", [(Gezin, "Gezin")]);
            yield return Build("gezinsrol", RoleSystem, "Rollen in het gezin", "De plaats van een lid in het gezin (cliënt, broer of zus, jonge mantelzorger, ...).",
                RoleDisplay.Select(kv => (kv.Key, kv.Value)));
        }
    }
}
