namespace Pgo.Fhir.Search.Indexing;

/// <summary>
/// Prepares a SearchParameter's FHIRPath expression for one resource type. Many R4 definitions
/// are unions shared by several types ("AllergyIntolerance.patient | CarePlan.subject.where(...) | ...");
/// only the branches that start at this type (or at Resource/DomainResource, or that do not start at a
/// type name) can select anything, so the others are dropped before compiling. Splitting on the
/// top-level "|" also evaluates "(A.value as Quantity) | A.value as SampledData" as the FHIRPath
/// grammar says ("as" binds tighter than "|"), where the SDK's parser would apply the last "as"
/// to the whole union and lose the Quantity branch.
/// </summary>
internal static class IndexExpression
{
    private static readonly string[] LowerPrecedenceOperators =
        [" and ", " or ", " xor ", " implies ", "=", "<", ">", "~", " in ", " contains "];

    /// <summary>The branches of <paramref name="expression"/> that apply to <paramref name="resourceType"/>; empty when none can.</summary>
    public static IReadOnlyList<string> BranchesFor(string expression, string resourceType)
    {
        var branches = SplitUnion(expression);
        if (branches.Count == 1) return RootType(expression) is { } root && IsOtherType(root, resourceType) ? [] : [expression];

        // Splitting is only right when "|" is the loosest operator at the top level.
        foreach (var branch in branches)
        {
            var top = TopLevel(branch);
            foreach (var op in LowerPrecedenceOperators)
                if (top.Contains(op, StringComparison.Ordinal))
                    return [expression];
        }

        var kept = new List<string>(branches.Count);
        foreach (var branch in branches)
            if (RootType(branch) is not { } root || !IsOtherType(root, resourceType))
                kept.Add(branch);
        return kept;
    }

    private static bool IsOtherType(string root, string resourceType) =>
        root != resourceType && ReferenceParser.IsResourceType(root);

    /// <summary>Splits on "|" outside parentheses, brackets, braces and quoted text.</summary>
    internal static List<string> SplitUnion(string expression)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < expression.Length; i++)
        {
            var c = expression[i];
            switch (c)
            {
                case '\'' or '`':
                    i = SkipQuoted(expression, i);
                    break;
                case '(' or '[' or '{':
                    depth++;
                    break;
                case ')' or ']' or '}':
                    depth--;
                    break;
                case '|' when depth == 0:
                    parts.Add(expression[start..i].Trim());
                    start = i + 1;
                    break;
            }
        }
        parts.Add(expression[start..].Trim());
        return parts;
    }

    /// <summary>The expression with everything inside parentheses, brackets and quotes blanked out.</summary>
    private static string TopLevel(string expression)
    {
        var chars = expression.ToCharArray();
        var depth = 0;
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            if (c is '\'' or '`')
            {
                var end = SkipQuoted(expression, i);
                for (var j = i; j <= end && j < chars.Length; j++) chars[j] = ' ';
                i = end;
                continue;
            }
            if (c is '(' or '[' or '{') depth++;
            if (depth > 0) chars[i] = ' ';
            if (c is ')' or ']' or '}') depth--;
        }
        return new string(chars);
    }

    private static int SkipQuoted(string s, int open)
    {
        var quote = s[open];
        for (var i = open + 1; i < s.Length; i++)
        {
            if (s[i] == '\\') { i++; continue; }
            if (s[i] == quote) return i;
        }
        return s.Length - 1;
    }

    /// <summary>The type name a path starts at ("Observation" for "(Observation.value as Quantity)"), or null.</summary>
    internal static string? RootType(string branch)
    {
        var i = 0;
        while (i < branch.Length && (branch[i] == '(' || char.IsWhiteSpace(branch[i]))) i++;
        var start = i;
        if (i >= branch.Length || !char.IsAsciiLetterUpper(branch[i])) return null;
        while (i < branch.Length && (char.IsAsciiLetterOrDigit(branch[i]) || branch[i] == '_')) i++;
        if (i < branch.Length && branch[i] != '.' && branch[i] != ')' && !char.IsWhiteSpace(branch[i])) return null;
        return branch[start..i];
    }
}
