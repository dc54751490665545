using ConvGen.Samples.Convolutions;

ConvolutionsTour.Run(Console.Out);
