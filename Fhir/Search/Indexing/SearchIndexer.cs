using System.Collections.Concurrent;
using System.Diagnostics;
using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;
using Hl7.FhirPath;
using Hl7.FhirPath.Expressions;

namespace Pgo.Fhir.Search.Indexing;

/// <summary>
/// Something the indexer could not index: an expression that threw for a resource (<see cref="Error"/>),
/// or a value of a type the parameter's kind has no rule for (<see cref="ValueType"/>).
/// The resource is still written; only that parameter (or value) is missing from the index.
/// </summary>
public sealed record IndexingProblem(string ResourceType, string? ResourceId, string Param, Exception? Error, string? ValueType);

/// <summary>
/// Generic search indexer: evaluates the FHIRPath expression of every search parameter of the
/// resource's type (<see cref="SearchParameterRegistry"/>) against the POCO and turns the selected
/// elements into typed index rows, one extractor per parameter kind. No per-resource code.
/// <para>Each (type, parameter) is prepared once, lazily: the expression is split on its top-level unions,
/// pruned to the branches that start at this type (<see cref="IndexExpression"/>), and every branch
/// that is a plain path runs on <see cref="FastPath"/>; the few others go to the SDK's FHIRPath engine.
/// <c>resolve()</c> is answered from the reference text alone ("Patient/1" resolves to an empty Patient),
/// so <c>where(resolve() is Patient)</c> works without I/O.</para>
/// <para>A parameter whose evaluation throws is left out for that resource (reported through
/// <c>onProblem</c>); the write goes on. Thread-safe; one instance serves the whole process.</para>
/// </summary>
public sealed class SearchIndexer : ISearchIndexer
{
    private static readonly SymbolTable Symbols = new SymbolTable().AddStandardFP().AddFhirExtensions();

    private readonly Func<string, IEnumerable<SearchParam>> _parametersFor;
    private readonly Action<IndexingProblem>? _onProblem;
    private readonly FhirPathCompiler _compiler = new(Symbols);
    private readonly ConcurrentDictionary<string, Lazy<TypePlan>> _plans = new(StringComparer.Ordinal);
    private readonly bool _useFastPaths;
    private long _problemCount;

    /// <param name="registry">The parameters to index; <see cref="SearchParameterRegistry.Default"/> when null.</param>
    /// <param name="onProblem">Told about every expression that throws and every value no rule covers (for logging).</param>
    public SearchIndexer(SearchParameterRegistry? registry = null, Action<IndexingProblem>? onProblem = null)
        : this((registry ?? SearchParameterRegistry.Default).For, onProblem, useFastPaths: true)
    {
    }

    /// <param name="parametersFor">The parameters of a resource type.</param>
    /// <param name="onProblem">See the public constructor.</param>
    /// <param name="useFastPaths">False evaluates every expression with the FHIRPath engine (tests compare both).</param>
    internal SearchIndexer(Func<string, IEnumerable<SearchParam>> parametersFor, Action<IndexingProblem>? onProblem, bool useFastPaths)
    {
        _parametersFor = parametersFor;
        _onProblem = onProblem;
        _useFastPaths = useFastPaths;
    }

    /// <summary>How many problems (throwing expressions, values without a rule) have been met so far.</summary>
    public long ProblemCount => Interlocked.Read(ref _problemCount);

    public ResourceIndex Extract(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var typeName = resource.TypeName;
        var plan = _plans.GetOrAdd(typeName, static (t, self) => new Lazy<TypePlan>(() => self.BuildPlan(t)), this).Value;

        var index = new ResourceIndex();
        var evaluation = new Evaluation(resource);
        var values = new List<Base>();

        foreach (var param in plan.Params)
        {
            var mark = new Mark(index);
            try
            {
                values.Clear();
                foreach (var branch in param.Branches)
                    branch.Select(evaluation, values, dedupe: param.Branches.Length > 1);
                foreach (var value in values)
                    if (!Extract(param, value, index))
                        Report(new IndexingProblem(typeName, resource.Id, param.Name, null, value.TypeName));
            }
            catch (Exception ex)
            {
                mark.Rollback(index);
                Report(new IndexingProblem(typeName, resource.Id, param.Name, ex, null));
            }
        }

        AddPatientCompartment(plan, resource, index);
        return index;
    }

    private static bool Extract(ParamPlan param, Base value, ResourceIndex index) => param.Type switch
    {
        SearchParamType.String => StringExtractor.Extract(param.Name, value, index),
        SearchParamType.Token => TokenExtractor.Extract(param.Name, value, index),
        SearchParamType.Reference => ReferenceExtractor.Extract(param.Name, value, index),
        SearchParamType.Date => DateExtractor.Extract(param.Name, value, index),
        SearchParamType.Number => NumberExtractor.Extract(param.Name, value, index),
        SearchParamType.Quantity => QuantityExtractor.Extract(param.Name, value, index),
        SearchParamType.Uri => UriExtractor.Extract(param.Name, value, index),
        _ => true,
    };

    private static void AddPatientCompartment(TypePlan plan, Resource resource, ResourceIndex index)
    {
        var compartment = index.PatientCompartment;
        if (plan.IsPatient && !string.IsNullOrEmpty(resource.Id)) compartment.Add(resource.Id);
        if (plan.CompartmentParams.Length == 0) return;

        // Only local references ("Patient/1") count: an absolute URL may name a Patient on another server
        // that merely shares an id with one here, and compartments decide access.
        foreach (var reference in index.References)
        {
            if (reference.TargetType != "Patient" || reference.TargetId is not { Length: > 0 } id || reference.Url is not null) continue;
            if (Array.IndexOf(plan.CompartmentParams, reference.Param) < 0) continue;
            if (!compartment.Contains(id)) compartment.Add(id);
        }
    }

    /// <summary>
    /// Answers resolve() from the reference alone: "Patient/1", ".../Patient/1/_history/2" and absolute URLs
    /// ending in Type/id give an empty resource of that type (with that id); anything else is unresolvable.
    /// </summary>
    private static PocoNode ResolveByReference(string reference)
    {
        if (!ReferenceParser.TryParse(reference, out var type, out var id)) return null!;
        if (ModelInfo.ModelInspector.FindClassMapping(type!)?.CreateInstance() is not Resource target) return null!;
        target.Id = id;
        return target.ToPocoNode(ModelInfo.ModelInspector);
    }

    private void Report(IndexingProblem problem)
    {
        Interlocked.Increment(ref _problemCount);
        Debug.WriteLine($"Search indexing: {problem.ResourceType}/{problem.ResourceId} {problem.Param}: {problem.Error?.Message ?? "no rule for " + problem.ValueType}");
        _onProblem?.Invoke(problem);
    }

    /// <summary>Searched on the resource row (res_id, last_updated), never through index rows: not indexed.</summary>
    private static readonly string[] OnResourceRow = ["_id", "_lastUpdated"];

    private TypePlan BuildPlan(string resourceType)
    {
        var parameters = new List<ParamPlan>();
        foreach (var sp in _parametersFor(resourceType))
        {
            if (sp.Expression is null || OnResourceRow.Contains(sp.Name)) continue;
            var texts = IndexExpression.BranchesFor(sp.Expression, resourceType);
            if (texts.Count == 0) continue;
            var branches = new Branch[texts.Count];
            try
            {
                for (var i = 0; i < branches.Length; i++)
                    branches[i] = (_useFastPaths ? FastPath.TryParse(texts[i], resourceType) : null) is { } fast
                        ? new FastBranch(fast)
                        : new FhirPathBranch(Compile(texts[i]));
            }
            catch (Exception ex)
            {
                Report(new IndexingProblem(resourceType, null, sp.Name, ex, null));
                continue;
            }
            parameters.Add(new ParamPlan(sp.Name, sp.Type, branches));
        }
        return new TypePlan(parameters.ToArray(), [.. PatientCompartmentDefinition.ParamsFor(resourceType)], resourceType == "Patient");
    }

    // Plans for different types may be built at once; compiling is rare, so one lock keeps the compiler safe.
    private CompiledExpression Compile(string expression)
    {
        lock (_compiler) return _compiler.Compile(expression);
    }

    /// <summary>How the plan for a type evaluates each parameter, for tests: "fast" or "fhirpath" per branch.</summary>
    internal IReadOnlyList<(string Param, string[] Branches)> Describe(string resourceType) =>
        _plans.GetOrAdd(resourceType, static (t, self) => new Lazy<TypePlan>(() => self.BuildPlan(t)), this).Value.Params
            .Select(p => (p.Name, p.Branches.Select(b => b.ToString()!).ToArray())).ToArray();

    private sealed record ParamPlan(string Name, SearchParamType Type, Branch[] Branches);

    private sealed record TypePlan(ParamPlan[] Params, string[] CompartmentParams, bool IsPatient);

    /// <summary>Per-Extract state: the resource, its FHIRPath node and context (made only when a branch needs them), scratch lists.</summary>
    private sealed class Evaluation(Resource resource)
    {
        private PocoNode[]? _input;
        private FhirEvaluationContext? _context;

        public Resource Resource { get; } = resource;
        public List<Base> ScratchA { get; } = [];
        public List<Base> ScratchB { get; } = [];

        public PocoNode[] Input => _input ??= [Resource.ToPocoNode(ModelInfo.ModelInspector)];

        public FhirEvaluationContext Context => _context ??= new FhirEvaluationContext
        {
            Resource = Input[0],
            RootResource = Input[0],
            ElementResolver = ResolveByReference,
        };
    }

    private abstract class Branch
    {
        /// <summary>Appends the selected values; with <paramref name="dedupe"/> a value already present (same instance) is not added again.</summary>
        public abstract void Select(Evaluation evaluation, List<Base> values, bool dedupe);

        protected static void Add(List<Base> values, Base value, bool dedupe)
        {
            if (dedupe)
                foreach (var existing in values)
                    if (ReferenceEquals(existing, value)) return;
            values.Add(value);
        }
    }

    private sealed class FastBranch(FastPath path) : Branch
    {
        public override void Select(Evaluation evaluation, List<Base> values, bool dedupe)
        {
            if (!dedupe)
            {
                path.Select(evaluation.Resource, values, evaluation.ScratchA, evaluation.ScratchB);
                return;
            }
            var start = values.Count;
            path.Select(evaluation.Resource, values, evaluation.ScratchA, evaluation.ScratchB);
            // Remove what an earlier branch selected already.
            for (var i = values.Count - 1; i >= start; i--)
                for (var j = 0; j < start; j++)
                    if (ReferenceEquals(values[i], values[j])) { values.RemoveAt(i); break; }
        }

        public override string ToString() => "fast: " + path;
    }

    private sealed class FhirPathBranch(CompiledExpression expression) : Branch
    {
        public override void Select(Evaluation evaluation, List<Base> values, bool dedupe)
        {
            foreach (var node in expression(evaluation.Input, evaluation.Context))
                if (node.Poco is { } value) Add(values, value, dedupe);
        }

        public override string ToString() => "fhirpath";
    }

    /// <summary>Row counts before a parameter, so a parameter that throws halfway leaves no rows behind.</summary>
    private readonly struct Mark(ResourceIndex index)
    {
        private readonly int _strings = index.Strings.Count, _tokens = index.Tokens.Count, _references = index.References.Count,
            _dates = index.Dates.Count, _numbers = index.Numbers.Count, _quantities = index.Quantities.Count, _uris = index.Uris.Count;

        public void Rollback(ResourceIndex index)
        {
            Cut(index.Strings, _strings);
            Cut(index.Tokens, _tokens);
            Cut(index.References, _references);
            Cut(index.Dates, _dates);
            Cut(index.Numbers, _numbers);
            Cut(index.Quantities, _quantities);
            Cut(index.Uris, _uris);
        }

        private static void Cut<T>(List<T> list, int count)
        {
            if (list.Count > count) list.RemoveRange(count, list.Count - count);
        }
    }
}
