using Hl7.Fhir.Model;

namespace Pgo.Fhir.Serialization;

/// <summary>Walking a resource's element tree (transactions rewrite references in it; the project profiles check it).</summary>
public static class FhirElements
{
    /// <summary>Every element below <paramref name="root"/>, contained resources included.</summary>
    public static IEnumerable<Base> Descendants(Base root)
    {
        var stack = new Stack<Base>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            foreach (var (_, value) in node.EnumerateElements())
            {
                switch (value)
                {
                    case Base child:
                        yield return child;
                        stack.Push(child);
                        break;
                    case IEnumerable<Base> list:
                        foreach (var item in list)
                        {
                            yield return item;
                            stack.Push(item);
                        }
                        break;
                }
            }
        }
    }

    /// <summary>Every text value in <paramref name="root"/>: primitive values (the narrative too) and plain string properties (an extension's url).</summary>
    public static IEnumerable<string> Texts(Base root)
    {
        foreach (var node in Descendants(root).Prepend(root))
        {
            if (node is PrimitiveType { JsonValue: string value }) yield return value;
            foreach (var (_, child) in node.EnumerateElements())
                if (child is string text) yield return text;
        }
    }
}
