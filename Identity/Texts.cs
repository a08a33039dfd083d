namespace Pgo.Identity;

/// <summary>
/// The marker for user-facing text: <c>IStringLocalizer&lt;Texts&gt;</c>. The key is the Dutch text itself,
/// so Dutch needs no resource file; an English translation goes into <c>Texts.en.resx</c> later
/// without touching the pages.
/// </summary>
public sealed class Texts;
