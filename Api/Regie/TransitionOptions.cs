namespace Pgo.Api.Regie;

/// <summary>Settings of the transition track "18 jaar" (section <c>Pgo:Transition</c>; docs/settings.md).</summary>
public sealed class TransitionOptions
{
    public const string Section = "Pgo:Transition";

    /// <summary>The age at which the checklist "18 jaar" starts and the family is reminded (12 to 17; default 15).</summary>
    public int StartAge { get; set; } = Pgo.Fhir.Access.AgeRules.DefaultTransitionStartAge;
}
