using LanguageExt;

namespace ConvGen.Onnx.Tests;

/// <summary>The two sides of an <see cref="Either{L, R}"/>, failing the test with the other side's value.</summary>
internal static class Expect
{
    public static T Right<T>(Either<ConvGenError, T> result) =>
        result.Match(Right: value => value, Left: error => throw new Xunit.Sdk.XunitException($"expected success, got: {error}"));

    public static ConvGenError Left<T>(Either<ConvGenError, T> result) =>
        result.Match(Right: value => throw new Xunit.Sdk.XunitException($"expected an error, got: {value}"), Left: error => error);
}
