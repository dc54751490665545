using System.Globalization;
using System.Text.RegularExpressions;
using LanguageExt;
using static LanguageExt.Prelude;
using static TorchSharp.torch;

namespace ConvGen.TorchSharp;

/// <summary>
/// Where the TorchSharp backend runs a network: <c>cpu</c>, or <c>cuda</c> / <c>cuda:N</c> with TorchSharp's CUDA
/// packages on a machine with a GPU. Made by <see cref="Parse"/>, which checks the device exists here.
/// </summary>
public sealed partial record TorchDevice
{
    private TorchDevice(string name) => Name = name;

    /// <summary>The CPU, always available once libtorch loads.</summary>
    public static TorchDevice Cpu { get; } = new("cpu");

    /// <summary>The device as torch names it: <c>cpu</c>, <c>cuda:0</c>.</summary>
    public string Name { get; }

    /// <summary>The device named <paramref name="name"/> (<c>cpu</c>, <c>cuda</c>, <c>cuda:1</c>), or an error saying why it cannot be used here.</summary>
    public static Either<ConvGenError, TorchDevice> Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Match match = DeviceName().Match(name.Trim());
        if (!match.Success)
        {
            return Left<ConvGenError, TorchDevice>(new ConvGenError($"Unknown torch device '{name}': use \"cpu\", \"cuda\" or \"cuda:N\"."));
        }

        if (match.Groups["kind"].Value == "cpu")
        {
            return TorchRuntime.Ready().Map(_ => Cpu);
        }

        int index = match.Groups["index"].Success ? int.Parse(match.Groups["index"].Value, CultureInfo.InvariantCulture) : 0;
        return TorchRuntime.Ready().Bind(_ =>
            !cuda.is_available()
                ? Left<ConvGenError, TorchDevice>(new ConvGenError(
                    $"The torch device '{name}' is not available: this libtorch sees no CUDA GPU. Reference TorchSharp-cuda-linux (or -windows) instead of TorchSharp-cpu on a machine with an NVIDIA GPU and its driver, or use \"cpu\"."))
                : index >= cuda.device_count()
                    ? Left<ConvGenError, TorchDevice>(new ConvGenError($"The torch device '{name}' is not available: this machine has {cuda.device_count()} CUDA device(s), numbered from 0."))
                    : Right<ConvGenError, TorchDevice>(new TorchDevice($"cuda:{index}")));
    }

    /// <summary>The torch device value.</summary>
    internal Device Device => device(Name);

    /// <inheritdoc/>
    public override string ToString() => Name;

    [GeneratedRegex("^((?<kind>cpu)|(?<kind>cuda)(:(?<index>[0-9]{1,3}))?)$")]
    private static partial Regex DeviceName();
}
