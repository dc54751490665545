using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generators.Diagnostics
{
    /// <summary>
    /// Every diagnostic ConvGen reports, in one catalog. Each ID has a page at docs/diagnostics/{ID}.md
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
            messageFormat: "Linear '{0}' declares {1} in-features but receives {2}: {3}",
            category: Shapes,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0001.md");

        public static readonly DiagnosticDescriptor OutputSizeBelowOne = new DiagnosticDescriptor(
            id: "CG0002",
            title: "Kernel larger than its padded input",
            messageFormat: "{0} '{1}' declares kernel {2} but receives a padded {3} of {4}, so its output {3} would be {5}: {6}",
            category: Shapes,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0002.md");

        public static readonly DiagnosticDescriptor NonPositiveSize = new DiagnosticDescriptor(
            id: "CG0003",
            title: "Layer size must be positive",
            messageFormat: "{0} '{1}' declares {2} {3}, but {2} must be at least {4}",
            category: Declaration,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0003.md");

        public static readonly DiagnosticDescriptor InvalidInputShape = new DiagnosticDescriptor(
            id: "CG0004",
            title: "Network input shape missing or not positive",
            messageFormat: "Network '{0}' declares input {1}: {2}",
            category: Declaration,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0004.md");

        public static readonly DiagnosticDescriptor LinearWithoutFlatten = new DiagnosticDescriptor(
            id: "CG0005",
            title: "Linear layer on a multi-dimensional input",
            messageFormat: "Linear '{0}' receives a {1} input of {2} values; add [Flatten] before it: {3}",
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
            messageFormat: "{0} '{1}' with kernel {2}, stride {3} and padding {4} leaves the last {5} of its {7} input {6} unused: {8}",
            category: Shapes,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0007.md");

        public static readonly DiagnosticDescriptor InChannelsMismatch = new DiagnosticDescriptor(
            id: "CG0008",
            title: "Convolution in-channels do not match the input",
            messageFormat: "{0} '{1}' declares {2} in-channels but receives {3}: {4}",
            category: Shapes,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0008.md");

        public static readonly DiagnosticDescriptor DropoutProbabilityOutOfRange = new DiagnosticDescriptor(
            id: "CG0009",
            title: "Dropout probability outside [0, 1)",
            messageFormat: "Dropout '{0}' declares p = {1}, but p must be in [0, 1)",
            category: Declaration,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0009.md");

        public static readonly DiagnosticDescriptor PoolingPaddingTooLarge = new DiagnosticDescriptor(
            id: "CG0010",
            title: "Pooling padding larger than half the kernel",
            messageFormat: "{0} '{1}' declares padding {2} but its kernel {3} allows at most {4} (PyTorch: padding at most half the kernel)",
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
            messageFormat: "Layer name '{0}' is used twice; names become checkpoint keys and must be unique",
            category: Declaration,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0013.md");

        public static readonly DiagnosticDescriptor SpatialLayerOnFlatInput = new DiagnosticDescriptor(
            id: "CG0014",
            title: "Spatial layer after Flatten",
            messageFormat: "{0} '{1}' needs a C x H x W input but receives {2} flat features: {3}",
            category: Shapes,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0014.md");

        public static readonly DiagnosticDescriptor NetworkTooLarge = new DiagnosticDescriptor(
            id: "CG0015",
            title: "Network too large",
            messageFormat: "{0} '{1}' would hold {2} values per sample, more than the {3} a float32 buffer can address: {4}",
            category: Shapes,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0015.md");

        public static readonly DiagnosticDescriptor GroupsDoNotDivideChannels = new DiagnosticDescriptor(
            id: "CG0016",
            title: "Groups must divide the in-channels and out-channels",
            messageFormat: "{0} '{1}' declares {2} groups, which do not divide its {3} {4}: {5}",
            category: Shapes,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0016.md");

        public static readonly DiagnosticDescriptor SamePaddingWithStride = new DiagnosticDescriptor(
            id: "CG0017",
            title: "Padding \"same\" needs stride 1",
            messageFormat: "{0} '{1}' declares PaddingMode \"same\" with stride {2}, but PyTorch allows \"same\" only with stride 1",
            category: Declaration,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0017.md");

        public static readonly DiagnosticDescriptor InvalidPaddingMode = new DiagnosticDescriptor(
            id: "CG0018",
            title: "Padding mode not recognised or combined with Padding",
            messageFormat: "{0} '{1}' declares PaddingMode \"{2}\": {3}",
            category: Declaration,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0018.md");

        public static readonly DiagnosticDescriptor AsymmetricSamePadding = new DiagnosticDescriptor(
            id: "CG0019",
            title: "Padding \"same\" is asymmetric for an even kernel",
            messageFormat: "{0} '{1}' with PaddingMode \"same\" and a dilated kernel of {2} pads {3} before and {4} after along its {5}: the extra zero goes {6}, as in PyTorch",
            category: Shapes,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0019.md");

        public static readonly DiagnosticDescriptor ParametersTooLarge = new DiagnosticDescriptor(
            id: "CG0020",
            title: "Network parameters exceed 2 GiB",
            messageFormat: "Network '{0}' has {1} parameters, {2} bytes as float32, more than the 2 GiB (2147483648 bytes) ConvGen considers sane; the largest layer is '{3}' with {4}",
            category: Shapes,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0020.md");

        public static readonly DiagnosticDescriptor ActivationsTooLarge = new DiagnosticDescriptor(
            id: "CG0021",
            title: "Network activations exceed 1 GiB per sample",
            messageFormat: "Network '{0}' holds {1} activation values per sample, {2} bytes as float32, more than the 1 GiB (1073741824 bytes) ConvGen considers sane for one sample",
            category: Shapes,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0021.md");

        public static readonly DiagnosticDescriptor TooManyParameters = new DiagnosticDescriptor(
            id: "CG0022",
            title: "More parameters than one float32 array holds",
            messageFormat: "Network '{0}' has {1} parameters, more than the {2} one float32 array can hold; the largest layer is '{3}' with {4}",
            category: Shapes,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0022.md");

        public static readonly DiagnosticDescriptor InputBothSequenceAndImage = new DiagnosticDescriptor(
            id: "CG0023",
            title: "Network input declares both a sequence length and an image size",
            messageFormat: "Network '{0}' declares InputLength together with {1}: a sequence input takes InputChannels and InputLength, an image input InputChannels, InputHeight and InputWidth",
            category: Declaration,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0023.md");

        public static readonly DiagnosticDescriptor SequenceAndImageLayersMixed = new DiagnosticDescriptor(
            id: "CG0024",
            title: "Sequence layer on an image, or image layer on a sequence",
            messageFormat: "{0} '{1}' needs a {2} input but receives {3}: {4}",
            category: Shapes,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0024.md");

        public static readonly DiagnosticDescriptor BatchNormFeaturesMismatch = new DiagnosticDescriptor(
            id: "CG0025",
            title: "BatchNorm2d features do not match the input",
            messageFormat: "BatchNorm2d '{0}' declares {1} features but receives {2}: {3}",
            category: Shapes,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0025.md");

        public static readonly DiagnosticDescriptor BatchNormSettingOutOfRange = new DiagnosticDescriptor(
            id: "CG0026",
            title: "BatchNorm2d eps or momentum out of range",
            messageFormat: "BatchNorm2d '{0}' declares {1} = {2}, but {1} must be {3}",
            category: Declaration,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkRoot + "CG0026.md");

        public static readonly IReadOnlyList<DiagnosticDescriptor> All = new[]
        {
            LinearInFeaturesMismatch, OutputSizeBelowOne, NonPositiveSize, InvalidInputShape, LinearWithoutFlatten,
            NotPartialRecord, StrideLeavesInputUnused, InChannelsMismatch, DropoutProbabilityOutOfRange,
            PoolingPaddingTooLarge, LayersOnSeveralDeclarations, UnsupportedNesting, DuplicateLayerName,
            SpatialLayerOnFlatInput, NetworkTooLarge, GroupsDoNotDivideChannels, SamePaddingWithStride, InvalidPaddingMode,
            AsymmetricSamePadding, ParametersTooLarge, ActivationsTooLarge, TooManyParameters,
            InputBothSequenceAndImage, SequenceAndImageLayersMixed,
            BatchNormFeaturesMismatch, BatchNormSettingOutOfRange,
        };

        private static readonly Dictionary<string, DiagnosticDescriptor> ByIdMap = All.ToDictionary(descriptor => descriptor.Id);

        public static DiagnosticDescriptor ById(string id) => ByIdMap[id];
    }
}
