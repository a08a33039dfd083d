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
}
