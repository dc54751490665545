namespace ConvGen.Data;

/// <summary>How <see cref="RandomAffine"/> reads a sample between pixel centres, as <c>torch.nn.functional.grid_sample</c>'s <c>mode</c>.</summary>
public enum Interpolation
{
    /// <summary>The nearest pixel, ties to the even one (<c>mode="nearest"</c>); torchvision's default for <c>RandomAffine</c>.</summary>
    Nearest,

    /// <summary>The four surrounding pixels weighted by distance (<c>mode="bilinear"</c>); a tap outside the image reads the fill.</summary>
    Bilinear,
}
