using System.Text;
using ArchUnitNET.Domain;
using ArchUnitNET.Loader;

namespace Toolgrid.Tests.Architecture;

/// <summary>
/// The folders of one assembly as layers: each namespace one level below the root namespace is a slice
/// (types in the root namespace itself are the slice <see cref="Root"/>), and a slice depends on another
/// when one of its types uses one of the other's. The uses are read from the compiled IL by ArchUnitNET,
/// so a fully qualified name, a type in the same namespace, a base type, a generic argument or a call in
/// a method body all count, however the source spelled them.
/// </summary>
public sealed class FolderLayers
{
    /// <summary>The slice of the types declared in the root namespace.</summary>
    public const string Root = "root";

    private readonly string _rootNamespace;
    private readonly SortedDictionary<string, SortedDictionary<string, SortedSet<string>>> _uses = new(StringComparer.Ordinal);

    private FolderLayers(string rootNamespace) => _rootNamespace = rootNamespace;

    /// <summary>The slices of the types of <paramref name="assembly"/> in <paramref name="rootNamespace"/> and below.</summary>
    public static FolderLayers Of(System.Reflection.Assembly assembly, string rootNamespace)
    {
        var layers = new FolderLayers(rootNamespace);
        var architecture = new ArchLoader().LoadAssemblies(assembly).Build();
        foreach (var type in architecture.Types)
        {
            if (layers.SliceOf(type) is not { } from)
            {
                continue;
            }

            foreach (var dependency in type.Dependencies)
            {
                if (dependency.Target.Assembly?.FullName == type.Assembly.FullName
                    && layers.SliceOf(dependency.Target) is { } to
                    && to != from
                    && !IsMemberReadAsType(dependency.Target.FullName))
                {
                    layers.Add(from, to, $"{type.FullName} -> {dependency.Target.FullName}");
                }
            }
        }

        return layers;
    }

    // The IL reader can take a reference to a compiler-generated member (a private helper that
    // each source-generated JSON context has, of the same name and signature) for a type named
    // "ReturnType Namespace.Type::Member(...)", in the wrong context. No source line makes that
    // use; a real type's name never holds "::".
    private static bool IsMemberReadAsType(string fullName) =>
        fullName.Contains("::", StringComparison.Ordinal);

    /// <summary>The slices <paramref name="slice"/> uses.</summary>
    public IEnumerable<string> Uses(string slice) =>
        _uses.TryGetValue(slice, out var targets) ? targets.Keys : [];

    /// <summary>The dependency loops: each group of slices that reach one another, named in order.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var cycles = new List<IReadOnlyList<string>>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);

        void Visit(string slice)
        {
            index[slice] = low[slice] = index.Count;
            stack.Push(slice);
            onStack.Add(slice);
            foreach (var next in Uses(slice))
            {
                if (!index.TryGetValue(next, out var nextIndex))
                {
                    Visit(next);
                    low[slice] = Math.Min(low[slice], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[slice] = Math.Min(low[slice], nextIndex);
                }
            }

            if (low[slice] != index[slice])
            {
                return;
            }

            var group = new List<string>();
            string member;
            do
            {
                member = stack.Pop();
                onStack.Remove(member);
                group.Add(member);
            }
            while (member != slice);

            if (group.Count > 1)
            {
                group.Sort(StringComparer.Ordinal);
                cycles.Add(group);
            }
        }

        foreach (var slice in _uses.Keys)
        {
            if (!index.ContainsKey(slice))
            {
                Visit(slice);
            }
        }

        return cycles;
    }

    /// <summary>
    /// What a failing check says: per loop, its slices, then each use between two of them with one
    /// example type pair, so the type to move or the dependency to turn around can be seen.
    /// </summary>
    public string Describe(IReadOnlyList<IReadOnlyList<string>> cycles)
    {
        var text = new StringBuilder();
        foreach (var cycle in cycles)
        {
            text.Append(_rootNamespace).Append(": folders in a dependency loop: ").AppendJoin(" <-> ", cycle).AppendLine();
            foreach (var from in cycle)
            {
                foreach (var to in Uses(from).Where(cycle.Contains))
                {
                    var examples = _uses[from][to];
                    text.Append("  ").Append(from).Append(" -> ").Append(to).Append(" (").Append(examples.Count).Append(" uses), e.g. ")
                        .AppendLine(examples.Min);
                }
            }
        }

        return text.ToString();
    }

    private void Add(string from, string to, string example)
    {
        if (!_uses.TryGetValue(from, out var targets))
        {
            _uses[from] = targets = new(StringComparer.Ordinal);
        }

        if (!targets.TryGetValue(to, out var examples))
        {
            targets[to] = examples = new(StringComparer.Ordinal);
        }

        examples.Add(example);
    }

    private string? SliceOf(IType type)
    {
        var ns = type.Namespace?.FullName ?? "";
        if (ns == _rootNamespace)
        {
            return Root;
        }

        if (!ns.StartsWith(_rootNamespace + ".", StringComparison.Ordinal))
        {
            return null;
        }

        var rest = ns[(_rootNamespace.Length + 1)..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? rest : rest[..dot];
    }
}
