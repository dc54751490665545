using ConvGen.Samples.DigitsPredict;

// `dotnet run --project samples/DigitsPredict -c Release -- image.png`: train, then classify one image file.
if (args is not [string imagePath])
{
    Console.Error.WriteLine("usage: DigitsPredict <image file>  (PNG, JPEG, WebP, GIF or BMP; dark ink on light paper)");
    return 2;
}

return DigitsPrediction.Run(Console.Out, Console.Error, imagePath);
