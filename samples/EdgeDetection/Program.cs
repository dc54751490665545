using ConvGen.Samples.EdgeDetection;

EdgeKernelLearning.Run(Console.Out);
