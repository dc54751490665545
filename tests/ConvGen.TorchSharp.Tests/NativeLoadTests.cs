using System.Reflection;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace ConvGen.TorchSharp.Tests;

/// <summary>libtorch loads on this machine through the patched library, and the patch is the one byte it should be.</summary>
public sealed class NativeLoadTests
{
    // Vernaux.vna_flags: VER_FLG_WEAK.
    private const byte WeakFlag = 0x2;

    [Fact]
    public void Libtorch_loads_and_computes()
    {
        TorchDevice device = TorchDevice.Parse("cpu").Match(Right: cpu => cpu, Left: error => throw new InvalidOperationException(error.Message));
        Assert.Equal("cpu", device.Name);
        using Tensor product = tensor(new float[] { 1, 2, 3 }).dot(tensor(new float[] { 4, 5, 6 }));
        Assert.Equal(32f, product.item<float>());
    }

    [Fact]
    public void The_patched_library_differs_from_the_packages_in_one_flag_byte()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        string packaged = typeof(NativeLoadTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "LibTorchSharpPackageFile").Value!;
        string copied = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        byte[] original = File.ReadAllBytes(packaged), patched = File.ReadAllBytes(copied);
        Assert.Equal(original.Length, patched.Length);
        int[] differences = [.. Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i])];
        int at = Assert.Single(differences);
        Assert.Equal(original[at] | WeakFlag, patched[at]);
        // The byte is the flags of the Vernaux entry whose name is GLIBCXX_3.4.32: vna_name sits 4 bytes after vna_flags.
        Assert.Equal("GLIBCXX_3.4.32", VernauxName(original, at - 4));
    }

    [Fact]
    public void The_unpatched_library_fails_with_one_message_naming_the_missing_version_and_the_fix()
    {
        const string systemLibstdcxx = "/lib/x86_64-linux-gnu/libstdc++.so.6";
        if (!OperatingSystem.IsLinux() || !File.Exists(systemLibstdcxx)
            || System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(systemLibstdcxx)).Contains("GLIBCXX_3.4.32", StringComparison.Ordinal))
        {
            return; // Not the Debian 12 / Ubuntu 22.04 case: the package's file loads as it is.
        }

        // The package's own file, loaded by path: on this machine's libstdc++ (no GLIBCXX_3.4.32) the loader refuses it.
        string packaged = typeof(NativeLoadTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "LibTorchSharpPackageFile").Value!;
        string loaderMessage;
        try
        {
            NativeLibrary.Free(NativeLibrary.Load(packaged));
            throw new InvalidOperationException($"{packaged} loaded although {systemLibstdcxx} has no GLIBCXX_3.4.32.");
        }
        catch (DllNotFoundException error)
        {
            loaderMessage = error.Message;
        }

        string message = TorchRuntime.LoadFailure(loaderMessage);
        Assert.Contains("version `GLIBCXX_3.4.32' not found", message, StringComparison.Ordinal);
        Assert.Contains("ConvGenPatchLibTorchSharp", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    [Theory]
    [InlineData("cuda")]
    [InlineData("cuda:0")]
    public void Cuda_without_a_gpu_is_an_error_value(string name)
    {
        if (cuda.is_available())
        {
            return;
        }

        ConvGenError error = TorchDevice.Parse(name).Match(Right: device => throw new InvalidOperationException($"{device} should not be available."), Left: e => e);
        Assert.Contains($"'{name}' is not available", error.Message, StringComparison.Ordinal);
        Assert.Contains("TorchSharp-cuda", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cpu:1")]
    [InlineData("cuda:x")]
    public void An_unknown_device_name_is_an_error_value(string name) =>
        Assert.StartsWith($"Unknown torch device '{name}'", TorchDevice.Parse(name).Match(Right: device => device.Name, Left: error => error.Message), StringComparison.Ordinal);

    // The name of the Vernaux entry at 'entry', read through .gnu.version_r's string table (.dynstr), independently of the build task.
    private static string VernauxName(byte[] elf, int entry)
    {
        long sectionTable = BitConverter.ToInt64(elf, 0x28);
        int size = BitConverter.ToUInt16(elf, 0x3A), count = BitConverter.ToUInt16(elf, 0x3C);
        for (int s = 0; s < count; s++)
        {
            int header = (int)(sectionTable + s * size);
            long offset = BitConverter.ToInt64(elf, header + 0x18), length = BitConverter.ToInt64(elf, header + 0x20);
            if (BitConverter.ToUInt32(elf, header + 4) == 0x6ffffffe && entry >= offset && entry < offset + length)
            {
                int strings = (int)BitConverter.ToInt64(elf, (int)(sectionTable + BitConverter.ToUInt32(elf, header + 0x28) * size) + 0x18);
                int name = strings + (int)BitConverter.ToUInt32(elf, entry + 8);
                return System.Text.Encoding.ASCII.GetString(elf, name, Array.IndexOf(elf, (byte)0, name) - name);
            }
        }

        return "(not in .gnu.version_r)";
    }
}
