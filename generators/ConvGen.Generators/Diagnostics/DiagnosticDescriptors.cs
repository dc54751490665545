using System.Collections.Generic;
using System.Linq;
using ConvGen.Planning;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generators.Diagnostics
{
    /// <summary>
    /// Every diagnostic ConvGen reports, in one catalog. What the shared planner reports takes its message from
    /// <see cref="DiagnosticIds"/>, the text a run-time <c>Sequential</c> gives too. Each ID has a page at docs/diagnostics/{ID}.md
    /// and a line in AnalyzerReleases.Unshipped.md.
    /// </summary>
    internal static class DiagnosticDescriptors
    {
        private const string Shapes = "ConvGen.Shapes";
        private const string Declaration = "ConvGen.Declaration";
        private const string HelpLinkRoot = "https://convgen.github.io/convgen/diagnostics/README.html#"; // the site's diagnostics table; docs/site/template/public/main.js opens the ID's page

        public static readonly DiagnosticDescriptor LinearInFeaturesMismatch = new DiagnosticDescriptor(
            id: "CG0001",
            title: "Linear in-features do not match the input",
            messageFormat: DiagnosticIds.Formats[DiagnosticIds.LinearInFeaturesMismatch],
            category: Shapes,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0001.md");

        public static readonly DiagnosticDescriptor OutputSizeBelowOne = new DiagnosticDescriptor(
            id: "CG0002",
            title: "Kernel larger than its padded input",
            messageFormat: DiagnosticIds.Formats[DiagnosticIds.OutputSizeBelowOne],
            category: Shapes,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0002.md");

        public static readonly DiagnosticDescriptor NonPositiveSize = new DiagnosticDescriptor(
            id: "CG0003",
            title: "Layer size must be positive",
            messageFormat: DiagnosticIds.Formats[DiagnosticIds.NonPositiveSize],
            category: Declaration,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0003.md");

        public static readonly DiagnosticDescriptor InvalidInputShape = new DiagnosticDescriptor(
            id: "CG0004",
            title: "Network input shape missing or not positive",
            messageFormat: DiagnosticIds.Formats[DiagnosticIds.InvalidInputShape],
            category: Declaration,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0004.md");

        public static readonly DiagnosticDescriptor LinearWithoutFlatten = new DiagnosticDescriptor(
            id: "CG0005",
            title: "Linear layer on a multi-dimensional input",
            messageFormat: DiagnosticIds.Formats[DiagnosticIds.LinearWithoutFlatten],
            category: Shapes,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0005.md");

        public static readonly DiagnosticDescriptor NotPartialRecord = new DiagnosticDescriptor(
            id: "CG0006",
            title: "Network must be a partial record class",
            messageFormat: "'{0}' must be declared as a 'partial record' (a record class) for ConvGen to extend it",
            category: Declaration,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0006.md");

        public static readonly DiagnosticDescriptor StrideLeavesInputUnused = new DiagnosticDescriptor(
            id: "CG0007",
            title: "Stride leaves input rows or columns unused",
            messageFormat: DiagnosticIds.Formats[DiagnosticIds.StrideLeavesInputUnused],
            category: Shapes,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0007.md");

        public static readonly DiagnosticDescriptor InChannelsMismatch = new DiagnosticDescriptor(
            id: "CG0008",
            title: "Convolution in-channels do not match the input",
            messageFormat: DiagnosticIds.Formats[DiagnosticIds.InChannelsMismatch],
            category: Shapes,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0008.md");

        public static readonly DiagnosticDescriptor DropoutProbabilityOutOfRange = new DiagnosticDescriptor(
            id: "CG0009",
            title: "Dropout probability outside [0, 1)",
            messageFormat: DiagnosticIds.Formats[DiagnosticIds.DropoutProbabilityOutOfRange],
            category: Declaration,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0009.md");

        public static readonly DiagnosticDescriptor PoolingPaddingTooLarge = new DiagnosticDescriptor(
            id: "CG0010",
            title: "Pooling padding larger than half the kernel",
            messageFormat: DiagnosticIds.Formats[DiagnosticIds.PoolingPaddingTooLarge],
            category: Shapes,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0010.md");

        public static readonly DiagnosticDescriptor LayersOnSeveralDeclarations = new DiagnosticDescriptor(
            id: "CG0011",
            title: "Layers spread over several partial declarations",
            messageFormat: "Network '{0}' has layer attributes on more than one partial declaration, so their order is undefined; keep them all beside [Network]",
            category: Declaration,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0011.md");

        public static readonly DiagnosticDescriptor UnsupportedNesting = new DiagnosticDescriptor(
            id: "CG0012",
            title: "Network must be a top-level, non-generic record",
            messageFormat: "'{0}' is {1}; ConvGen networks must be top-level, non-generic records",
            category: Declaration,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0012.md");

        public static readonly DiagnosticDescriptor DuplicateLayerName = new DiagnosticDescriptor(
            id: "CG0013",
            title: "Two layers share a name",
            messageFormat: DiagnosticIds.Formats[DiagnosticIds.DuplicateLayerName],
            category: Declaration,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0013.md");

        public static readonly DiagnosticDescriptor SpatialLayerOnFlatInput = new DiagnosticDescriptor(
            id: "CG0014",
            title: "Spatial layer after Flatten",
            messageFormat: DiagnosticIds.Formats[DiagnosticIds.SpatialLayerOnFlatInput],
            category: Shapes,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0014.md");

        public static readonly DiagnosticDescriptor NetworkTooLarge = new DiagnosticDescriptor(
            id: "CG0015",
            title: "Network too large",
            messageFormat: DiagnosticIds.Formats[DiagnosticIds.NetworkTooLarge],
            category: Shapes,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0015.md");

        public static readonly DiagnosticDescriptor GroupsDoNotDivideChannels = new DiagnosticDescriptor(
            id: "CG0016",
            title: "Groups must divide the in-channels and out-channels",
            messageFormat: DiagnosticIds.Formats[DiagnosticIds.GroupsDoNotDivideChannels],
            category: Shapes,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0016.md");

        public static readonly DiagnosticDescriptor SamePaddingWithStride = new DiagnosticDescriptor(
            id: "CG0017",
            title: "Padding \"same\" needs stride 1",
            messageFormat: DiagnosticIds.Formats[DiagnosticIds.SamePaddingWithStride],
            category: Declaration,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0017.md");

        public static readonly DiagnosticDescriptor InvalidPaddingMode = new DiagnosticDescriptor(
            id: "CG0018",
            title: "Padding mode not recognised or combined with Padding",
            messageFormat: DiagnosticIds.Formats[DiagnosticIds.InvalidPaddingMode],
            category: Declaration,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0018.md");

        public static readonly DiagnosticDescriptor AsymmetricSamePadding = new DiagnosticDescriptor(
            id: "CG0019",
            title: "Padding \"same\" is asymmetric for an even kernel",
            messageFormat: DiagnosticIds.Formats[DiagnosticIds.AsymmetricSamePadding],
            category: Shapes,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0019.md");

        public static readonly DiagnosticDescriptor ParametersTooLarge = new DiagnosticDescriptor(
            id: "CG0020",
            title: "Network parameters exceed 2 GiB",
            messageFormat: DiagnosticIds.Formats[DiagnosticIds.ParametersTooLarge],
            category: Shapes,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0020.md");

        public static readonly DiagnosticDescriptor ActivationsTooLarge = new DiagnosticDescriptor(
            id: "CG0021",
            title: "Network activations exceed 1 GiB per sample",
            messageFormat: DiagnosticIds.Formats[DiagnosticIds.ActivationsTooLarge],
            category: Shapes,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0021.md");

        public static readonly DiagnosticDescriptor TooManyParameters = new DiagnosticDescriptor(
            id: "CG0022",
            title: "More parameters than one float32 array holds",
            messageFormat: DiagnosticIds.Formats[DiagnosticIds.TooManyParameters],
            category: Shapes,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0022.md");

        public static readonly DiagnosticDescriptor InputBothSequenceAndImage = new DiagnosticDescriptor(
            id: "CG0023",
            title: "Network input declares both a sequence length and an image size",
            messageFormat: DiagnosticIds.Formats[DiagnosticIds.InputBothSequenceAndImage],
            category: Declaration,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0023.md");

        public static readonly DiagnosticDescriptor SequenceAndImageLayersMixed = new DiagnosticDescriptor(
            id: "CG0024",
            title: "Sequence layer on an image, or image layer on a sequence",
            messageFormat: DiagnosticIds.Formats[DiagnosticIds.SequenceAndImageLayersMixed],
            category: Shapes,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0024.md");

        public static readonly DiagnosticDescriptor BatchNormFeaturesMismatch = new DiagnosticDescriptor(
            id: "CG0025",
            title: "BatchNorm2d features do not match the input",
            messageFormat: DiagnosticIds.Formats[DiagnosticIds.BatchNormFeaturesMismatch],
            category: Shapes,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0025.md");

        public static readonly DiagnosticDescriptor BatchNormSettingOutOfRange = new DiagnosticDescriptor(
            id: "CG0026",
            title: "BatchNorm2d eps or momentum out of range",
            messageFormat: DiagnosticIds.Formats[DiagnosticIds.BatchNormSettingOutOfRange],
            category: Declaration,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0026.md");

        public static readonly DiagnosticDescriptor UnsupportedRecordForm = new DiagnosticDescriptor(
            id: "CG0027",
            title: "Network record declared in a form ConvGen cannot extend",
            messageFormat: "Network '{0}' {1}: {2}",
            category: Declaration,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0027.md");

        public static readonly DiagnosticDescriptor NameTakenByGeneratedMember = new DiagnosticDescriptor(
            id: "CG0028",
            title: "Name taken by a generated member",
            messageFormat: "{0} '{1}' has the name of a member ConvGen generates in network '{2}'; rename it",
            category: Declaration,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0028.md");

        public static readonly DiagnosticDescriptor NetworkNamedLikeReferencedSymbol = new DiagnosticDescriptor(
            id: "CG0029",
            title: "Network named like a referenced namespace or type",
            messageFormat: "Network '{0}' has the full name of a {1} in a referenced assembly, which the generated code would confuse with it; rename the record",
            category: Declaration,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0029.md");

        public static readonly DiagnosticDescriptor LayerIdentifiersCollide = new DiagnosticDescriptor(
            id: "CG0030",
            title: "Two layer names give one C# identifier",
            messageFormat: "Layers '{0}' and '{1}' both become the identifier '{2}' in the generated code; rename one of them",
            category: Declaration,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0030.md");

        public static readonly DiagnosticDescriptor NegativeSlopeNotFinite = new DiagnosticDescriptor(
            id: "CG0031",
            title: "LeakyReLU negative slope not a finite float32",
            messageFormat: "LeakyReLU '{0}' declares NegativeSlope = {1}, which is not a finite float32",
            category: Declaration,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0031.md");

        public static readonly DiagnosticDescriptor LayerNameTooLong = new DiagnosticDescriptor(
            id: "CG0032",
            title: "Layer name too long for the generated member names",
            messageFormat: "Layer name '{0}' gives the identifier '{1}' of {2} UTF-8 bytes, more than the {3} generated member names can start with; shorten it",
            category: Declaration,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0032.md");

        public static readonly DiagnosticDescriptor ResidualShapeMismatch = new DiagnosticDescriptor(
            id: "CG0033",
            title: "Residual branch and shortcut give different shapes",
            messageFormat: DiagnosticIds.Formats[DiagnosticIds.ResidualShapeMismatch],
            category: Shapes,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0033.md");

        public static readonly DiagnosticDescriptor ConcatSizeMismatch = new DiagnosticDescriptor(
            id: "CG0034",
            title: "Concatenated branches differ in height or width",
            messageFormat: DiagnosticIds.Formats[DiagnosticIds.ConcatSizeMismatch],
            category: Shapes,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0034.md");

        public static readonly DiagnosticDescriptor EmptyBlock = new DiagnosticDescriptor(
            id: "CG0035",
            title: "Block without layers",
            messageFormat: "Block '{0}' used by '{1}' declares no layers; give it at least one layer attribute",
            category: Declaration,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0035.md");

        public static readonly DiagnosticDescriptor RecursiveBlock = new DiagnosticDescriptor(
            id: "CG0036",
            title: "Block uses itself",
            messageFormat: "Block '{0}' uses itself ({1}); a block cannot contain itself",
            category: Declaration,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0036.md");

        public static readonly DiagnosticDescriptor UnsupportedBlock = new DiagnosticDescriptor(
            id: "CG0037",
            title: "Type used as a block is not a top-level, non-generic, non-abstract [Block] record",
            messageFormat: "'{0}' used by '{1}' {2}: {3}",
            category: Declaration,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0037.md");

        public static readonly IReadOnlyList<DiagnosticDescriptor> All = new[]
        {
            LinearInFeaturesMismatch, OutputSizeBelowOne, NonPositiveSize, InvalidInputShape, LinearWithoutFlatten,
            NotPartialRecord, StrideLeavesInputUnused, InChannelsMismatch, DropoutProbabilityOutOfRange,
            PoolingPaddingTooLarge, LayersOnSeveralDeclarations, UnsupportedNesting, DuplicateLayerName,
            SpatialLayerOnFlatInput, NetworkTooLarge, GroupsDoNotDivideChannels, SamePaddingWithStride, InvalidPaddingMode,
            AsymmetricSamePadding, ParametersTooLarge, ActivationsTooLarge, TooManyParameters,
            InputBothSequenceAndImage, SequenceAndImageLayersMixed,
            BatchNormFeaturesMismatch, BatchNormSettingOutOfRange,
            UnsupportedRecordForm, NameTakenByGeneratedMember, NetworkNamedLikeReferencedSymbol, LayerIdentifiersCollide, NegativeSlopeNotFinite,
            LayerNameTooLong, ResidualShapeMismatch, ConcatSizeMismatch, EmptyBlock, RecursiveBlock, UnsupportedBlock,
        };

        private static readonly Dictionary<string, DiagnosticDescriptor> ByIdMap = All.ToDictionary(descriptor => descriptor.Id);

        public static DiagnosticDescriptor ById(string id) => ByIdMap[id];
    }
}
