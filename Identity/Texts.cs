namespace Pgo.Identity;

/// <summary>
/// The marker for user-facing text: <c>IStringLocalizer&lt;Texts&gt;</c>. The key is the Dutch text itself,
/// so Dutch needs no resource file; English is in <c>Texts.en.resx</c> (a test checks that every Dutch
/// text in the code has its English line there).
/// </summary>
public sealed class Texts;
