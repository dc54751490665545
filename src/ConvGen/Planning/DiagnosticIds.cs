// Shared with the source generator (linked source): plain C# that netstandard2.0 and net10.0 both accept.
using System.Collections.Generic;

namespace ConvGen.Planning
{
    /// <summary>
    /// The IDs and message formats of what the planner reports, written once: the generator's diagnostic descriptors
    /// take their formats from here, and a run-time <c>Sequential</c> formats its errors with the same ones, so a layer
    /// list says at run time what its declaration says at compile time.
    /// </summary>
    internal static class DiagnosticIds
    {
        public const string LinearInFeaturesMismatch = "CG0001";
        public const string OutputSizeBelowOne = "CG0002";
        public const string NonPositiveSize = "CG0003";
        public const string InvalidInputShape = "CG0004";
        public const string LinearWithoutFlatten = "CG0005";
        public const string StrideLeavesInputUnused = "CG0007";
        public const string InChannelsMismatch = "CG0008";
        public const string DropoutProbabilityOutOfRange = "CG0009";
        public const string PoolingPaddingTooLarge = "CG0010";
        public const string DuplicateLayerName = "CG0013";
        public const string SpatialLayerOnFlatInput = "CG0014";
        public const string NetworkTooLarge = "CG0015";
        public const string GroupsDoNotDivideChannels = "CG0016";
        public const string SamePaddingWithStride = "CG0017";
        public const string InvalidPaddingMode = "CG0018";
        public const string AsymmetricSamePadding = "CG0019";
        public const string ParametersTooLarge = "CG0020";
        public const string ActivationsTooLarge = "CG0021";
        public const string TooManyParameters = "CG0022";
        public const string InputBothSequenceAndImage = "CG0023";
        public const string SequenceAndImageLayersMixed = "CG0024";
        public const string BatchNormFeaturesMismatch = "CG0025";
        public const string BatchNormSettingOutOfRange = "CG0026";
        public const string ResidualShapeMismatch = "CG0033";
        public const string ConcatSizeMismatch = "CG0034";

        /// <summary>The planner's warnings; everything else it reports is an error.</summary>
        public static readonly HashSet<string> Warnings = new HashSet<string> { StrideLeavesInputUnused, AsymmetricSamePadding, ParametersTooLarge, ActivationsTooLarge };

        /// <summary>Message formats by ID, <see cref="string.Format(string, object[])"/> style.</summary>
        public static readonly Dictionary<string, string> Formats = new Dictionary<string, string>
        {
            [LinearInFeaturesMismatch] = "Linear '{0}' declares {1} in-features but receives {2}: {3}",
            [OutputSizeBelowOne] = "{0} '{1}' declares kernel {2} but receives a padded {3} of {4}, so its output {3} would be {5}: {6}",
            [NonPositiveSize] = "{0} '{1}' declares {2} {3}, but {2} must be at least {4}",
            [InvalidInputShape] = "Network '{0}' declares input {1}: {2}",
            [LinearWithoutFlatten] = "Linear '{0}' receives a {1} input of {2} values; add [Flatten] before it: {3}",
            [StrideLeavesInputUnused] = "{0} '{1}' with kernel {2}, stride {3} and padding {4} leaves the last {5} of its {7} input {6} unused: {8}",
            [InChannelsMismatch] = "{0} '{1}' declares {2} in-channels but receives {3}: {4}",
            [DropoutProbabilityOutOfRange] = "Dropout '{0}' declares p = {1}, but p must be in [0, 1)",
            [PoolingPaddingTooLarge] = "{0} '{1}' declares padding {2} but its kernel {3} allows at most {4} (PyTorch: padding at most half the kernel)",
            [DuplicateLayerName] = "Layer name '{0}' is used twice; names become checkpoint keys and must be unique",
            [SpatialLayerOnFlatInput] = "{0} '{1}' needs a C x H x W input but receives {2} flat features: {3}",
            [NetworkTooLarge] = "{0} '{1}' would hold {2} values per sample, more than the {3} a float32 buffer can address: {4}",
            [GroupsDoNotDivideChannels] = "{0} '{1}' declares {2} groups, which do not divide its {3} {4}: {5}",
            [SamePaddingWithStride] = "{0} '{1}' declares PaddingMode \"same\" with stride {2}, but PyTorch allows \"same\" only with stride 1",
            [InvalidPaddingMode] = "{0} '{1}' declares PaddingMode \"{2}\": {3}",
            [AsymmetricSamePadding] = "{0} '{1}' with PaddingMode \"same\" and a dilated kernel of {2} pads {3} before and {4} after along its {5}: the extra zero goes {6}, as in PyTorch",
            [ParametersTooLarge] = "Network '{0}' has {1} parameters, {2} bytes as float32, more than the 2 GiB (2147483648 bytes) ConvGen considers sane; the largest layer is '{3}' with {4}",
            [ActivationsTooLarge] = "Network '{0}' holds {1} activation values per sample, {2} bytes as float32, more than the 1 GiB (1073741824 bytes) ConvGen considers sane for one sample",
            [TooManyParameters] = "Network '{0}' has {1} parameters, more than the {2} one float32 array can hold; the largest layer is '{3}' with {4}",
            [InputBothSequenceAndImage] = "Network '{0}' declares InputLength together with {1}: a sequence input takes InputChannels and InputLength, an image input InputChannels, InputHeight and InputWidth",
            [SequenceAndImageLayersMixed] = "{0} '{1}' needs a {2} input but receives {3}: {4}",
            [BatchNormFeaturesMismatch] = "BatchNorm2d '{0}' declares {1} features but receives {2}: {3}",
            [BatchNormSettingOutOfRange] = "BatchNorm2d '{0}' declares {1} = {2}, but {1} must be {3}",
            [ResidualShapeMismatch] = "Residual '{0}' cannot add its branches: main {1} ({2}) but shortcut {3} ({4})",
            [ConcatSizeMismatch] = "Concat '{0}' joins branches of different {1}: '{2}' gives {3} ({4}) but '{5}' gives {6} ({7})",
        };
    }
}
