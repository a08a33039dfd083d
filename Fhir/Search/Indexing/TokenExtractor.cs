using Hl7.Fhir.Model;

namespace Pgo.Fhir.Search.Indexing;

/// <summary>
/// R4 token parameters: Coding → system|code (display as text), CodeableConcept → each coding plus
/// its text, Identifier → system|value (type.text as text), ContactPoint → its value, and code,
/// boolean, id, string and uri primitives → their literal value as code with no system.
/// </summary>
internal static class TokenExtractor
{
    public static bool Extract(string param, Base value, ResourceIndex index)
    {
        switch (value)
        {
            case Coding coding:
                AddCoding(param, coding, index);
                return true;
            case CodeableConcept concept:
                AddConcept(param, concept, index);
                return true;
            case Identifier identifier:
                if (!string.IsNullOrEmpty(identifier.Value))
                    index.Tokens.Add(new TokenIndex(param, identifier.System ?? "", Truncate(identifier.Value), Text(identifier.Type?.Text)));
                return true;
            case ContactPoint contact:
                // R4: a token on ContactPoint matches ContactPoint.value; no system.
                if (!string.IsNullOrEmpty(contact.Value))
                    index.Tokens.Add(new TokenIndex(param, "", Truncate(contact.Value), null));
                return true;
            case PrimitiveType primitive:
                var code = Primitives.AsString(primitive.JsonValue);
                if (!string.IsNullOrEmpty(code))
                    index.Tokens.Add(new TokenIndex(param, "", Truncate(code), null));
                return true;
            default:
                return false;
        }
    }

    private static void AddCoding(string param, Coding coding, ResourceIndex index)
    {
        var text = Text(coding.Display);
        if (string.IsNullOrEmpty(coding.Code) && text is null) return;
        index.Tokens.Add(new TokenIndex(param, coding.System ?? "", Truncate(coding.Code ?? ""), text));
    }

    private static void AddConcept(string param, CodeableConcept concept, ResourceIndex index)
    {
        var first = index.Tokens.Count;
        foreach (var coding in concept.Coding) AddCoding(param, coding, index);

        // :text matches CodeableConcept.text as well as the codings' displays. When no coding row
        // carries the concept's text already, it gets a row of its own with neither system nor code.
        var text = Text(concept.Text);
        if (text is null) return;
        for (var i = first; i < index.Tokens.Count; i++)
            if (index.Tokens[i].Text == text) return;
        index.Tokens.Add(new TokenIndex(param, "", "", text));
    }

    private static string? Text(string? text) => string.IsNullOrWhiteSpace(text) ? null : TextNormalizer.Normalize(text);

    private static string Truncate(string value) => TextNormalizer.Truncate(value);
}
