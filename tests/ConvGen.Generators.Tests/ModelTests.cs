using System.Reflection;
using ConvGen.Generators.Model;
using ConvGen.Planning;
using ConvGen.Shapes;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generators.Tests;

/// <summary>
/// The pipeline's models compare by value and hold no compiler objects: what lets the incremental driver, and the IDE,
/// reuse a step's output when a compilation changes elsewhere.
/// </summary>
public sealed class ModelTests
{
    private static readonly Type[] CompilerObjects =
        [typeof(ISymbol), typeof(SyntaxNode), typeof(Location), typeof(Compilation), typeof(SemanticModel), typeof(SyntaxTree)];

    public static TheoryData<string> Sources => new()
    {
        Networks.Digits,
        Networks.Mnist,
        // With diagnostics, so their models are compared too.
        DiagnosticAssert.Header + DiagnosticAssert.Network("Conv2d(8, Kernel = 3, Stride = 2, InChannels = 3), Flatten, Dropout(1.5), Linear(100, 10)"),
    };

    [Theory]
    [MemberData(nameof(Sources))]
    public void ParsingTheSameSourceTwiceGivesEqualModels(string source)
    {
        GeneratorRun first = GeneratorDriverHelper.Run(source);
        GeneratorRun second = GeneratorDriverHelper.Run(source);
        AssertEqualButNotSame<ParseResult>(first, second, ConvGenGenerator.StepNames.Parse);
        AssertEqualButNotSame<NetworkAnalysis>(first, second, ConvGenGenerator.StepNames.Analyze);
    }

    [Fact]
    public void NoModelTypeHoldsACompilerObject()
    {
        List<Type> models = ReachableModelTypes(typeof(ParseResult), typeof(NetworkAnalysis)).ToList();
        Assert.Superset(
            new HashSet<Type>
            {
                typeof(NetworkModel), typeof(NetworkInput), typeof(LayerSpec), typeof(LayerKind), typeof(ConvGen.Layers.AxisPair), typeof(NetworkSource), typeof(LayerSource),
                typeof(ArgumentSite), typeof(DiagnosticInfo), typeof(LocationInfo),
            },
            models.ToHashSet());

        IEnumerable<string> leaks =
            from model in models
            from member in Members(model)
            from used in Unwrap(member.Type)
            where CompilerObjects.Any(forbidden => forbidden.IsAssignableFrom(used))
            select model.Name + "." + member.Name + " : " + member.Type.Name;
        Assert.Empty(leaks);
    }

    [Fact]
    public void EveryModelTypeComparesByValue()
    {
        IEnumerable<string> notEquatable =
            from model in ReachableModelTypes(typeof(ParseResult), typeof(NetworkAnalysis))
            where !model.IsEnum
                && (!typeof(IEquatable<>).MakeGenericType(model).IsAssignableFrom(model) || (model.IsClass && !model.IsSealed))
            select model.Name;
        Assert.Empty(notEquatable);
    }

    private static void AssertEqualButNotSame<T>(GeneratorRun first, GeneratorRun second, string step)
        where T : class
    {
        T[] before = first.OutputValues(step).Cast<T>().ToArray();
        T[] after = second.OutputValues(step).Cast<T>().ToArray();
        Assert.NotEmpty(before);
        Assert.Equal(before, after);
        Assert.Equal(before.Select(value => value.GetHashCode()), after.Select(value => value!.GetHashCode()));
        Assert.All(before.Zip(after), pair => Assert.NotSame(pair.Item1, pair.Item2));
    }

    // Every type in the model namespace, or the shapes and layer declarations shared with the runtime, a root reaches through fields and
    // properties, through arrays and generics.
    private static IEnumerable<Type> ReachableModelTypes(params Type[] roots)
    {
        var seen = new HashSet<Type>();
        var pending = new Queue<Type>(roots);
        while (pending.Count > 0)
        {
            Type type = pending.Dequeue();
            string?[] modelNamespaces = [typeof(NetworkModel).Namespace, typeof(ActivationShape).Namespace, typeof(LayerSpec).Namespace, typeof(ConvGen.Layers.AxisPair).Namespace];
            if (!modelNamespaces.Contains(type.Namespace) || !seen.Add(type))
            {
                continue;
            }

            foreach (Type used in Members(type).SelectMany(member => Unwrap(member.Type)))
            {
                pending.Enqueue(used);
            }
        }

        return seen;
    }

    private static IEnumerable<(string Name, Type Type)> Members(Type type)
    {
        const BindingFlags Everything = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        return type.GetFields(Everything).Select(field => (field.Name, field.FieldType))
            .Concat(type.GetProperties(Everything).Select(property => (property.Name, property.PropertyType)));
    }

    // A type and everything it is built from: element types, generic arguments (EquatableArray<T>, Nullable<T>, ...).
    private static IEnumerable<Type> Unwrap(Type type)
    {
        yield return type;
        IEnumerable<Type> parts = type.HasElementType ? [type.GetElementType()!] : type.IsGenericType ? type.GetGenericArguments() : [];
        foreach (Type part in parts.SelectMany(Unwrap))
        {
            yield return part;
        }
    }
}
