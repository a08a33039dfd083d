using System.Globalization;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Pgo.Fhir.Messages;

namespace Pgo.Fhir.Search.Query;

/// <summary>
/// Turns the query parameters of a FHIR search into a <see cref="SearchRequest"/>.
/// Malformed values, unknown modifiers and unsupported features are a 400 in every mode (ignoring them
/// would silently widen the result); unknown parameters are a 400 with <see cref="SearchHandling.Strict"/>
/// and a warning otherwise. Thread-safe; create one per configuration.
/// </summary>
/// <remarks>
/// Value semantics (R4 search, 3.1.1.4):
/// <list type="bullet">
/// <item>date: the search value is the range its precision implies; with T = the indexed [start, end] and
/// S = the search range: eq = S contains T; ne = not eq; gt = T.end &gt; S.end; lt = T.start &lt; S.start;
/// ge = gt or eq; le = lt or eq; sa = T.start &gt; S.end; eb = T.end &lt; S.start; ap = T overlaps S widened by
/// 10 % of the distance between now and S.</item>
/// <item>number, quantity: eq = the stored value lies in the search value's precision range [low, high);
/// ne = not eq; gt/lt/ge/le compare the stored value with the exact search value ("gt100: greater than exactly
/// 100"); sa = the stored value's own range starts above the search value; eb = it ends below it;
/// ap = the stored value lies within ±10 % of the search value (at least its precision range).</item>
/// </list>
/// </remarks>
public sealed partial class SearchParser
{
    private static readonly FrozenModifierSets Modifiers = new();

    private readonly SearchParameterRegistry _registry;
    private readonly TimeProvider _time;

    public SearchParser(SearchParameterRegistry registry, SearchOptions? options = null, TimeProvider? time = null)
    {
        _registry = registry;
        Options = options ?? SearchOptions.Default;
        _time = time ?? TimeProvider.System;
        if (Options.DefaultCount < 0 || Options.MaxCount < 1 || Options.MaxIncludes < 1)
            throw new ArgumentException("Search options need DefaultCount >= 0, MaxCount >= 1 and MaxIncludes >= 1.", nameof(options));
    }

    /// <summary>The R4 registry with the default limits (count 20, max 1000).</summary>
    public static SearchParser Default { get; } = new(SearchParameterRegistry.Default);

    public SearchOptions Options { get; }

    /// <summary>
    /// Parses one search. <paramref name="resourceType"/> is the type in the URL, or null for a system-level
    /// search (<c>GET [base]?_type=...</c>). <paramref name="parameters"/> are the decoded query (or form)
    /// parameters in order; a repeated key is AND, commas inside a value are OR.
    /// </summary>
    /// <exception cref="FhirException">400 for anything malformed or unsupported (see the class remarks).</exception>
    public SearchRequest Parse(string? resourceType, IEnumerable<KeyValuePair<string, string>> parameters, SearchHandling handling = SearchHandling.Lenient)
        => new Run(this, resourceType, parameters.ToList(), handling).Execute();

    /// <summary>Parses a raw query string (see <see cref="QueryString.Parse"/>).</summary>
    public SearchRequest ParseQueryString(string? resourceType, string? queryString, SearchHandling handling = SearchHandling.Lenient)
        => Parse(resourceType, QueryString.Parse(queryString), handling);

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex ElementRegex();

    /// <summary>Parameters the R4 spec defines that this server does not implement.</summary>
    private static readonly HashSet<string> UnsupportedControl =
        ["_contained", "_containedType", "_score", "_text", "_content", "_list", "_query", "_filter", "_graph"];

    /// <summary>Parameters that concern the response format, handled by the REST layer; ignored here.</summary>
    private static readonly HashSet<string> FormatParameters = ["_format", "_pretty"];

    private sealed class FrozenModifierSets
    {
        public readonly Dictionary<SearchParamType, SearchModifier[]> Supported = new()
        {
            [SearchParamType.String] = [SearchModifier.Missing, SearchModifier.Exact, SearchModifier.Contains],
            [SearchParamType.Token] = [SearchModifier.Missing, SearchModifier.Not, SearchModifier.Text],
            [SearchParamType.Reference] = [SearchModifier.Missing, SearchModifier.Type],
            [SearchParamType.Date] = [SearchModifier.Missing],
            [SearchParamType.Number] = [SearchModifier.Missing],
            [SearchParamType.Quantity] = [SearchModifier.Missing],
            [SearchParamType.Uri] = [SearchModifier.Missing, SearchModifier.Below, SearchModifier.Above],
        };

        /// <summary>R4 modifiers valid for the type that this server does not implement.</summary>
        public readonly Dictionary<SearchParamType, string[]> Unsupported = new()
        {
            [SearchParamType.Token] = ["in", "not-in", "below", "above", "of-type"],
            [SearchParamType.Reference] = ["identifier", "below", "above"],
        };
    }

    private static SearchModifier? ModifierByName(string name) => name switch
    {
        "missing" => SearchModifier.Missing,
        "exact" => SearchModifier.Exact,
        "contains" => SearchModifier.Contains,
        "text" => SearchModifier.Text,
        "not" => SearchModifier.Not,
        "below" => SearchModifier.Below,
        "above" => SearchModifier.Above,
        _ => null,
    };

    private static bool AnyTarget(IReadOnlyCollection<string> targets) => targets.Count == 0 || targets.Contains("Resource");

    /// <summary>The state of one Parse call.</summary>
    private sealed class Run(SearchParser parser, string? resourceType, List<KeyValuePair<string, string>> pairs, SearchHandling handling)
    {
        private readonly SearchParameterRegistry _registry = parser._registry;
        private readonly List<string> _warnings = [];
        private readonly List<SearchCriterion> _criteria = [];
        private readonly List<SortKey> _sort = [];
        private readonly List<IncludeSpec> _includes = [];
        private readonly List<IncludeSpec> _revIncludes = [];
        private readonly List<string> _elements = [];
        private readonly HashSet<string> _seenSingle = new(StringComparer.Ordinal);
        private List<string> _types = [];
        private bool _typeGiven;
        private int? _count;
        private int _offset;
        private SummaryMode? _summary;
        private TotalMode? _total;
        private bool _iterateWarned;

        private bool Strict => handling == SearchHandling.Strict;

        private string TypesText =>
            _types.Count == 0 ? FhirText.SearchAnyResourceType : string.Join(", ", _types);

        public SearchRequest Execute()
        {
            if (resourceType is not null && !_registry.IsKnownType(resourceType))
                throw FhirException.BadRequest(Text.Format(FhirText.SearchUnknownType, resourceType));

            if (resourceType is not null) _types = [resourceType];
            RefuseControlCharacters();
            ReadTypes();

            foreach (var (key, value) in pairs)
            {
                if (key.Length == 0 || key == "_type") continue;
                var baseName = key.Split(':')[0];
                switch (baseName)
                {
                    case "_count":
                        NoModifier(key, baseName);
                        Once(key);
                        _count = NonNegative(key, value);
                        break;
                    case "_offset":
                        NoModifier(key, baseName);
                        Once(key);
                        _offset = NonNegative(key, value);
                        break;
                    case "_sort":
                        NoModifier(key, baseName);
                        ReadSort(value);
                        break;
                    case "_summary":
                        NoModifier(key, baseName);
                        Once(key);
                        _summary = value switch
                        {
                            "true" => SummaryMode.True,
                            "text" => SummaryMode.Text,
                            "data" => SummaryMode.Data,
                            "count" => SummaryMode.Count,
                            "false" => SummaryMode.False,
                            _ => throw FhirException.BadRequest(Text.Format(FhirText.SearchInvalidSummary, value)),
                        };
                        break;
                    case "_total":
                        NoModifier(key, baseName);
                        Once(key);
                        _total = value switch
                        {
                            "none" => TotalMode.None,
                            "estimate" => TotalMode.Estimate,
                            "accurate" => TotalMode.Accurate,
                            _ => throw FhirException.BadRequest(Text.Format(FhirText.SearchInvalidTotal, value)),
                        };
                        break;
                    case "_elements":
                        NoModifier(key, baseName);
                        ReadElements(value);
                        break;
                    case "_include":
                    case "_revinclude":
                        ReadInclude(key, baseName, value);
                        break;
                    case "_has":
                        ReadHas(key, value);
                        break;
                    default:
                        if (FormatParameters.Contains(baseName)) break;
                        if (UnsupportedControl.Contains(baseName))
                        {
                            if (Strict) throw FhirException.NotSupported(Text.Format(FhirText.SearchParameterNotImplemented, baseName));
                            _warnings.Add(Text.Format(FhirText.SearchParameterNotImplementedIgnored, baseName));
                            break;
                        }
                        ReadCriterion(key, value);
                        break;
                }
            }

            var count = _count ?? Math.Min(parser.Options.DefaultCount, parser.Options.MaxCount);
            if (count > parser.Options.MaxCount)
            {
                _warnings.Add(Text.Format(FhirText.SearchCountAboveMaximum, count, parser.Options.MaxCount));
                count = parser.Options.MaxCount;
            }

            return new SearchRequest
            {
                ResourceType = resourceType,
                Types = _types.ToArray(),
                TypeGiven = _typeGiven,
                Criteria = _criteria.ToArray(),
                Count = count,
                Offset = _offset,
                Sort = _sort.ToArray(),
                Includes = _includes.ToArray(),
                RevIncludes = _revIncludes.ToArray(),
                IncludeLimit = parser.Options.MaxIncludes,
                Summary = _summary,
                Elements = _elements.ToArray(),
                Total = _total,
                Handling = handling,
                Warnings = _warnings.ToArray(),
            };
        }

        // ---- helpers -------------------------------------------------------------------------

        /// <summary>An unknown parameter: 400 when strict, otherwise a warning.</summary>
        private void Unknown(string message)
        {
            if (Strict) throw FhirException.BadRequest(message + ".");
            _warnings.Add(Text.Format(FhirText.SearchIgnored, message));
        }

        private void Once(string key)
        {
            if (!_seenSingle.Add(key)) throw FhirException.BadRequest(Text.Format(FhirText.SearchOnlyOnce, key));
        }

        /// <summary>
        /// A control character (U+0000 to U+001F, U+007F to U+009F) has no place in a search and PostgreSQL cannot even take a NUL as a
        /// parameter: refused before any value is read, whichever way the query came (URL, form, If-None-Exist, a bundle entry).
        /// </summary>
        private void RefuseControlCharacters()
        {
            foreach (var (key, value) in pairs)
            {
                if (key.Any(char.IsControl) || value.Any(char.IsControl))
                    throw FhirException.BadRequest(Text.Format(FhirText.ControlCharacterInSearch, Serialization.FhirJson.Printable(key)));
            }
        }

        private static void NoModifier(string key, string baseName)
        {
            if (key != baseName) throw FhirException.BadRequest(Text.Format(FhirText.SearchTakesNoModifier, baseName, key));
        }

        private static int NonNegative(string key, string value)
        {
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                throw FhirException.BadRequest(Text.Format(FhirText.SearchInvalidWholeNumber, key, value));
            return n;
        }

        private void ReadTypes()
        {
            foreach (var (key, value) in pairs)
            {
                if (key != "_type") continue;
                if (resourceType is not null)
                {
                    Unknown(Text.Format(FhirText.SearchTypeOnlyAcrossTypes, resourceType));
                    continue;
                }
                if (!_typeGiven) _types = [];
                _typeGiven = true;
                foreach (var item in value.Split(','))
                {
                    var t = item.Trim();
                    if (t.Length == 0) continue;
                    if (!_registry.IsKnownType(t)) throw FhirException.BadRequest(Text.Format(FhirText.SearchUnknownTypeInType, t));
                    if (!_types.Contains(t)) _types.Add(t);
                }
            }
            if (_typeGiven && _types.Count == 0) throw FhirException.BadRequest(FhirText.SearchTypeNamesNoType);
        }

        /// <summary>A parameter looked up on every searched type: it must exist on all of them with one type.</summary>
        private (SearchParamType Type, IReadOnlyList<string> Targets)? Lookup(string name, IEnumerable<string> types)
        {
            SearchParamType? kind = null;
            var targets = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var type in types)
            {
                var p = _registry.Find(type, name);
                if (p is null) return null;
                if (kind is not null && kind != p.Type)
                    throw FhirException.BadRequest(Text.Format(FhirText.SearchParameterTypeDiffers, name));
                kind = p.Type;
                targets.UnionWith(p.Targets);
            }
            return kind is null ? null : (kind.Value, targets.ToArray());
        }

        private IEnumerable<string> SearchedTypes => _types.Count > 0 ? _types : _registry.ResourceTypes;

        private static (string Name, string? Modifier) SplitModifier(string key)
        {
            var colon = key.IndexOf(':');
            return colon < 0 ? (key, null) : (key[..colon], key[(colon + 1)..]);
        }

        // ---- criteria ------------------------------------------------------------------------

        private void ReadCriterion(string key, string value)
        {
            var dot = key.IndexOf('.');
            SearchCriterion? criterion;
            if (dot >= 0)
            {
                var unknown = _warnings.Count;
                criterion = ReadChain(key, value, key[..dot], key[(dot + 1)..]);
                if (criterion is null && _warnings.Count > unknown) return; // unknown, already reported
            }
            else
            {
                var (name, modifier) = SplitModifier(key);
                var info = Lookup(name, SearchedTypes);
                if (info is null)
                {
                    Unknown(Text.Format(FhirText.SearchUnknownParameter, name, TypesText));
                    return;
                }
                criterion = Criterion(key, value, name, modifier, info.Value.Type, info.Value.Targets);
            }

            if (criterion is null)
                _warnings.Add(Text.Format(FhirText.SearchParameterWithoutValue, key));
            else
                _criteria.Add(criterion);
        }

        private ChainCriterion? ReadChain(string key, string value, string head, string tail)
        {
            var (name, typeModifier) = SplitModifier(head);
            var info = Lookup(name, SearchedTypes);
            if (info is null)
            {
                Unknown(Text.Format(FhirText.SearchUnknownParameterInChain, name, TypesText, key));
                return null;
            }
            if (info.Value.Type != SearchParamType.Reference)
                throw FhirException.BadRequest(Text.Format(FhirText.SearchCannotChain, name, key));
            if (tail.Contains('.'))
                throw FhirException.NotSupported(Text.Format(FhirText.SearchChainTooDeep, key));

            var targets = info.Value.Targets;
            IReadOnlyList<string> candidates;
            if (typeModifier is not null)
            {
                if (!_registry.IsKnownType(typeModifier))
                    throw FhirException.BadRequest(Text.Format(FhirText.SearchChainModifierNotAType, typeModifier, key));
                if (!AnyTarget(targets) && !targets.Contains(typeModifier))
                    throw FhirException.BadRequest(Text.Format(FhirText.SearchCannotReferTo, name, typeModifier, key));
                candidates = [typeModifier];
            }
            else
            {
                if (AnyTarget(targets))
                    throw FhirException.BadRequest(Text.Format(FhirText.SearchChainNeedsType, name, tail));
                candidates = targets;
            }

            var (chainedName, chainedModifier) = SplitModifier(tail);
            var withParam = candidates.Where(t => _registry.Find(t, chainedName) is not null).ToArray();
            if (withParam.Length == 0)
                throw FhirException.BadRequest(
                    Text.Format(FhirText.SearchChainNoTargetHasParameter, name, string.Join(", ", candidates), chainedName, key));

            var chained = Lookup(chainedName, withParam)!.Value;
            var target = Criterion(key, value, chainedName, chainedModifier, chained.Type, chained.Targets);
            return target is null ? null : new ChainCriterion(key, target.RawValue, name, withParam, target);
        }

        private void ReadHas(string key, string value)
        {
            // _has:Observation:patient:code[:modifier]=value
            var parts = key.Split(':');
            if (parts.Length < 4 || parts[1].Length == 0 || parts[2].Length == 0 || parts[3].Length == 0)
                throw FhirException.BadRequest(Text.Format(FhirText.SearchInvalidHas, key));
            if (parts[3] == "_has" || parts[3].Contains('.'))
                throw FhirException.NotSupported(Text.Format(FhirText.SearchNestedHas, key));

            var source = parts[1];
            if (!_registry.IsKnownType(source))
                throw FhirException.BadRequest(Text.Format(FhirText.SearchUnknownTypeIn, source, key));
            var reference = _registry.Find(source, parts[2]);
            if (reference is null || reference.Type != SearchParamType.Reference)
                throw FhirException.BadRequest(Text.Format(FhirText.SearchNotAReferenceOf, parts[2], source, key));
            if (_types.Count > 0 && !AnyTarget(reference.Targets) && !_types.Any(reference.Targets.Contains))
                throw FhirException.BadRequest(Text.Format(FhirText.SearchHasCannotReferTo, source, parts[2], TypesText, key));

            var inner = _registry.Find(source, parts[3])
                ?? throw FhirException.BadRequest(Text.Format(FhirText.SearchUnknownParameterIn, parts[3], source, key));
            var modifier = parts.Length > 4 ? string.Join(':', parts[4..]) : null;
            var criterion = Criterion(key, value, inner.Name, modifier, inner.Type, inner.Targets);
            if (criterion is null)
                _warnings.Add(Text.Format(FhirText.SearchParameterWithoutValue, key));
            else
                _criteria.Add(new HasCriterion(key, criterion.RawValue, source, reference.Name, criterion));
        }

        /// <summary>One parameter with its modifier and OR-values; null when the value is empty.</summary>
        private ParamCriterion? Criterion(string key, string rawValue, string name, string? modifierText, SearchParamType type, IReadOnlyList<string> targets)
        {
            var (modifier, typeModifier) = ReadModifier(key, name, modifierText, type, targets);

            // An unencoded '+' of a time zone offset arrives as a space: canonical form has the '+'.
            if (type == SearchParamType.Date) rawValue = rawValue.Replace(' ', '+');

            if (modifier == SearchModifier.Missing)
            {
                var missing = rawValue switch
                {
                    "true" => true,
                    "false" => false,
                    _ => throw FhirException.BadRequest(Text.Format(FhirText.SearchInvalidBoolean, rawValue, key)),
                };
                return new ParamCriterion(key, rawValue, name, type, modifier, null, [new MissingSearchValue(missing)]);
            }

            var parts = QueryString.SplitUnescaped(rawValue, ',').Where(p => p.Length > 0).ToArray();
            if (parts.Length == 0) return null;
            var values = parts.Select(p => Value(key, name, type, modifier, typeModifier, p)).ToArray();
            return new ParamCriterion(key, rawValue, name, type, modifier, typeModifier, values);
        }

        private (SearchModifier, string?) ReadModifier(string key, string name, string? text, SearchParamType type, IReadOnlyList<string> targets)
        {
            if (text is null) return (SearchModifier.None, null);
            var supported = Modifiers.Supported.GetValueOrDefault(type, []);

            if (type == SearchParamType.Reference && _registry.IsKnownType(text))
            {
                if (!AnyTarget(targets) && !targets.Contains(text))
                    throw FhirException.BadRequest(Text.Format(FhirText.SearchCannotReferTo, name, text, key));
                return (SearchModifier.Type, text);
            }

            var modifier = ModifierByName(text);
            if (name is "_id" && modifier is SearchModifier.Text)
                modifier = null; // _id has no text
            if (modifier is { } m && supported.Contains(m))
                return (m, null);
            if (Modifiers.Unsupported.GetValueOrDefault(type, []).Contains(text))
                throw FhirException.NotSupported(Text.Format(FhirText.SearchModifierNotImplemented, text, key));
            throw FhirException.BadRequest(Text.Format(FhirText.SearchUnknownModifier, text, type.ToString().ToLowerInvariant(), name, key));
        }

        private SearchValue Value(string key, string name, SearchParamType type, SearchModifier modifier, string? typeModifier, string part)
        {
            switch (type)
            {
                case SearchParamType.String:
                {
                    var s = QueryString.Unescape(part);
                    return new StringSearchValue(s, TextNormalizer.Normalize(s));
                }
                case SearchParamType.Token:
                {
                    if (modifier == SearchModifier.Text)
                    {
                        var s = QueryString.Unescape(part);
                        return new StringSearchValue(s, TextNormalizer.Normalize(s));
                    }
                    if (name == "_id") return new TokenSearchValue(null, QueryString.Unescape(part));
                    var bar = QueryString.SplitUnescaped(part, '|');
                    if (bar.Count == 1) return new TokenSearchValue(null, QueryString.Unescape(part));
                    if (bar.Count > 2 || (bar[0].Length == 0 && bar[1].Length == 0))
                        throw FhirException.BadRequest(Text.Format(FhirText.SearchInvalidToken, part, key));
                    return new TokenSearchValue(QueryString.Unescape(bar[0]), bar[1].Length == 0 ? null : QueryString.Unescape(bar[1]));
                }
                case SearchParamType.Reference:
                    return Reference(key, QueryString.Unescape(part), typeModifier);
                case SearchParamType.Date:
                {
                    var (prefix, rest) = SearchValues.SplitPrefix(part, name);
                    var (start, end) = SearchValues.ParseDate(rest, name);
                    if (prefix == SearchPrefix.Ap)
                        (start, end) = SearchValues.Approximate(start, end, parser._time.GetUtcNow().ToUnixTimeMilliseconds());
                    return new DateSearchValue(prefix, start, end);
                }
                case SearchParamType.Number:
                {
                    var (prefix, rest) = SearchValues.SplitPrefix(part, name);
                    var (value, low, high) = SearchValues.ParseNumber(rest, name);
                    if (prefix == SearchPrefix.Ap) (low, high) = SearchValues.Approximate(value, low, high);
                    return new NumberSearchValue(prefix, value, low, high);
                }
                case SearchParamType.Quantity:
                {
                    var bar = QueryString.SplitUnescaped(part, '|');
                    if (bar.Count is not (1 or 3))
                        throw FhirException.BadRequest(Text.Format(FhirText.SearchInvalidQuantity, part, key));
                    var (prefix, rest) = SearchValues.SplitPrefix(bar[0], name);
                    var (value, low, high) = SearchValues.ParseNumber(rest, name);
                    if (prefix == SearchPrefix.Ap) (low, high) = SearchValues.Approximate(value, low, high);
                    string? system = null, code = null;
                    if (bar.Count == 3)
                    {
                        system = bar[1].Length == 0 ? null : QueryString.Unescape(bar[1]);
                        code = bar[2].Length == 0 ? null : QueryString.Unescape(bar[2]);
                    }
                    return new QuantitySearchValue(prefix, value, low, high, system, code);
                }
                case SearchParamType.Uri:
                    return new UriSearchValue(QueryString.Unescape(part));
                default:
                    throw FhirException.NotSupported(Text.Format(FhirText.SearchParameterTypeNotSupported, name, type));
            }
        }

        private ReferenceSearchValue Reference(string key, string value, string? typeModifier)
        {
            if (value.Contains("://", StringComparison.Ordinal) || value.StartsWith("urn:", StringComparison.OrdinalIgnoreCase))
            {
                // [base]/Type/id[/_history/v] also matches the local reference Type/id.
                var path = value;
                var history = path.IndexOf("/_history/", StringComparison.Ordinal);
                if (history >= 0) path = path[..history];
                var segments = path.Split('/');
                if (segments.Length >= 2 && _registry.IsKnownType(segments[^2]) && segments[^1].Length > 0
                    && (typeModifier is null || typeModifier == segments[^2]))
                    return new ReferenceSearchValue(segments[^2], segments[^1], value);
                return new ReferenceSearchValue(null, null, value);
            }

            if (value.Contains('/'))
            {
                var segments = value.Split('/');
                if (!((segments.Length == 2 || (segments.Length == 4 && segments[2] == "_history" && segments[3].Length > 0))
                      && _registry.IsKnownType(segments[0]) && segments[1].Length > 0))
                    throw FhirException.BadRequest(Text.Format(FhirText.SearchInvalidReference, value, key));
                if (typeModifier is not null && typeModifier != segments[0])
                    throw FhirException.BadRequest(Text.Format(FhirText.SearchReferenceTypeMismatch, value, key));
                return new ReferenceSearchValue(segments[0], segments[1], null);
            }

            return new ReferenceSearchValue(typeModifier, value, null);
        }

        // ---- result parameters ---------------------------------------------------------------

        private void ReadSort(string value)
        {
            foreach (var item in value.Split(','))
            {
                var s = item.Trim();
                if (s.Length == 0) continue;
                var descending = s[0] == '-';
                var name = descending ? s[1..] : s;
                if (name.Length == 0) throw FhirException.BadRequest(Text.Format(FhirText.SearchInvalidSort, value));
                if (name.Contains(':') || name.Contains('.'))
                    throw FhirException.NotSupported(Text.Format(FhirText.SearchSortKeyWithModifier, name));
                if (name == "_score")
                {
                    Unknown(FhirText.SearchSortByScore);
                    continue;
                }
                var info = Lookup(name, SearchedTypes);
                if (info is null)
                {
                    Unknown(Text.Format(FhirText.SearchUnknownSortParameter, name, TypesText));
                    continue;
                }
                if (_sort.Any(k => k.Name == name)) continue;
                _sort.Add(new SortKey(name, info.Value.Type, descending));
            }
        }

        private void ReadElements(string value)
        {
            foreach (var item in value.Split(','))
            {
                var e = item.Trim();
                if (e.Length == 0) continue;
                if (!ElementRegex().IsMatch(e)) throw FhirException.BadRequest(Text.Format(FhirText.SearchInvalidElement, e));
                if (!_elements.Contains(e)) _elements.Add(e);
            }
        }

        private void ReadInclude(string key, string baseName, string value)
        {
            var iterate = false;
            if (key != baseName)
            {
                var modifier = key[(baseName.Length + 1)..];
                if (modifier is not ("iterate" or "recurse"))
                    throw FhirException.BadRequest(Text.Format(FhirText.SearchIncludeUnknownModifier, modifier, baseName));
                iterate = true;
            }

            var list = baseName == "_include" ? _includes : _revIncludes;
            IncludeSpec spec;
            if (value == "*")
            {
                spec = new IncludeSpec(null, "*", null, iterate);
            }
            else
            {
                var parts = value.Split(':');
                if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0))
                    throw FhirException.BadRequest(Text.Format(FhirText.SearchInvalidInclude, key, value));
                var source = parts[0];
                if (!_registry.IsKnownType(source))
                    throw FhirException.BadRequest(Text.Format(FhirText.SearchUnknownTypeInInclude, source, key, value));
                SearchParam? param = null;
                if (parts[1] != "*")
                {
                    param = _registry.Find(source, parts[1]);
                    if (param is null)
                    {
                        Unknown(Text.Format(FhirText.SearchIncludeUnknownParameter, parts[1], source, key, value));
                        return;
                    }
                    if (param.Type != SearchParamType.Reference)
                        throw FhirException.BadRequest(Text.Format(FhirText.SearchIncludeNotAReference, source, parts[1], key, value));
                }
                string? target = null;
                if (parts.Length == 3)
                {
                    target = parts[2];
                    if (!_registry.IsKnownType(target))
                        throw FhirException.BadRequest(Text.Format(FhirText.SearchUnknownTypeInInclude, target, key, value));
                    if (param is not null && !AnyTarget(param.Targets) && !param.Targets.Contains(target))
                        throw FhirException.BadRequest(Text.Format(FhirText.SearchIncludeCannotReferTo, source, parts[1], target, key, value));
                }
                spec = new IncludeSpec(source, parts[1], target, iterate);
            }

            if (iterate && !_iterateWarned)
            {
                _warnings.Add(Text.Format(FhirText.SearchIncludeOneLevel, key));
                _iterateWarned = true;
            }
            if (!list.Contains(spec)) list.Add(spec);
        }
    }
}
