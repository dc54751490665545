namespace ConvGen;

/// <summary>
/// What training, evaluation, inference and checkpoints need to know about a kind of network: its layout, how to size a
/// workspace, what it is (its <see cref="ConvGen.Architecture"/>), and how to turn parameters into a model value and back. A generated network gives it from its static
/// members (<see cref="NetworkDefinition.Of{TNet}"/>); a <see cref="Layers.Sequential"/> built at run time gives its own.
/// </summary>
/// <typeparam name="TModel">The immutable model value: a generated network record or a <see cref="Layers.SequentialNetwork"/>.</typeparam>
internal sealed record NetworkDefinition<TModel>(
    NetworkLayout Layout,
    Architecture Architecture,
    Func<int, NetworkWorkspace> CreateWorkspace,
    Func<int, NetworkWorkspace> CreateInferenceWorkspace,
    Func<ParameterSet, TModel> FromParameters,
    Func<TModel, ParameterSet> ParametersOf)
    where TModel : class;

/// <summary>Definitions of generated networks.</summary>
internal static class NetworkDefinition
{
    /// <summary>The definition a generated network's static members give, made once per type.</summary>
    public static NetworkDefinition<TNet> Of<TNet>()
        where TNet : class, INetwork<TNet> => Generated<TNet>.Definition;

    private static class Generated<TNet>
        where TNet : class, INetwork<TNet>
    {
        public static readonly NetworkDefinition<TNet> Definition = new(TNet.Layout, TNet.Architecture, TNet.CreateWorkspace, TNet.CreateInferenceWorkspace, TNet.FromParameters, model => model.Parameters);
    }
}
