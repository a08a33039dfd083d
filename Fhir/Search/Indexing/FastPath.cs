using System.Collections;
using Hl7.Fhir.Model;

namespace Pgo.Fhir.Search.Indexing;

/// <summary>
/// A direct evaluator for the plain path expressions that make up nearly all R4 search parameters:
/// <c>Type.a.b</c>, <c>(Type.a as X).b</c>, <c>Type.a.as(X)</c>, <c>Type.a.ofType(X)</c>,
/// <c>Type.a.where(resolve() is X)</c> and <c>Type.a[n]</c>. It walks the POCO through the generated
/// <see cref="Base.TryGetValue"/> accessors instead of the general FHIRPath engine, which costs a few
/// microseconds per expression even when nothing matches. Anything outside this subset is left to
/// the FHIRPath engine (<see cref="TryParse"/> returns null); tests check both agree on every R4 example.
/// </summary>
internal sealed class FastPath
{
    private readonly Step[] _steps;

    private FastPath(Step[] steps) => _steps = steps;

    public override string ToString() => string.Join(" → ", _steps.Select(s => s.ToString()));

    /// <summary>Appends what the path selects from <paramref name="resource"/> to <paramref name="output"/>.</summary>
    public void Select(Resource resource, List<Base> output, List<Base> scratchA, List<Base> scratchB)
    {
        var current = scratchA;
        var next = scratchB;
        current.Clear();
        current.Add(resource);
        foreach (var step in _steps)
        {
            next.Clear();
            step.Apply(current, next);
            (current, next) = (next, current);
            if (current.Count == 0) return;
        }
        output.AddRange(current);
    }

    /// <summary>
    /// Parses <paramref name="expression"/> (one union branch) when it is a plain path rooted at
    /// <paramref name="resourceType"/>, Resource or DomainResource; null otherwise.
    /// </summary>
    public static FastPath? TryParse(string expression, string resourceType)
    {
        var parser = new Parser(expression);
        var steps = new List<Step>();
        if (!parser.ParseBranch(steps, resourceType) || !parser.AtEnd) return null;
        return new FastPath(steps.ToArray());
    }

    private ref struct Parser(string text)
    {
        private readonly string _text = text;
        private int _pos;

        public readonly bool AtEnd => _pos == _text.Length;

        // branch := term [ 'as' Type ]
        public bool ParseBranch(List<Step> steps, string resourceType)
        {
            if (!ParseTerm(steps, resourceType)) return false;
            SkipSpaces();
            var save = _pos;
            if (TryKeyword("as"))
            {
                if (!TryIdentifier(out var type)) return false;
                steps.Add(TypeFilter.For(type));
                SkipSpaces();
            }
            else _pos = save;
            return true;
        }

        // term := atom { '.' step | '[' n ']' }
        private bool ParseTerm(List<Step> steps, string resourceType)
        {
            SkipSpaces();
            if (Peek('('))
            {
                _pos++;
                if (!ParseBranch(steps, resourceType) || !Expect(')')) return false;
            }
            else
            {
                if (!TryIdentifier(out var root)) return false;
                if (root != resourceType && root is not ("Resource" or "DomainResource")) return false;
            }

            while (true)
            {
                if (Peek('.'))
                {
                    _pos++;
                    if (!TryIdentifier(out var name)) return false;
                    if (Peek('('))
                    {
                        _pos++;
                        switch (name)
                        {
                            case "as" or "ofType":
                                if (!TryIdentifier(out var type) || !Expect(')')) return false;
                                steps.Add(TypeFilter.For(type));
                                break;
                            case "where" when TryLiteral("resolve()"):
                                if (!TryKeyword("is") || !TryIdentifier(out var target) || !Expect(')')) return false;
                                if (!ReferenceParser.IsResourceType(target)) return false;
                                steps.Add(new ResolvesTo(target));
                                break;
                            case "where":
                                if (!TryIdentifier(out var child) || !Expect('=') || !TryString(out var literal) || !Expect(')')) return false;
                                steps.Add(new ChildEquals(child, literal));
                                break;
                            default:
                                return false;
                        }
                    }
                    else steps.Add(new Child(name));
                }
                else if (Peek('['))
                {
                    _pos++;
                    var start = _pos;
                    while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos])) _pos++;
                    if (_pos == start || !int.TryParse(_text.AsSpan(start, _pos - start), out var n) || !Expect(']')) return false;
                    steps.Add(new Item(n));
                }
                else return true;
            }
        }

        /// <summary>A single-quoted string without escapes.</summary>
        private bool TryString(out string value)
        {
            value = "";
            SkipSpaces();
            if (!Peek('\'')) return false;
            var end = _text.IndexOf('\'', _pos + 1);
            if (end < 0) return false;
            var content = _text.AsSpan(_pos + 1, end - _pos - 1);
            if (content.Contains('\\')) return false;
            value = content.ToString();
            _pos = end + 1;
            return true;
        }

        private readonly bool Peek(char c) => _pos < _text.Length && _text[_pos] == c;

        private bool Expect(char c)
        {
            SkipSpaces();
            if (!Peek(c)) return false;
            _pos++;
            return true;
        }

        private void SkipSpaces()
        {
            while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
        }

        private bool TryLiteral(string literal)
        {
            SkipSpaces();
            if (string.CompareOrdinal(_text, _pos, literal, 0, literal.Length) != 0) return false;
            _pos += literal.Length;
            return true;
        }

        private bool TryKeyword(string keyword)
        {
            var save = _pos;
            if (TryLiteral(keyword) && _pos < _text.Length && char.IsWhiteSpace(_text[_pos])) return true;
            _pos = save;
            return false;
        }

        private bool TryIdentifier(out string name)
        {
            SkipSpaces();
            var start = _pos;
            if (_pos < _text.Length && (char.IsAsciiLetter(_text[_pos]) || _text[_pos] == '_'))
                while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] == '_')) _pos++;
            name = _text[start.._pos];
            return name.Length > 0;
        }
    }

    private abstract class Step
    {
        public abstract void Apply(List<Base> input, List<Base> output);
    }

    /// <summary>Navigates to a child element; lists are flattened, choice elements answer to their base name.</summary>
    private sealed class Child(string name) : Step
    {
        public override void Apply(List<Base> input, List<Base> output)
        {
            foreach (var item in input)
            {
                if (!item.TryGetValue(name, out var value)) continue;
                switch (value)
                {
                    case Base element:
                        output.Add(element);
                        break;
                    case IList list:
                        foreach (var entry in list)
                            if (entry is Base b) output.Add(b);
                        break;
                }
            }
        }

        public override string ToString() => name;
    }

    /// <summary>'as' / 'ofType': keeps the items of a FHIR type (or a type derived from it, e.g. Age for Quantity).</summary>
    private sealed class TypeFilter(string typeName, Type? nativeType) : Step
    {
        public static TypeFilter For(string typeName)
        {
            var mapping = ModelInfo.ModelInspector.FindClassMapping(typeName);
            // Primitive FHIR types map to distinct POCOs without inheritance (markdown is no FhirString): compare names.
            var native = mapping is { IsPrimitive: false } ? mapping.NativeType : null;
            return new TypeFilter(typeName, native);
        }

        public override void Apply(List<Base> input, List<Base> output)
        {
            foreach (var item in input)
                if (item.TypeName == typeName || (nativeType is not null && nativeType.IsInstanceOfType(item)))
                    output.Add(item);
        }

        public override string ToString() => "as " + typeName;
    }

    /// <summary>'where(resolve() is X)': keeps the references whose literal target is of type X.</summary>
    private sealed class ResolvesTo(string targetType) : Step
    {
        public override void Apply(List<Base> input, List<Base> output)
        {
            foreach (var item in input)
            {
                var reference = item switch
                {
                    ResourceReference r => r.Reference,
                    PrimitiveType p => p.JsonValue as string,
                    _ => null,
                };
                if (reference is not null && ReferenceParser.TryParse(reference, out var type, out _) && type == targetType)
                    output.Add(item);
            }
        }

        public override string ToString() => "where(resolve() is " + targetType + ")";
    }

    /// <summary>'where(child = 'literal')': keeps the items whose (single) child primitive has that value, e.g. telecom.where(system='email').</summary>
    private sealed class ChildEquals(string child, string literal) : Step
    {
        public override void Apply(List<Base> input, List<Base> output)
        {
            foreach (var item in input)
            {
                if (!item.TryGetValue(child, out var value)) continue;
                var single = value switch
                {
                    Base b => b,
                    IList { Count: 1 } list => list[0] as Base,
                    _ => null,
                };
                if (single is PrimitiveType p && Primitives.AsString(p.JsonValue) == literal) output.Add(item);
            }
        }

        public override string ToString() => $"where({child} = '{literal}')";
    }

    /// <summary>'[n]': the n-th item of the collection.</summary>
    private sealed class Item(int index) : Step
    {
        public override void Apply(List<Base> input, List<Base> output)
        {
            if (index < input.Count) output.Add(input[index]);
        }

        public override string ToString() => $"[{index}]";
    }
}
