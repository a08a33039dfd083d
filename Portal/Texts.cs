namespace Pgo.Portal;

/// <summary>
/// The marker for user-facing text: <c>IStringLocalizer&lt;Texts&gt;</c>. As in Pgo.Identity the key is the Dutch text
/// itself (Dutch is the first language and needs no lookup); English is in <c>Texts.en.resx</c>, and a test fails when a
/// Dutch text in a component has no English line there.
/// </summary>
public sealed class Texts;
