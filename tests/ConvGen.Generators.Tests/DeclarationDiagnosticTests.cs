using System.Globalization;
using Microsoft.CodeAnalysis;
using static ConvGen.Generators.Tests.Infrastructure.DiagnosticAssert;

namespace ConvGen.Generators.Tests;

/// <summary>
/// Declarations whose shapes fit but whose generated code would not compile (issue #19): each gets a ConvGen error on
/// what is in the way (CG0027 to CG0031), and its corrected twin reports nothing and compiles cleanly.
/// </summary>
public sealed class DeclarationDiagnosticTests
{
    private const string Input = "[Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)]\n[Flatten, Linear(64, 10)]\n";

    [Theory, DiagnosticTest("CG0027")]
    [InlineData("public {|CG0027:abstract=>sealed|} partial record Net;", "is abstract: Initialize and FromParameters create it with 'new'; remove 'abstract'")]
    [InlineData("{|CG0027:file=>public|} sealed partial record Net;", "is file-local: its generated half is in another file; remove 'file'")]
    [InlineData("public sealed partial record Net{|CG0027:(int Width)=>|};", "has a primary constructor: the constructor ConvGen generates cannot chain to it; remove the parameter list")]
    [InlineData("public sealed partial record Net{|CG0027:()=>|};", "has a primary constructor: the constructor ConvGen generates cannot chain to it; remove the parameter list")]
    [InlineData("public partial record Net{| : =>|}{|CG0027:Base=>|};\n/// <summary>A base.</summary>\npublic record Base;", "derives from 'Base': a network derives from object alone; remove the base record")]
    [InlineData("public sealed partial record Net\n{\n    {|public =>|}{|CG0027:Net=>|}{|() { }=>|}\n}", "declares a constructor: networks are created by Initialize and FromParameters alone, which could not set what it sets; remove it")]
    [InlineData("public sealed partial record Net\n{\n    /// <summary>A width.</summary>\n    public {|required =>|}int {|CG0027:Width|} { get; init; }\n}", "has the required member 'Width': FromParameters cannot set it; remove 'required'")]
    public void RecordFormConvGenCannotExtend(string declaration, string message) => Reports(
        Input + declaration + "\n",
        Error("Network 'Net' " + message));

    [Theory, DiagnosticTest("CG0028")]
    [InlineData("Layout")]
    [InlineData("Workspace")]
    [InlineData("Summary")]
    [InlineData("Initialize")]
    public void RecordNamedLikeAGeneratedMember(string name) => Reports(
        Input + "public sealed partial record {|CG0028:" + name + "=>" + name + "Net|};\n",
        Error("Network '" + name + "' has the name of a member ConvGen generates in network '" + name + "'; rename it"));

    [Theory, DiagnosticTest("CG0028")]
    [InlineData("internal string {|CG0028:Summary=>Description|} { get { return \"mine\"; } }", "Summary")]
    [InlineData("internal int {|CG0028:Parameters=>Settings|} { get; init; }", "Parameters")]
    [InlineData("internal static int {|CG0028:Layout=>Version|} = 1;", "Layout")]
    [InlineData("internal sealed class {|CG0028:Workspace=>Helper|} { }", "Workspace")]
    [InlineData("internal readonly int {|CG0028:parameters=>settings|} = 1;", "parameters")]
    [InlineData("internal static void {|CG0028:Initialize=>Reset|}(int seed) { }", "Initialize")]
    [InlineData("internal static int {|CG0028:Initialize=>Reset|} = 1;", "Initialize")]
    [InlineData("internal void {|CG0028:Fc1WeightOffset=>Describe|}() { }", "Fc1WeightOffset")]
    public void MemberNamedLikeAGeneratedMember(string member, string name) => Reports(
        Input + "public sealed partial record Net\n{\n    " + member + "\n}\n",
        Error("Member '" + name + "' has the name of a member ConvGen generates in network 'Net'; rename it"));

    [Fact, DiagnosticTest("CG0028")]
    public void MemberInAnotherPartialDeclaration()
    {
        // The member is declared in a second file; the diagnostic points there. BufferStart is generated only for BatchNorm.
        string second = Header + "public partial record Net\n{\n    internal static int BufferStart;\n    internal static int Layout;\n}\n";
        GeneratorRun run = GeneratorDriverHelper.Run(Header + Input + "public sealed partial record Net;\n", second);
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("CG0028", diagnostic.Id);
        Assert.Equal("Member 'Layout' has the name of a member ConvGen generates in network 'Net'; rename it", diagnostic.GetMessage(CultureInfo.InvariantCulture));
        Assert.Equal("Source1.cs", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal("Layout", second.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Empty(run.GeneratedSources);
    }

    [Theory, DiagnosticTest("CG0029")]
    [InlineData("ConvGen", "ParameterSet", "ConvGen.ParameterSet", "type")]
    [InlineData("ConvGen", "Kernels", "ConvGen.Kernels", "namespace")]
    [InlineData("System", "Net", "System.Net", "namespace")]
    [InlineData(null, "System", "System", "namespace")]
    public void NetworkNamedLikeAReferencedNamespaceOrType(string? ns, string type, string fullName, string what)
    {
        string Source(string name) => "using ConvGen;\n" + (ns is null ? string.Empty : "namespace " + ns + ";\n") + Input + "public sealed partial record " + name + ";\n";
        GeneratorRun run = GeneratorDriverHelper.Run(Source(type));
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(("CG0029", DiagnosticSeverity.Error), (diagnostic.Id, diagnostic.Severity));
        Assert.Equal(
            "Network '" + fullName + "' has the full name of a " + what + " in a referenced assembly, which the generated code would confuse with it; rename the record",
            diagnostic.GetMessage(CultureInfo.InvariantCulture));
        Assert.Equal(type, Source(type).Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Empty(run.GeneratedSources);

        GeneratorDriverHelper.Run(Source(type + "Net")).AssertCompilesCleanly();
    }

    [Fact, DiagnosticTest("CG0030")]
    public void NameBesideAnAutomaticNameOfOtherCase() => Reports(
        Network("Conv2d(4, Kernel = 3), MaxPool2d(2), MaxPool2d(1, {|CG0030:Name = \"Pool1\"=>Name = \"pool_extra\"|}), Flatten, Linear(36, 10)"),
        Error("Layers 'pool1' and 'Pool1' both become the identifier 'Pool1' in the generated code; rename one of them"));

    [Fact, DiagnosticTest("CG0030")]
    public void NamesThatDifferInPunctuationAlone() => Reports(
        Network("Flatten, Linear(64, 10, Name = \"a_b\"), Linear(10, 5, {|CG0030:Name = \"a.b\"=>Name = \"a.c\"|})"),
        Error("Layers 'a_b' and 'a.b' both become the identifier 'AB' in the generated code; rename one of them"));

    [Fact, DiagnosticTest("CG0030")]
    public void AutomaticNameAfterAUserNameOfOtherCase() => Reports(
        Network("Flatten, Linear(64, 10, Name = \"Fc1\"), {|CG0030:Linear(10, 5)=>Linear(10, 5, Name = \"head\")|}"),
        Error("Layers 'Fc1' and 'fc1' both become the identifier 'Fc1' in the generated code; rename one of them"));

    [Fact, DiagnosticTest("CG0032")]
    public void LayerNameTooLongForMetadata()
    {
        // 1,001 letters: the identifier alone is over the limit. 1,000 letters on a BatchNorm2d, whose buffers get the longest
        // suffix, must also get through Emit, which is where the compiler checks metadata name lengths.
        string tooLong = "c" + new string('x', 1000), longest = "c" + new string('x', 999);
        Reports(
            Network("Flatten, Linear(64, 10, {|CG0032:Name = \"" + tooLong + "\"=>Name = \"" + longest + "\"|})"),
            Error("Layer name 'c" + new string('x', 39) + "...' gives the identifier 'C" + new string('x', 39) + "...' of 1001 UTF-8 bytes, more than the 1000 generated member names can start with; shorten it"));
        GeneratorRun run = GeneratorDriverHelper.Run(Header + Network("BatchNorm2d(Name = \"" + longest + "\"), Flatten, Linear(64, 10)"));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.True(run.OutputCompilation.Emit(Stream.Null).Success);
    }

    [Theory, DiagnosticTest("CG0031")]
    [InlineData("double.NaN", "NaN")]
    [InlineData("double.PositiveInfinity", "Infinity")]
    [InlineData("double.NegativeInfinity", "-Infinity")]
    [InlineData("1e300", "1E+300")]
    [InlineData("-3.5e38", "-3.5E+38")]
    public void NegativeSlopeNotFinite(string slope, string shown) => Reports(
        Network("Flatten, Linear(64, 10), LeakyReLU({|CG0031:NegativeSlope = " + slope + "=>NegativeSlope = 0.2|})"),
        Error("LeakyReLU 'leakyrelu1' declares NegativeSlope = " + shown + ", which is not a finite float32"));
}
