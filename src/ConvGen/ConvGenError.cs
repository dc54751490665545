namespace ConvGen;

/// <summary>
/// A failure a user can cause — a bad file, a shape that does not fit, an invalid setting — returned as a value
/// (the left side of an <c>Either</c>) with a message that names the file, layer or setting and what was expected.
/// </summary>
/// <param name="Message">What went wrong, for a person to read.</param>
public sealed record ConvGenError(string Message)
{
    /// <inheritdoc/>
    public override string ToString() => Message;
}
