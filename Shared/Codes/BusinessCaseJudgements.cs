namespace Pgo.Shared.Codes;

/// <summary>
/// The family's and the supporter's judgement of one item of the social business case (issue 21,
/// docs/adr/0011-social-business-case.md, docs/adr/0005-dossier-mapping.md): a <c>Basic</c> in section gebeurtenissen whose
/// <c>code</c> is the judgement (<see cref="System"/>: voorkomen, opgetreden, niet-van-toepassing), <c>subject</c> the
/// client, <c>created</c> the day it was judged, <c>author</c> who judged, and extensions for the model item (its code),
/// the model id and version and the gezinstype it was judged under, and the reason (required for "voorkomen"). A new
/// judgement of the same item replaces the earlier one in the case; the earlier stay as history.
/// </summary>
public static class BusinessCaseJudgements
{
    public const string System = CodeBase.Url + "/CodeSystem/mbc-oordeel";

    public const string Voorkomen = "voorkomen";
    public const string Opgetreden = "opgetreden";
    public const string NietVanToepassing = "niet-van-toepassing";

    public static readonly IReadOnlyDictionary<string, string> Display = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Voorkomen] = "Voorkomen",
        [Opgetreden] = "Toch gebeurd",
        [NietVanToepassing] = "Niet van toepassing",
    };

    /// <summary>string on the judgement: the code of the model item.</summary>
    public const string Item = CodeBase.Url + "/StructureDefinition/mbc-item";
    /// <summary>string on the judgement: the model id (e.g. seed-004).</summary>
    public const string Model = CodeBase.Url + "/StructureDefinition/mbc-model";
    /// <summary>positiveInt on the judgement: the model version.</summary>
    public const string ModelVersion = CodeBase.Url + "/StructureDefinition/mbc-model-version";
    /// <summary>positiveInt on the judgement: the gezinstype (family type of the model) whose items and chances apply.</summary>
    public const string FamilyType = CodeBase.Url + "/StructureDefinition/mbc-gezinstype";
    /// <summary>string on the judgement: why, in the family's and supporter's words.</summary>
    public const string Reason = CodeBase.Url + "/StructureDefinition/mbc-reason";

    public const int MinReasonLength = 3;
    public const int MaxReasonLength = 500;
    public const int MaxItemLength = 64;
}
