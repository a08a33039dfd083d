namespace Pgo.Api.Practice;

/// <summary>Settings of the supporter's practice (section <c>Practice</c>; docs/settings.md).</summary>
public sealed class PracticeOptions
{
    public const string Section = "Practice";

    /// <summary>How many days after recording an entry its author may still change it (1 to 366; default 14). After
    /// that a change is a correction: a new entry with a reason.</summary>
    public int EditDays { get; set; } = 14;
}
